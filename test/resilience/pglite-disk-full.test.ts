// The embedded database's folder stops accepting writes, then accepts them again: the server stays
// up, answers 503 + Retry-After meanwhile, loses nothing it accepted, and recovers by itself.
//
// How writes are made to fail: permission bits cannot do it. Root ignores them, and even for another
// user they only refuse new opens, while PGlite writes through files it already holds open. The data
// folder is put on a small tmpfs mounted for the test and the tmpfs is filled: every write, through
// any descriptor, fails (ENOSPC) until the filler is removed. Skipped where mounting is not allowed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, childEnv, freePort, startServerProcess, type ServerProcess } from '../core/processes.js';
import { embeddedOnly } from '../helpers/db.js';

const MARKER = 'zq-transcript-marker';

function mountUnavailable(): string | null {
  if (process.platform !== 'linux') return 'needs Linux tmpfs';
  const probe = mkdtempSync(join(tmpdir(), 'colloquy-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return null;
  } catch {
    return 'mounting a tmpfs is not permitted here';
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

const skip = mountUnavailable();
if (skip) console.log(`# PGlite write-failure test skipped: ${skip}`);

describe('the embedded database cannot write for a while', { skip: skip ?? embeddedOnly }, () => {
  let mnt: string;
  let server: ServerProcess;
  let key: string;
  let exited: number | null | undefined;

  before(async () => {
    mnt = mkdtempSync(join(tmpdir(), 'colloquy-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=120m', 'tmpfs', mnt]);
    server = await startServerProcess(childEnv(join(mnt, 'data'), await freePort(), { COLLOQUY_ENGINE_THREADS: '0', COLLOQUY_DEMO_USER: 'true', LOG_LEVEL: 'warn' }));
    void server.exited.then((code) => (exited = code));
    key = /API key: (convo_\S+)/.exec(server.stdout())![1];
  });
  after(async () => {
    await server?.stop();
    try {
      execFileSync('umount', ['-l', mnt]);
    } catch {
      /* already gone */
    }
    rmSync(mnt, { recursive: true, force: true });
  });

  const create = (i: number) =>
    api(server.url, key, '/api/v1/conversations', { method: 'POST', body: { status: 'completed', content: `User: ${MARKER} ${i} ${'word '.repeat(18_000)}\nAssistant: noted ${i}` } });

  test('503 with Retry-After while full, nothing accepted is lost, and writes work again once there is space', async () => {
    const accepted: string[] = [];
    const first = await create(0);
    assert.equal(first.status, 200, first.text);
    accepted.push(first.body.data.id);

    try {
      execFileSync('dd', ['if=/dev/zero', `of=${join(mnt, 'filler')}`, 'bs=1M'], { stdio: 'ignore' });
    } catch {
      /* dd stops with "No space left on device": that is the point */
    }
    let refused = 0;
    for (let i = 1; i <= 12; i++) {
      const r = await create(i);
      assert.equal(exited, undefined, `the server exited\n${server.stdout()}\n${server.stderr()}`);
      if (r.status === 200) {
        accepted.push(r.body.data.id); // room left in pages already allocated
        continue;
      }
      assert.equal(r.status, 503, r.text);
      assert.equal(r.body.error.code, 'service_unavailable');
      assert.match(r.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
      refused++;
    }
    assert.ok(refused > 0, 'writes failed while the disk was full');
    assert.equal((await api(server.url, null, '/healthz')).status, 200);

    rmSync(join(mnt, 'filler'));
    const after = await create(99);
    assert.equal(after.status, 200, after.text);
    accepted.push(after.body.data.id);
    for (const id of accepted) {
      const r = await api(server.url, key, `/api/v1/conversations/${id}/transcript`);
      assert.equal(r.status, 200, `${id}: ${r.text.slice(0, 200)}`);
      assert.equal(r.body.data.segments.length, 2);
    }
    assert.equal(exited, undefined);
    assert.ok(!server.stdout().includes(MARKER) && !server.stderr().includes(MARKER), 'no transcript text in the logs');
  });
});
