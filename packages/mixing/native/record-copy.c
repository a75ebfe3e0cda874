// Ballast's native record copy: works through a block's read list (src/copy/read-list.ts) with one
// pread per record from C, sparing the JavaScript-to-kernel overhead of fs.readSync per record (about a
// quarter of each read's cost on a 2-core VM; the rest is the kernel's page-cache lookup, which no
// user-space change removes). Memory-mapping the sources was measured and dropped: the mapped pages
// count in the resident set, and dropping them after each block costs more than the reads it saves.
//
// Built by scripts/build-native.mjs when a C compiler and Node's headers are at hand; without it the
// TypeScript copy (read-list.ts `readClaimed`) does the same work with the same result.
#define _GNU_SOURCE
#include <node_api.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
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

static void close_source(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  Source *source = data;
  if (source->fd >= 0) close(source->fd);
  free(source);
}

// open(path: string): External — the file open for reading; closed when collected or by close().
static napi_value open_source(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char path[4096];
  size_t length = 0;
  if (argc < 1 || napi_get_value_string_utf8(env, argv[0], path, sizeof path, &length) != napi_ok || length >= sizeof path - 1) {
    return throw_error(env, "ERR_INVALID_ARG", "open(path): path must be a string shorter than 4 KB");
  }
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
  napi_value external;
  if (napi_create_external(env, source, close_source, NULL, &external) != napi_ok) {
    close_source(env, source, NULL);
    return throw_error(env, "ERR_NATIVE_COPY", "napi_create_external failed");
  }
  return external;
}

// close(source: External): closes the file now rather than when collected.
static napi_value close_now(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  void *data;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || napi_get_value_external(env, argv[0], &data) != napi_ok) return throw_error(env, "ERR_INVALID_ARG", "close takes an open() result");
  Source *source = data;
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

NAPI_MODULE_INIT() {
  napi_value fn;
  if (napi_create_function(env, "open", NAPI_AUTO_LENGTH, open_source, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "open", fn) != napi_ok) return NULL;
  if (napi_create_function(env, "close", NAPI_AUTO_LENGTH, close_now, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "close", fn) != napi_ok) return NULL;
  if (napi_create_function(env, "copyClaimed", NAPI_AUTO_LENGTH, copy_claimed, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "copyClaimed", fn) != napi_ok) return NULL;
  return exports;
}
