// The README's walk-through uses the files in examples/: each one imports through the API (as the
// curl command does), and every file the README uploads exists, so the walk-through cannot rot.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';
import { ROOT } from './processes.js';
import { assertData, uploadForm } from './support.js';

const EXAMPLES = join(ROOT, 'examples');
const START = '2026-03-18T14:00:00Z';

describe(`examples/ and the README walk-through (${dbLabel})`, () => {
  let t: TestApp;
  let key: string;

  before(async () => {
    // The engine on the calling thread: one small analysis, no worker pool to start.
    t = await startTestApp({ env: { COLLOQUY_ENGINE_THREADS: '0' } });
    ({ key } = await t.user('professional'));
  });
  after(async () => {
    await t?.close();
  });

  test('every file the README uploads is in examples/', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const uploads = [...readme.matchAll(/-F file=@(\S+)/g)].map((m) => m[1]);
    assert.ok(uploads.length >= 1, 'the README uploads a file');
    for (const path of uploads) {
      assert.match(path, /^examples\//, `${path}: the walk-through runs from the repository root`);
      assert.ok(existsSync(join(ROOT, path)), `${path} exists`);
    }
  });

  const files = existsSync(EXAMPLES) ? readdirSync(EXAMPLES).filter((f) => /\.(vtt|srt|json|txt)$/.test(f)) : [];
  test('examples/ holds transcripts', () => assert.ok(files.includes('standup.vtt'), files.join(', ')));

  for (const name of files) {
    test(`${name} imports with its speakers, and answers the walk-through's analyses`, async () => {
      const data = readFileSync(join(EXAMPLES, name));
      const res = await t.request('POST', '/api/v1/conversations/import', { key, raw: uploadForm(name, data, { startTime: START }) });
      const c = assertData(res, 201);
      assert.equal(c.startTime, '2026-03-18T14:00:00.000Z');
      assert.ok(c.segmentCount >= 10, `${c.segmentCount} segments`);
      const segs = assertData(await t.request('GET', `/api/v1/conversations/${c.id}/transcript`, { key })).segments as Array<{ speaker: string; text: string }>;
      const speakers = new Set(segs.map((s) => s.speaker));
      assert.ok(speakers.size >= 2, [...speakers].join(', '));
      for (const s of segs) {
        assert.ok(s.text.trim().length > 0);
        assert.doesNotMatch(s.speaker, /^(Speaker|Unknown)/i, 'speakers are named');
      }

      const kp = assertData(await t.request('POST', `/api/v1/conversations/${c.id}/keypoints`, { key }));
      assert.ok(kp.keypoints.sections.length > 0, 'key points');
      assert.ok(kp.keypoints.participants.length >= 2, kp.keypoints.participants.join(', '));
      const q = assertData(await t.request('POST', `/api/v1/conversations/${c.id}/query`, { key, body: { query: 'What are the action items?' } }));
      assert.ok(q.response.trim().length > 0, 'an answer');
    });
  }
});
