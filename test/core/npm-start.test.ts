// `npm start` as a user runs it: SIGTERM to the npm process (what `kill`, systemd or a container
// runtime sends) must stop the server too, within its shutdown grace, and release the folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, childEnv, freePort, startServerProcess } from './processes.js';
import { sleep } from './support.js';
import { embeddedOnly } from '../helpers/db.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('SIGTERM to `npm start` stops the server process within the grace period', { skip: embeddedOnly }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-npm-start-'));
  // A generous grace: on a loaded machine closing the embedded database can take a while, and the
  // claim is that SIGTERM reaches the server through npm and it shuts down cleanly.
  const env = childEnv(dir, await freePort(), { COLLOQUY_DEMO_USER: 'false', COLLOQUY_SHUTDOWN_GRACE_MS: '60000' });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const server = await startServerProcess(env, 180_000, [npm, ['start', '--silent']]);
  let serverPid = 0;
  try {
    assert.equal((await api(server.url, null, '/healthz')).status, 200);
    // The server records its own pid; npm (the process we started) is not it.
    serverPid = JSON.parse(readFileSync(join(dir, 'admin.json'), 'utf8')).pid;
    assert.ok(serverPid > 0 && alive(serverPid));

    server.child.kill('SIGTERM');
    const npmExit = await Promise.race([server.exited.then(() => 'exited'), sleep(60_000).then(() => 'still running')]);
    assert.equal(npmExit, 'exited', 'npm exits');
    for (let waited = 0; alive(serverPid) && waited < 70_000; waited += 200) await sleep(200);
    assert.equal(alive(serverPid), false, `the server process ${serverPid} was left running`);
    assert.ok(!existsSync(join(dir, 'colloquy.lock')), 'the server released the data folder (it shut down, not killed)');
  } finally {
    if (serverPid && alive(serverPid)) process.kill(serverPid, 'SIGKILL');
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
