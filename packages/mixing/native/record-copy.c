// Ballast's native record copy: works through a block's read list (src/copy/read-list.ts) with one
// pread per record from C, sparing the JavaScript-to-kernel overhead of fs.readSync per record (about a
// quarter of each read's cost on a 2-core VM; the rest is the kernel's page-cache lookup, which no
// user-space change removes). Memory-mapping the sources was measured and dropped: the mapped pages
// count in the resident set, and dropping them after each block costs more than the reads it saves.
//
// It also writes the canonical copy's shards with O_DIRECT (directOpen/directAppend/directFinish): the
// blocks go from the copy's memory to the device without a page-cache copy, so a mix does not need
// half a gigabyte of fresh page-cache pages per GB of input. On a VM whose host takes back free guest
// memory, those fresh pages are what made buffered writes slow and erratic.
//
// Built by scripts/build-native.mjs when a C compiler and Node's headers are at hand; without it the
// TypeScript copy (read-list.ts `readClaimed`) does the same work with the same result.
#define _GNU_SOURCE
#include <node_api.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// Must match read-list.ts: reads claimed at a time, and the slots of the state array.
#define CLAIM 64
#define STATE_CLAIMED 0
#define STATE_COUNT 1
#define STATE_DONE 2
#define STATE_ENDED 3
#define MAX_SOURCES 256
// O_DIRECT alignment of buffers, offsets and lengths: 4096 serves 512- and 4096-byte devices.
#define DIRECT_ALIGN 4096

typedef struct {
  int fd;
} Source;

static napi_value throw_error(napi_env env, const char *code, const char *message) {
  napi_throw_error(env, code, message);
  return NULL;
}

#define CHECK(env, call)                                                        \
  do {                                                                          \
    if ((call) != napi_ok) return throw_error((env), "ERR_NATIVE_COPY", #call); \
  } while (0)

// The one string argument of open() and directOpen(), into `path`; throws `usage` when there is none.
static bool path_argument(napi_env env, napi_callback_info info, char *path, size_t size, const char *usage) {
  size_t argc = 1;
  napi_value argv[1];
  size_t length = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 ||
      napi_get_value_string_utf8(env, argv[0], path, size, &length) != napi_ok || length >= size - 1) {
    napi_throw_error(env, "ERR_INVALID_ARG", usage);
    return false;
  }
  return true;
}

// The first `want` arguments into `argv`, the first of them an External whose data is returned; throws
// `usage` and returns NULL otherwise.
static void *external_arguments(napi_env env, napi_callback_info info, napi_value *argv, size_t want, const char *usage) {
  size_t argc = want;
  void *data = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < want || napi_get_value_external(env, argv[0], &data) != napi_ok) {
    napi_throw_error(env, "ERR_INVALID_ARG", usage);
    return NULL;
  }
  return data;
}

// `data` as an External that `finalize` frees when collected; on failure frees it now and throws.
static napi_value external_or_throw(napi_env env, void *data, napi_finalize finalize) {
  napi_value external;
  if (napi_create_external(env, data, finalize, NULL, &external) != napi_ok) {
    finalize(env, data, NULL);
    return throw_error(env, "ERR_NATIVE_COPY", "napi_create_external failed");
  }
  return external;
}

static void close_source(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  Source *source = data;
  if (source->fd >= 0) close(source->fd);
  free(source);
}

// open(path: string): External — the file open for reading; closed when collected or by close().
static napi_value open_source(napi_env env, napi_callback_info info) {
  char path[4096];
  if (!path_argument(env, info, path, sizeof path, "open(path): path must be a string shorter than 4 KB")) return NULL;
  Source *source = calloc(1, sizeof *source);
  if (source == NULL) return throw_error(env, "ERR_NATIVE_COPY", "out of memory");
  source->fd = open(path, O_RDONLY | O_CLOEXEC);
  if (source->fd < 0) {
    char message[4200];
    snprintf(message, sizeof message, "open %s: %s", path, strerror(errno));
    free(source);
    return throw_error(env, "ENOENT", message);
  }
  // A block's reads are scattered over the file: readahead around each would only waste work.
  posix_fadvise(source->fd, 0, 0, POSIX_FADV_RANDOM);
  return external_or_throw(env, source, close_source);
}

