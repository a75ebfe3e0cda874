import assert from 'node:assert/strict';
import { request, type OutgoingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@temporalio/client';
import type { ApiContext } from '@ballast/api';
import { Registry } from '@ballast/benchmarks';
import { BallastConfig } from '@ballast/config';
import type { Db } from '@ballast/db';
import { startApiServer, type ApiServerHandle } from '../api-server.js';
import type { Logger } from '../logger.js';

// The HTTP edge is under test, not the database: this FAKE database answers every call by throwing
// the kind of error a driver throws, with the SQL statement in its message.
const SQL_FAILURE = 'Failed query: select "id", "raw_spec" from "experiments" where "phase" = $1; insert into x values ($2)';
const fakeDb = new Proxy({}, { get: () => () => { throw new Error(SQL_FAILURE); } }) as unknown as Db;

const fakeContext: ApiContext = {
  db: fakeDb,
  temporal: {} as Client, // FAKE: no test here reaches Temporal
  taskQueue: 'fake',
  provenance: { ballastVersion: '0.0.0-test', gitCommit: null, defaultUser: 'tester' },
  jobLogs: async () => [],
  datasetIssue: () => null,
  datasetPath: () => null,
  configuredBackends: ['local'],
  benchmarks: { registry: async () => new Registry(), roots: [], rootsSetting: 'unused' }, // the built-in twins only, no database
};

interface Answer {
  readonly status: number;
  readonly text: string;
  readonly json: { error?: { message: string; data: Record<string, unknown> } };
  /** Body bytes the client managed to send before the answer or the connection's close. */
  readonly sent: number;
  readonly gotContinue: boolean;
}

/**
 * One request with raw node:http (fetch cannot set Host). A body is sent as `body` (with Content-Length)
 * or as `chunks` copies of `chunk` (chunked, no length), stopping when the server answers or hangs up.
 */
function send(
  url: string,
  path: string,
  options: { method?: string; headers?: OutgoingHttpHeaders; body?: Buffer; chunk?: Buffer; chunks?: number } = {},
): Promise<Answer> {
  const target = new URL(path, url);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let gotContinue = false;
    let answered = false;
    const req = request(target, { method: options.method ?? 'GET', headers: options.headers });
    req.on('continue', () => {
      gotContinue = true;
      if (options.body) req.end(options.body);
    });
    req.on('response', (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let json = {};
        try {
          json = JSON.parse(text) as object;
        } catch {
          // not JSON: the assertions on `text` say what was expected
        }
        resolve({ status: res.statusCode ?? 0, text, json, sent, gotContinue });
      });
    });
    // A server that refuses a body hangs up while it is still being sent: that is expected here.
    req.on('error', (error) => {
      if (!answered) reject(new Error(`no answer to ${options.method ?? 'GET'} ${path} before: ${error.message}`));
    });
    if (options.chunk && options.chunks) {
      const { chunk, chunks } = options;
      let left = chunks;
      const pump = () => {
        while (left > 0 && !answered && !req.destroyed) {
          left--;
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (!req.destroyed) req.end();
      };
      pump();
    } else if (options.body && !options.headers?.expect) {
      sent = options.body.length;
      req.end(options.body);
    } else if (!options.body) {
      req.end();
    }
  });
}

const json = { 'content-type': 'application/json' };

