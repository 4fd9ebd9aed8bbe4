import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../../src/domain/errors.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';

describe(`creating users (${dbLabel})`, () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t.close());

  async function rejects(input: { email: string; name: string; tier: string }, code: string, field?: string) {
    await assert.rejects(
      () => t.container.accounts.createUser(input),
      (err: unknown) => err instanceof AppError && err.code === code && (!field || Boolean(err.details?.[field])),
    );
  }

  test('a NUL character in the name is a validation error, not a database failure', async () => {
    await rejects({ email: 'nul@example.com', name: 'Al\u0000ice', tier: 'starter' }, 'validation_error', 'name');
  });

  test('bad email and unknown tier are named in the details', async () => {
    await rejects({ email: 'not-an-email', name: 'Bob', tier: 'starter' }, 'validation_error', 'email');
    await rejects({ email: 'bob@example.com', name: 'Bob', tier: 'platinum' }, 'validation_error', 'tier');
  });

  test('the same email twice (any case) is a conflict', async () => {
    await t.container.accounts.createUser({ email: 'carol@example.com', name: 'Carol', tier: 'starter' });
    await rejects({ email: 'Carol@Example.com', name: 'Carol 2', tier: 'starter' }, 'conflict');
  });

  test('concurrent creates of one address: exactly one user, the rest conflict', async () => {
    const results = await Promise.allSettled(
      ['dan@example.com', 'Dan@example.com', 'DAN@example.com', 'dan@EXAMPLE.com'].map((email, i) =>
        t.container.accounts.createUser({ email, name: `Dan ${i}`, tier: 'starter' }),
      ),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as AppError).code, 'conflict');
  });
});
