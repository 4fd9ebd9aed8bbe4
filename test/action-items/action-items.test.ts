// Action items tracked across conversations (GET /action-items, PATCH /action-items/{id}), through
// the real HTTP stack on both databases: ids that survive regenerating key points, a person's edits
// that win over regenerations, filters and cursors, validation that changes nothing, tenant
// isolation, deleted conversations, mentions in a later meeting with a suggested status (through the
// real job), the action_item.updated webhook reaching a real receiver, and the MCP tools.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { dbLabel } from '../helpers/db.js';
import { assertData, assertError, assertValidation } from '../core/support.js';
import { register, startHarness, waitFor, type WebhookHarness } from '../webhooks/helpers.js';
import { startMentionsWorker } from '../../src/jobs/mentions-worker.js';
import { backfillActionItems } from '../../src/db/migrations/0009-action-items.js';
import type { Keypoints } from '../../src/engines/schemas.js';

interface Item {
  id: string;
  conversationId: string;
  item: string;
  owner: string | null;
  dueDate: string | null;
  status: string;
  suggestedStatus: string | null;
  mentions: Array<{ conversationId: string; segmentIndex: number; quote: string; suggestsDone: boolean }>;
  editedFields: string[];
}

const segments = (day: number, rows: string[][]) =>
  rows.map(([speaker, text], i) => ({ speaker, text, timestamp: new Date(Date.UTC(2026, 2, day, 10, 0, i * 20)).toISOString() }));