describe('API HTTP edge', { timeout: 60_000 }, () => {
  let api: ApiServerHandle;
  let host: string;
  const logLines: string[] = [];
  const log: Logger = (level, message, fields) => logLines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);

  before(async () => {
    const parsed = BallastConfig.parse({
      home: join(tmpdir(), 'ballast-api-edge-test-unused'),
      toolsDir: join(tmpdir(), 'ballast-api-edge-test-unused-tools'),
      api: { allowedHosts: ['ballast.lab:7300', 'api.example'], maxBodyBytes: 1024 * 1024 },
    });
    // Port 0: the OS picks a free port for this test alone.
    api = await startApiServer(fakeContext, { ...parsed, api: { ...parsed.api, port: 0 } }, log);
    host = new URL(api.url).host;
  });
  after(async () => await api?.close());

  it('refuses a Host that is not this server (DNS rebinding) with 403', async () => {
    const answer = await send(api.url, '/experiments.list', { headers: { host: 'attacker.example' } });
    assert.equal(answer.status, 403, `expected 403 for Host attacker.example, got ${answer.status}: ${answer.text}`);
    assert.equal(answer.json.error?.data.code, 'FORBIDDEN');
    for (const bad of ['attacker.example:7300', 'evil@127.0.0.1', '127.0.0.1.evil.example', '128.0.0.1', 'localhost.']) {
      assert.equal((await send(api.url, '/benchmarks.list', { headers: { host: bad } })).status, 403, `Host ${bad} must be refused`);
    }
  });

  it('refuses an Origin that is not on the list with 403', async () => {
    const evil = await send(api.url, '/experiments.list', { headers: { origin: 'http://evil.example' } });
    assert.equal(evil.status, 403, `expected 403 for Origin http://evil.example, got ${evil.status}: ${evil.text}`);
    assert.equal((await send(api.url, '/benchmarks.list', { headers: { origin: 'null' } })).status, 403, 'opaque Origin null must be refused');
  });

  it('answers loopback names and allowed hosts, with a port where the entry names one', async () => {
    const port = new URL(api.url).port;
    const passes = [
      { host },
      { host: `localhost:${port}` },
      { host: `127.9.8.7:${port}` },
      { host: `[::1]:${port}` },
      { host: 'ballast.lab:7300' },
      { host: 'api.example:8443' },
      { host: 'API.example' },
      { host, origin: 'http://ballast.lab:7300' },
      { host, origin: `http://localhost:${port}` },
    ];
    for (const headers of passes) {
      const answer = await send(api.url, '/benchmarks.list', { headers });
      assert.equal(answer.status, 200, `expected 200 for ${JSON.stringify(headers)}, got ${answer.status}: ${answer.text}`);
    }
    assert.equal((await send(api.url, '/benchmarks.list', { headers: { host: 'ballast.lab:7301' } })).status, 403, 'ballast.lab is allowed on port 7300 only');
    assert.equal((await send(api.url, '/benchmarks.list', { headers: { host, origin: 'http://ballast.lab:9000' } })).status, 403, 'Origin ballast.lab:9000 is not allowed');
  });

  it('refuses a 2 MB body with 413 and still answers afterwards', async () => {
    const body = Buffer.alloc(2 * 1024 * 1024, 0x20);
    const answer = await send(api.url, '/experiments.launch', { method: 'POST', headers: { ...json, 'content-length': body.length }, body });
    assert.equal(answer.status, 413, `expected 413 for a 2 MB body, got ${answer.status}: ${answer.text}`);
    assert.equal(answer.json.error?.data.code, 'PAYLOAD_TOO_LARGE');
    const waited = await send(api.url, '/experiments.launch', {
      method: 'POST',
      headers: { ...json, 'content-length': body.length, expect: '100-continue' },
      body,
    });
    assert.equal(waited.status, 413, 'expected 413 before 100 Continue');
    assert.equal(waited.gotContinue, false, 'the server asked for a body it then refused');
    const after = await send(api.url, '/benchmarks.list');
    assert.equal(after.status, 200, `the server did not answer after refusing a body: ${after.status} ${after.text}`);
  });

  it('refuses a chunked body without Content-Length once it passes the limit, without reading the rest', async () => {
    // 600 MB offered in 64 KiB chunks; the server must answer 413 and hang up long before the end.
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const chunks = (600 * 1024 * 1024) / chunk.length;
    const answer = await send(api.url, '/experiments.launch', { method: 'POST', headers: { ...json, 'transfer-encoding': 'chunked' }, chunk, chunks });
    assert.equal(answer.status, 413, `expected 413 for an oversized chunked body, got ${answer.status}: ${answer.text}`);
    assert.ok(answer.sent < 64 * 1024 * 1024, `the client could send ${answer.sent} bytes: the server went on reading after the limit`);
    assert.equal((await send(api.url, '/benchmarks.list')).status, 200, 'the server did not answer after an oversized chunked body');
  });

  it('bounds the URL (GET input) with 414', async () => {
    const input = encodeURIComponent(JSON.stringify({ id: 'x'.repeat(10_000) }));
    const answer = await send(api.url, `/experiments.get?input=${input}`);
    assert.equal(answer.status, 414, `expected 414 for a ${input.length}-byte query, got ${answer.status}`);
  });

  it('refuses a NUL in a launch spec description with 400 and the field path, before any SQL', async () => {
    const spec = { apiVersion: 'ballast.dev/v1alpha1', kind: 'Experiment', metadata: { name: 'demo', description: 'before\u0000after' }, spec: {} };
    const body = Buffer.from(JSON.stringify({ clientRequestId: 'req-nul-0001', spec }));
    const answer = await send(api.url, '/experiments.launch', { method: 'POST', headers: { ...json, 'content-length': body.length }, body });
    assert.equal(answer.status, 400, `expected 400, got ${answer.status}: ${answer.text}`);
    const issues = answer.json.error?.data.issues as { path: string; message: string }[] | undefined;
    assert.deepEqual(issues?.map((i) => i.path), ['spec.metadata.description']);
    assert.doesNotMatch(answer.text, /select|insert/i);
  });

  it('answers a failure with SQL in it with 500, a generic message and an id the log has', async () => {
    const answer = await send(api.url, '/experiments.list');
    assert.equal(answer.status, 500, `expected 500 from the failing FAKE database, got ${answer.status}: ${answer.text}`);
    assert.doesNotMatch(answer.text, /select|insert|raw_spec|stack|at .*\.js/i);
    const errorId = answer.json.error?.data.errorId as string | undefined;
    assert.match(errorId ?? '', /^err_[0-9a-f]{16}$/, `no error id in ${answer.text}`);
    assert.ok(answer.json.error?.message.includes(errorId!), 'the message names the error id');
    const logged = logLines.find((line) => line.includes(errorId!));
    assert.ok(logged, `the server log has no line with ${errorId}: ${logLines.join('\n')}`);
    assert.match(logged, /select "id"/, 'the log line carries the full error');
  });
});