// close(source: External): closes the file now rather than when collected.
static napi_value close_now(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  Source *source = external_arguments(env, info, argv, 1, "close takes an open() result");
  if (source == NULL) return NULL;
  if (source->fd >= 0) close(source->fd);
  source->fd = -1;
  return NULL;
}

static int bytes_of(napi_env env, napi_value value, uint8_t **data, size_t *length) {
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  void *raw;
  if (napi_get_typedarray_info(env, value, &type, length, &raw, &buffer, &offset) != napi_ok || type != napi_uint8_array) return 0;
  *data = raw;
  return 1;
}

// copyClaimed(list: Uint8Array, capacity: number, target: Uint8Array, fromBack: boolean, sources: External[]):
// works through the read list exactly as read-list.ts `readClaimed` does.
static napi_value copy_claimed(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 5) return throw_error(env, "ERR_INVALID_ARG", "copyClaimed takes 5 arguments");
  uint8_t *list;
  size_t list_bytes;
  uint8_t *target;
  size_t target_bytes;
  uint32_t capacity;
  bool from_back;
  if (!bytes_of(env, argv[0], &list, &list_bytes)) return throw_error(env, "ERR_INVALID_ARG", "list must be a Uint8Array");
  CHECK(env, napi_get_value_uint32(env, argv[1], &capacity));
  if (!bytes_of(env, argv[2], &target, &target_bytes)) return throw_error(env, "ERR_INVALID_ARG", "target must be a Uint8Array");
  CHECK(env, napi_get_value_bool(env, argv[3], &from_back));
  if (list_bytes < (size_t)capacity * 17 + 16) return throw_error(env, "ERR_INVALID_ARG", "list is smaller than its capacity needs");
  uint32_t count_sources = 0;
  CHECK(env, napi_get_array_length(env, argv[4], &count_sources));
  if (count_sources > MAX_SOURCES) return throw_error(env, "ERR_INVALID_ARG", "at most 256 sources");
  int fds[MAX_SOURCES];
  for (uint32_t s = 0; s < count_sources; s++) {
    napi_value item;
    void *data;
    CHECK(env, napi_get_element(env, argv[4], s, &item));
    if (napi_get_value_external(env, item, &data) != napi_ok) return throw_error(env, "ERR_INVALID_ARG", "sources must hold open() results");
    fds[s] = ((Source *)data)->fd;
    if (fds[s] < 0) return throw_error(env, "ERR_INVALID_ARG", "a source is closed");
  }

  const double *offset = (const double *)list;
  const uint32_t *length = (const uint32_t *)(list + (size_t)capacity * 8);
  const uint32_t *place = (const uint32_t *)(list + (size_t)capacity * 12);
  int32_t *state = (int32_t *)(list + (size_t)capacity * 16);
  const uint8_t *source = list + (size_t)capacity * 16 + 16;

  const int32_t count = __atomic_load_n(&state[STATE_COUNT], __ATOMIC_SEQ_CST);
  if (count < 0 || (uint32_t)count > capacity) return throw_error(env, "ERR_INVALID_ARG", "list count exceeds its capacity");
  for (int32_t k = 0; k < count; k++) {
    if (source[k] >= count_sources) return throw_error(env, "ERR_INVALID_ARG", "a read names a source that is not open");
    if ((size_t)place[k] + length[k] + 1 > target_bytes) return throw_error(env, "ERR_INVALID_ARG", "a read does not fit the target");
    if (!(offset[k] >= 0 && offset[k] <= 9007199254740991.0)) return throw_error(env, "ERR_INVALID_ARG", "a read has an invalid offset");
  }

  int32_t position = from_back ? count : 0;
  for (;;) {
    const int32_t before = __atomic_fetch_add(&state[STATE_CLAIMED], CLAIM, __ATOMIC_SEQ_CST);
    const int32_t take = count - before < CLAIM ? count - before : CLAIM;
    if (take <= 0) break;
    const int32_t first = from_back ? position - take : position;
    position = from_back ? first : first + take;
    for (int32_t k = first; k < first + take; k++) {
      uint8_t *to = target + place[k];
      const off_t from = (off_t)offset[k];
      size_t done = 0;
      while (done < length[k]) {
        const ssize_t got = pread(fds[source[k]], to + done, length[k] - done, from + (off_t)done);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
          // Counted done so the other thread never waits on it; the error goes to the caller.
          __atomic_fetch_add(&state[STATE_DONE], take, __ATOMIC_SEQ_CST);
          char message[200];
          snprintf(message, sizeof message, "pread: %s", strerror(errno));
          return throw_error(env, "EIO", message);
        }
        if (got == 0) {
          // The file is shorter than it was when indexed: the source changed.
          int32_t expected = 0;
          __atomic_compare_exchange_n(&state[STATE_ENDED], &expected, (int32_t)source[k] + 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
          break;
        }
        done += (size_t)got;
      }
      to[length[k]] = '\n';
    }
    __atomic_fetch_add(&state[STATE_DONE], take, __ATOMIC_SEQ_CST);
  }
  return NULL;
}