describe(`action items across conversations (${dbLabel})`, () => {
  let h: WebhookHarness;
  let key: string;
  let userId: string;
  let other: string;
  let renewal: string;
  const t = () => h.t;

  const list = async (qs = '', k = key) => {
    const res = await t().request('GET', `/api/v1/action-items${qs ? `?${qs}` : ''}`, { key: k });
    assert.equal(res.status, 200, res.text);
    return res.body as { data: Item[]; pagination: { limit: number; nextCursor: string | null } };
  };
  const byOwner = (items: Item[], owner: string) => items.find((i) => i.owner === owner)!;
  const patch = (id: string, body: unknown, k = key) => t().request('PATCH', `/api/v1/action-items/${id}`, { key: k, body });
  const regenerate = async (id: string) =>
    assertData(await t().request('POST', `/api/v1/conversations/${id}/keypoints`, { key, body: { forceRefresh: true } })).keypoints as {
      actionItems: Array<{ id: string; owner: string | null }>;
    };

  before(async () => {
    h = await startHarness();
    // Consumes the mention jobs enqueued with key points, as the server's inline worker does (its
    // consumer stops with the container).
    await startMentionsWorker(t().container);
    ({ key, userId } = await t().user('professional'));
    ({ key: other } = await t().user('professional'));
    renewal = assertData(
      await t().request('POST', '/api/v1/conversations', {
        key,
        body: {
          title: 'Vendor renewal',
          startTime: '2026-03-02T10:00:00Z',
          segments: segments(2, [
            ['Dana', 'Welcome. Today we review the vendor renewal and the migration.'],
            ['Bob', 'The SOC report from the vendor is two weeks late.'],
            ['Dana', 'Bob, please chase the vendor about the SOC report by Friday.'],
            ['Priya', 'I will write the handover doc for the support team by March 10.'],
            ['Dana', 'Great. Carl will update the pricing page next week.'],
          ]),
        },
      }),
    ).id;
  });
  after(async () => {
    await h?.close();
  });

  test('every action item of stored key points gets an id that survives regenerating them twice', async () => {
    const first = assertData(await t().request('POST', `/api/v1/conversations/${renewal}/keypoints`, { key })).keypoints;
    const ids = first.actionItems.map((a: { id: string }) => a.id);
    assert.equal(ids.length, 3, JSON.stringify(first.actionItems));
    assert.ok(ids.every((id: string) => /^act_[0-9A-Za-z]{20}$/.test(id)), ids.join());
    assert.deepEqual((await regenerate(renewal)).actionItems.map((a) => a.id), ids);
    assert.deepEqual((await regenerate(renewal)).actionItems.map((a) => a.id), ids);
    // The stored key points (GET) carry the same ids as the tracked items.
    const stored = assertData(await t().request('GET', `/api/v1/conversations/${renewal}/keypoints`, { key })).keypoints;
    assert.deepEqual(stored.actionItems.map((a: { id: string }) => a.id), ids);
    const { data } = await list();
    assert.deepEqual(new Set(data.map((i) => i.id)), new Set(ids));
    const soc = byOwner(data, 'Bob');
    assert.match(soc.item, /SOC report/);
    assert.deepEqual([soc.conversationId, soc.status, soc.dueDate, soc.suggestedStatus, soc.editedFields], [renewal, 'open', '2026-03-06', null, []]);
  });

  test('filters: status, owner (any case), dueBefore, conversationId; soonest due first; cursor pages', async () => {
    const all = (await list()).data;
    assert.deepEqual(all.map((i) => i.owner), ['Bob', 'Priya', 'Carl'], 'due 03-06, due 03-10, no due date last');
    assert.deepEqual((await list('owner=priya')).data.map((i) => i.owner), ['Priya']);
    assert.deepEqual((await list('owner=pri')).data, [], 'owner matches the whole name');
    assert.deepEqual((await list('dueBefore=2026-03-10')).data.map((i) => i.owner), ['Bob']);
    assert.deepEqual((await list(`conversationId=${renewal}`)).data.length, 3);
    assert.deepEqual((await list('conversationId=sess_nope')).data, []);
    assert.deepEqual((await list('status=done')).data, []);
    const seen: string[] = [];
    let page = await list('limit=1');
    for (;;) {
      seen.push(...page.data.map((i) => i.id));
      assert.equal(page.pagination.limit, 1);
      if (!page.pagination.nextCursor) break;
      page = await list(`limit=1&cursor=${page.pagination.nextCursor}`);
    }
    assert.deepEqual(seen, all.map((i) => i.id));
    const cursor = (await list('limit=1')).pagination.nextCursor!;
    assertValidation(await t().request('GET', `/api/v1/action-items?status=done&cursor=${cursor}`, { key }), 'cursor');
    assertValidation(await t().request('GET', '/api/v1/action-items?cursor=garbage', { key }), 'cursor');
    assertValidation(await t().request('GET', '/api/v1/action-items?status=closed', { key }), 'status');
    assertValidation(await t().request('GET', '/api/v1/action-items?dueBefore=2026-02-30', { key }), 'dueBefore');
    assertValidation(await t().request('GET', '/api/v1/action-items?limit=101', { key }), 'limit');
    assertValidation(await t().request('GET', '/api/v1/action-items?color=red', { key }), 'color');
  });

  test('a person\'s edits win over later regenerations; bad input is a 400 that changes nothing; other users get 404', async () => {
    const carl = byOwner((await list()).data, 'Carl');
    const bad: Array<[unknown, string]> = [
      [{ status: 'closed' }, 'status'],
      [{ owner: 'x'.repeat(201) }, 'owner'],
      [{ owner: 42 }, 'owner'],
      [{ dueDate: '2026-02-30' }, 'dueDate'],
      [{ dueDate: '0000-01-01' }, 'dueDate'],
      [{ dueDate: '03/20/2026' }, 'dueDate'],
      [{ status: 'done', priority: 'high' }, 'priority'],
      [{}, 'body'],
    ];
    for (const [body, field] of bad) assertValidation(await patch(carl.id, body), field, JSON.stringify(body));
    assertError(await patch(carl.id, { status: 'done' }, other), 404, 'not_found');
    assertError(await patch('act_doesnotexist0000000', { status: 'done' }), 404, 'not_found');
    assert.deepEqual(byOwner((await list()).data, 'Carl'), carl, 'rejected requests changed nothing');
    assert.deepEqual((await list('', other)).data, [], 'another user sees none of them');

    const stored = async () =>
      (assertData(await t().request('GET', `/api/v1/conversations/${renewal}/keypoints`, { key })).keypoints as { actionItems: Array<{ id: string; owner: string | null; dueDate?: string | null; status?: string }> }).actionItems;
    const othersBefore = (await stored()).filter((a) => a.id !== carl.id);
    const edited = assertData(await patch(carl.id, { owner: 'Dana', dueDate: '2026-03-20' })) as Item;
    assert.deepEqual([edited.id, edited.owner, edited.dueDate, edited.status, edited.editedFields], [carl.id, 'Dana', '2026-03-20', 'open', ['owner', 'dueDate']]);
    // The conversation's stored key points say the same at once, and nothing else in them moved.
    const shown = (await stored()).find((a) => a.id === carl.id)!;
    assert.deepEqual([shown.owner, shown.dueDate, shown.status], ['Dana', '2026-03-20', 'open']);
    assert.deepEqual((await stored()).filter((a) => a.id !== carl.id), othersBefore);
    const kp = await regenerate(renewal);
    assert.ok(kp.actionItems.some((a) => a.id === carl.id));
    const regenerated = kp.actionItems.find((a) => a.id === carl.id) as { owner: string | null; dueDate?: string | null; status?: string };
    assert.deepEqual([regenerated.owner, regenerated.dueDate, regenerated.status], ['Dana', '2026-03-20', 'open'], 'regenerated key points keep the edit');
    const after = (await list()).data.find((i) => i.id === carl.id)!;
    assert.deepEqual([after.owner, after.dueDate], ['Dana', '2026-03-20'], 'the edit survived regeneration');
    const cleared = assertData(await patch(carl.id, { dueDate: null })) as Item;
    assert.equal(cleared.dueDate, null);
    await regenerate(renewal);
    assert.equal((await list()).data.find((i) => i.id === carl.id)!.dueDate, null, 'a cleared due date stays cleared');
    assert.equal((await stored()).find((a) => a.id === carl.id)!.dueDate, null, 'and the stored key points say so');
    assertData(await patch(carl.id, { status: 'done' }));
    assert.equal((await stored()).find((a) => a.id === carl.id)!.status, 'done');
    assertData(await patch(carl.id, { status: 'open' }));
  });

  test('regenerated key points: reworded items keep their ids, untouched vanished ones go, edited ones stay', async () => {
    const conv = assertData(
      await t().request('POST', '/api/v1/conversations', { key, body: { title: 'Scratch', segments: segments(1, [['Ann', 'We need a logo.'], ['Ben', 'And a font.'], ['Ann', 'And a banner.']]) } }),
    ).id;
    const item = (text: string, seg: number, owner: string | null = null) => ({ item: text, owner, confidence: 0.8, priority: 'medium' as const, dueDate: null, evidence: [{ segmentIndex: seg, quote: '' }] });
    const kp = (items: ReturnType<typeof item>[]): Keypoints => ({ title: 'S', sections: [], decisions: [], decisionDetails: [], actionItems: items, participants: [], importantDates: [] });
    const sync = async (k: Keypoints) => {
      await t().container.db.transaction().execute((trx) => t().container.actionItems.syncKeypoints(trx, userId, conv, k));
      return (k.actionItems as Array<{ id?: string }>).map((a) => a.id!);
    };
    const [logo, font, banner] = await sync(kp([item('Design the new logo', 0, 'Ann'), item('Pick a font for the site', 1), item('Order the trade show banner', 2)]));
    assertData(await patch(banner, { status: 'dismissed' }));
    const [logo2, font2, venue] = await sync(
      kp([item('Ann to design a new company logo', 0, 'Ann'), item('Choose the font for the website', 1), item('Book the venue for the launch party', 1)]),
    );
    assert.equal(logo2, logo, 'reworded: same id');
    assert.equal(font2, font, 'reworded, same evidence: same id');
    assert.ok(![logo, font, banner].includes(venue), 'a different task on the same segment: a new item');
    const rows = await t().container.db.selectFrom('action_items').select(['id', 'status']).where('conversation_id', '=', conv).execute();
    assert.deepEqual(new Set(rows.map((r) => r.id)), new Set([logo, font, venue, banner]), 'the dismissed item is kept');
    await sync(kp([item('Design the new logo', 0, 'Ann')]));
    const left = await t().container.db.selectFrom('action_items').select('id').where('conversation_id', '=', conv).execute();
    assert.deepEqual(new Set(left.map((r) => r.id)), new Set([logo, banner]), 'untouched vanished items go; the edited one stays');
    await t().request('DELETE', `/api/v1/conversations/${conv}`, { key });
  });

  test('a later meeting that mentions open items links them and suggests done only where it says so; accepting sets the status', async () => {
    const followUp = assertData(
      await t().request('POST', '/api/v1/conversations', {
        key,
        body: {
          title: 'Weekly sync',
          startTime: '2026-03-09T10:00:00Z',
          segments: segments(9, [
            ['Dana', 'Quick status round on last week.'],
            ['Priya', 'The handover doc is done and shared with support.'],
            ['Bob', 'Still waiting on the SOC report from the vendor.'],
            ['Dana', 'Thanks. Next topic is hiring.'],
          ]),
        },
      }),
    ).id;
    assertData(await t().request('POST', `/api/v1/conversations/${followUp}/keypoints`, { key }));
    const linked = await waitFor(async () => {
      const items = (await list(`conversationId=${renewal}`)).data;
      return items.filter((i) => i.mentions.length).length === 2 && items;
    }, 'mentions of both items');
    const handover = byOwner(linked, 'Priya');
    const soc = byOwner(linked, 'Bob');
    assert.deepEqual(handover.mentions.map((m) => [m.conversationId, m.segmentIndex, m.suggestsDone]), [[followUp, 1, true]]);
    assert.deepEqual(soc.mentions.map((m) => [m.conversationId, m.segmentIndex, m.suggestsDone]), [[followUp, 2, false]]);
    assert.deepEqual([handover.status, handover.suggestedStatus], ['open', 'done'], 'proposed, never set');
    assert.deepEqual([soc.status, soc.suggestedStatus], ['open', null], '"still waiting" is no sign of done');
    assert.equal(byOwner(linked, 'Dana').mentions.length, 0, 'the pricing page was not mentioned');

    // Turned down: the suggestion goes, and the same meeting does not make it again.
    const declined = assertData(await patch(handover.id, { status: 'open' })) as Item;
    assert.deepEqual([declined.status, declined.suggestedStatus, declined.editedFields], ['open', null, ['status']]);
    await t().container.actionItems.linkMentions(userId, followUp);
    const again = (await list(`conversationId=${renewal}`)).data.find((i) => i.id === handover.id)!;
    assert.deepEqual([again.suggestedStatus, again.mentions.length], [null, 1]);

    const accepted = assertData(await patch(handover.id, { status: 'done' })) as Item;
    assert.deepEqual([accepted.status, accepted.suggestedStatus], ['done', null]);
    assert.equal(await t().container.actionItems.linkMentions(userId, followUp), 0, 'done items are not linked again');
    assert.ok(!(await list()).data.some((i) => i.id === handover.id), 'done items leave the open list');
    assert.deepEqual((await list('status=done')).data.map((i) => i.id), [handover.id]);
  });

  test('key points generated out of meeting order: an earlier meeting\'s items are linked to the later meeting that mentions them', async () => {
    const create = async (title: string, day: number, rows: string[][]) =>
      assertData(await t().request('POST', '/api/v1/conversations', { key, body: { title, startTime: `2026-03-${day}T10:00:00Z`, segments: segments(day, rows) } })).id as string;
    const jobDone = (conversationId: string) =>
      waitFor(async () => {
        const r = await sql<{ state: string }>`select state from pgboss.job where name = 'action_items.mentions' and data->>'conversationId' = ${conversationId}`.execute(t().container.db);
        return r.rows.length > 0 && r.rows.every((x) => x.state === 'completed');
      }, `the mention job of ${conversationId}`);
    const later = await create('Quarter close', 20, [
      ['Kim', 'Good news, the quarterly tax filing is done and sent to the auditors.'],
      ['Lee', 'Great, thanks everyone.'],
    ]);
    const earlier = await create('Quarter planning', 12, [
      ['Kim', 'Welcome. Today we plan the quarter.'],
      ['Kim', 'Lee, please prepare the quarterly tax filing for the auditors by Friday.'],
      ['Lee', 'Sure, I will.'],
    ]);
    // The later meeting is analysed first, and its job has run, before the earlier meeting has items.
    assertData(await t().request('POST', `/api/v1/conversations/${later}/keypoints`, { key }));
    await jobDone(later);
    assertData(await t().request('POST', `/api/v1/conversations/${earlier}/keypoints`, { key }));
    await jobDone(earlier);
    const filing = (await list(`conversationId=${earlier}`)).data.find((i) => /tax filing/.test(i.item))!;
    assert.ok(filing, 'the earlier meeting has the item');
    assert.deepEqual(filing.mentions.map((m) => [m.conversationId, m.segmentIndex, m.suggestsDone]), [[later, 0, true]]);
    assert.deepEqual([filing.status, filing.suggestedStatus], ['open', 'done']);
    assert.equal(await t().container.actionItems.linkMentions(userId, earlier), 0, 'running it again changes nothing');
    for (const id of [later, earlier]) await t().request('DELETE', `/api/v1/conversations/${id}`, { key });
  });

  test('action_item.updated reaches a real receiver with the changed fields', async () => {
    await register(t(), key, h.receiver.url('/items'), ['action_item.updated']);
    const soc = byOwner((await list()).data, 'Bob');
    assertData(await patch(soc.id, { owner: 'Robert', status: 'open' }));
    const got = await waitFor(() => h.receiver.on('/items').find((r) => r.json.data.actionItemId === soc.id), 'the webhook delivery');
    assert.equal(got.headers['x-convo-event'], 'action_item.updated');
    assert.equal(got.json.event, 'action_item.updated');
    assert.deepEqual(got.json.data.changedFields, ['owner']);
    assert.equal(got.json.data.owner, 'Robert');
    assert.equal(got.json.data.conversationId, renewal);
    assert.equal(got.json.data.status, 'open');
  });

  test('deleted conversations take their items along; a restore brings them back', async () => {
    const before = (await list()).data.length;
    assert.ok(before > 0);
    assertData(await t().request('DELETE', `/api/v1/conversations/${renewal}`, { key }));
    assert.equal((await list(`conversationId=${renewal}`)).data.length, 0);
    const soc = (await t().container.db.selectFrom('action_items').select('id').where('conversation_id', '=', renewal).execute())[0];
    assertError(await patch(soc.id, { status: 'done' }), 404, 'not_found');
    assertData(await t().request('POST', `/api/v1/conversations/${renewal}/restore`, { key }));
    assert.equal((await list()).data.length, before);
  });

  test('key points stored before action items were tracked get ids and tracked items from the migration', async () => {
    const conv = assertData(
      await t().request('POST', '/api/v1/conversations', {
        key,
        body: {
          title: 'Old meeting',
          segments: segments(1, [
            ['Ann', 'Welcome. Today we plan the offsite.'],
            ['Ann', 'Zed, please renew the domain name by Friday.'],
            ['Ben', 'I will book the offsite venue for the team by March 10.'],
          ]),
        },
      }),
    ).id;
    assertData(await t().request('POST', `/api/v1/conversations/${conv}/keypoints`, { key }));
    // As an older version stored them: no ids, no tracked rows.
    const db = t().container.db;
    await db.deleteFrom('action_items').where('conversation_id', '=', conv).execute();
    const stored = await db.selectFrom('analyses').select('result').where('conversation_id', '=', conv).where('kind', '=', 'keypoints').executeTakeFirstOrThrow();
    const old = stored.result as unknown as { actionItems: Array<Record<string, unknown>> };
    assert.ok(old.actionItems.length >= 1, JSON.stringify(old));
    for (const a of old.actionItems) delete a.id;
    await db.updateTable('analyses').set({ result: JSON.stringify(old) }).where('conversation_id', '=', conv).where('kind', '=', 'keypoints').execute();

    assert.equal(await backfillActionItems(db, 1), old.actionItems.length);
    assert.equal(await backfillActionItems(db, 1), 0, 'a second run adds nothing');
    const kp = assertData(await t().request('GET', `/api/v1/conversations/${conv}/keypoints`, { key })).keypoints;
    const ids = kp.actionItems.map((a: { id: string }) => a.id);
    assert.ok(ids.every((id: string) => /^act_[0-9A-Za-z]{20}$/.test(id)), ids.join());
    assert.deepEqual(new Set((await list(`conversationId=${conv}`)).data.map((i) => i.id)), new Set(ids));
    assert.deepEqual((await regenerate(conv)).actionItems.map((a) => a.id), ids, 'and they survive regeneration');
    await t().request('DELETE', `/api/v1/conversations/${conv}`, { key });
  });

  test('MCP: list_action_items and update_action_item, for the key owner only', async () => {
    const connect = async (k: string) => {
      const c = new Client({ name: 'colloquy-test', version: '1.0.0' });
      await c.connect(new StreamableHTTPClientTransport(new URL(`${t().url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${k}` } } }));
      return c;
    };
    type Result = { isError?: boolean; content: Array<{ text: string }>; structuredContent?: { data: any } };
    const mine = await connect(key);
    const theirs = await connect(other);
    try {
      const listed = (await mine.callTool({ name: 'list_action_items', arguments: { owner: 'robert' } })) as Result;
      assert.ok(!listed.isError, listed.content[0]?.text);
      const [soc] = listed.structuredContent!.data.data as Item[];
      assert.match(soc.item, /SOC report/);
      assert.deepEqual(listed.structuredContent!.data.data, (await list('owner=robert')).data, 'the same data as the REST API');

      const denied = (await theirs.callTool({ name: 'update_action_item', arguments: { id: soc.id, status: 'done' } })) as Result;
      assert.equal(denied.isError, true);
      assert.match(denied.content[0].text, /^not_found: /);
      assert.deepEqual((await theirs.callTool({ name: 'list_action_items', arguments: {} }) as Result).structuredContent!.data.data, []);

      const invalid = (await mine.callTool({ name: 'update_action_item', arguments: { id: soc.id, dueDate: '2026-13-01' } })) as Result;
      assert.equal(invalid.isError, true);
      const updated = (await mine.callTool({ name: 'update_action_item', arguments: { id: soc.id, status: 'dismissed', dueDate: '2026-04-01' } })) as Result;
      assert.ok(!updated.isError, updated.content[0]?.text);
      assert.deepEqual([updated.structuredContent!.data.status, updated.structuredContent!.data.dueDate], ['dismissed', '2026-04-01']);
      assert.deepEqual((await list(`status=dismissed&conversationId=${renewal}`)).data.map((i) => i.id), [soc.id]);
    } finally {
      await mine.close();
      await theirs.close();
    }
  });
});