// ---- O_DIRECT shard writes -------------------------------------------------------------------------

typedef struct {
  int fd;
  uint8_t *stage;
  size_t stage_capacity;
  uint8_t carry[DIRECT_ALIGN];
  size_t carry_length;
  uint64_t written;
  bool busy;
} DirectFile;

static void free_direct(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  DirectFile *file = data;
  if (file->fd >= 0) close(file->fd);
  free(file->stage);
  free(file);
}

// directOpen(path: string): External | null — the existing file opened again with O_DIRECT for
// writing, or null when its file system refuses O_DIRECT (tmpfs, some network file systems).
static napi_value direct_open(napi_env env, napi_callback_info info) {
  char path[4096];
  if (!path_argument(env, info, path, sizeof path, "directOpen(path): path must be a string shorter than 4 KB")) return NULL;
  int fd = open(path, O_WRONLY | O_CLOEXEC | O_DIRECT);
  if (fd < 0) {
    if (errno == EINVAL || errno == EOPNOTSUPP) {
      napi_value null_value;
      CHECK(env, napi_get_null(env, &null_value));
      return null_value;
    }
    char message[4200];
    snprintf(message, sizeof message, "open %s with O_DIRECT: %s", path, strerror(errno));
    return throw_error(env, "EIO", message);
  }
  DirectFile *file = calloc(1, sizeof *file);
  if (file == NULL) {
    close(fd);
    return throw_error(env, "ERR_NATIVE_COPY", "out of memory");
  }
  file->fd = fd;
  return external_or_throw(env, file, free_direct);
}

typedef struct {
  DirectFile *file;
  const uint8_t *data;
  size_t length;
  napi_ref keep;
  napi_deferred deferred;
  napi_async_work work;
  int error;
  bool unsupported;
} DirectAppend;

static int write_all(int fd, const uint8_t *from, size_t length, uint64_t at) {
  size_t done = 0;
  while (done < length) {
    const ssize_t n = pwrite(fd, from + done, length - done, (off_t)(at + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    if (n == 0) return EIO;
    done += (size_t)n;
  }
  return 0;
}

// On the thread pool: the carried bytes and the new data, up to the last whole aligned block, go out in
// one aligned write; what is left over is carried to the next append (or to directFinish).
static void direct_append_execute(napi_env env, void *data) {
  (void)env;
  DirectAppend *job = data;
  DirectFile *file = job->file;
  const size_t total = file->carry_length + job->length;
  const size_t aligned = total / DIRECT_ALIGN * DIRECT_ALIGN;
  if (aligned == 0) {
    memcpy(file->carry + file->carry_length, job->data, job->length);
    file->carry_length = total;
    return;
  }
  if (file->stage_capacity < aligned) {
    free(file->stage);
    file->stage = NULL;
    file->stage_capacity = 0;
    void *stage = NULL;
    if (posix_memalign(&stage, DIRECT_ALIGN, aligned) != 0) {
      job->error = ENOMEM;
      return;
    }
    file->stage = stage;
    file->stage_capacity = aligned;
  }
  const size_t from_data = aligned - file->carry_length;
  memcpy(file->stage, file->carry, file->carry_length);
  memcpy(file->stage + file->carry_length, job->data, from_data);
  const int error = write_all(file->fd, file->stage, aligned, file->written);
  if (error != 0) {
    // A file system that opens with O_DIRECT but refuses the writes: nothing of this append is lost
    // (the carry is untouched), and the caller writes it the ordinary way.
    if (error == EINVAL && file->written == 0) job->unsupported = true;
    else job->error = error;
    return;
  }
  file->written += aligned;
  file->carry_length = job->length - from_data;
  memcpy(file->carry, job->data + from_data, file->carry_length);
}

static void direct_append_complete(napi_env env, napi_status status, void *data) {
  DirectAppend *job = data;
  job->file->busy = false;
  napi_value result;
  if (status == napi_ok && job->error == 0) {
    napi_get_boolean(env, !job->unsupported, &result);
    napi_resolve_deferred(env, job->deferred, result);
  } else {
    napi_value message;
    char text[200];
    snprintf(text, sizeof text, "O_DIRECT write: %s", status == napi_ok ? strerror(job->error) : "cancelled");
    napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &message);
    napi_create_error(env, NULL, message, &result);
    napi_reject_deferred(env, job->deferred, result);
  }
  napi_delete_reference(env, job->keep);
  napi_delete_async_work(env, job->work);
  free(job);
}

// directAppend(file: External, data: Uint8Array): Promise<boolean> — appends `data` (which must stay
// untouched until the promise settles). One append at a time per file. Resolves false, writing
// nothing, when the file system turns out to refuse O_DIRECT writes: the caller then calls
// directFinish and writes this data and the rest the ordinary way.
static napi_value direct_append(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  DirectFile *file = external_arguments(env, info, argv, 2, "directAppend takes a directOpen() result and a Uint8Array");
  if (file == NULL) return NULL;
  uint8_t *bytes;
  size_t length;
  if (!bytes_of(env, argv[1], &bytes, &length)) return throw_error(env, "ERR_INVALID_ARG", "data must be a Uint8Array");
  if (file->fd < 0) return throw_error(env, "ERR_INVALID_ARG", "the file is finished");
  if (file->busy) return throw_error(env, "ERR_INVALID_ARG", "one directAppend at a time per file");
  DirectAppend *job = calloc(1, sizeof *job);
  if (job == NULL) return throw_error(env, "ERR_NATIVE_COPY", "out of memory");
  job->file = file;
  job->data = bytes;
  job->length = length;
  napi_value promise, name;
  if (napi_create_reference(env, argv[1], 1, &job->keep) != napi_ok || napi_create_promise(env, &job->deferred, &promise) != napi_ok ||
      napi_create_string_utf8(env, "ballast:directAppend", NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_create_async_work(env, NULL, name, direct_append_execute, direct_append_complete, job, &job->work) != napi_ok ||
      napi_queue_async_work(env, job->work) != napi_ok) {
    free(job);
    return throw_error(env, "ERR_NATIVE_COPY", "could not queue the write");
  }
  file->busy = true;
  return promise;
}

// directFinish(file: External): { position: number, tail: Buffer } — closes the O_DIRECT descriptor and
// hands back the bytes not yet written (less than one aligned block) and where they go; the caller
// writes them with ordinary I/O, then fsyncs the file.
static napi_value direct_finish(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  DirectFile *file = external_arguments(env, info, argv, 1, "directFinish takes a directOpen() result");
  if (file == NULL) return NULL;
  if (file->busy) return throw_error(env, "ERR_INVALID_ARG", "directFinish while an append is under way");
  napi_value result, position, tail;
  void *tail_bytes;
  CHECK(env, napi_create_object(env, &result));
  CHECK(env, napi_create_double(env, (double)file->written, &position));
  CHECK(env, napi_create_buffer_copy(env, file->carry_length, file->carry, &tail_bytes, &tail));
  CHECK(env, napi_set_named_property(env, result, "position", position));
  CHECK(env, napi_set_named_property(env, result, "tail", tail));
  if (file->fd >= 0) close(file->fd);
  file->fd = -1;
  file->carry_length = 0;
  free(file->stage);
  file->stage = NULL;
  file->stage_capacity = 0;
  return result;
}

NAPI_MODULE_INIT() {
  static const struct {
    const char *name;
    napi_callback function;
  } functions[] = {
      {"open", open_source},        {"close", close_now},           {"copyClaimed", copy_claimed},
      {"directOpen", direct_open},  {"directAppend", direct_append}, {"directFinish", direct_finish},
  };
  for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++) {
    napi_value fn;
    if (napi_create_function(env, functions[i].name, NAPI_AUTO_LENGTH, functions[i].function, NULL, &fn) != napi_ok) return NULL;
    if (napi_set_named_property(env, exports, functions[i].name, fn) != napi_ok) return NULL;
  }
  return exports;
}
