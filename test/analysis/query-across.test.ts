// Questions across conversations (POST /api/v1/query) with the local engine, on both databases:
// decisions and action items come from the key points stored for each conversation, anything else
// from the transcripts' best passages; every claim cites a conversation and segment of the asker's.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';
import { assertData, assertError, assertValidation } from '../core/support.js';

interface Answer {
  query: string;
  response: string;
  source: 'key_points' | 'transcripts';
  intent: string;
  citations: Array<{ conversationId: string; title: string; startTime: string | null; segmentIndex: number; quote: string }>;
  conversationsConsidered: number;
}

describe(`questions across conversations (${dbLabel})`, () => {
  let t: TestApp;
  let key: string;
  const ids: Record<string, string> = {};
  const segmentsOf: Record<string, Array<{ speaker: string; text: string }>> = {};

  const meeting = async (name: string, title: string, startTime: string, lines: Array<[string, string]>) => {
    const segments = lines.map(([speaker, text], i) => ({ speaker, text, timestamp: new Date(Date.parse(startTime) + i * 20_000).toISOString() }));
    ids[name] = assertData(await t.request('POST', '/api/v1/conversations', { key, body: { title, startTime, segments } })).id;
    segmentsOf[name] = segments;
  };
  const ask = async (body: Record<string, unknown>, k = key) => {
    const r = await t.request('POST', '/api/v1/query', { key: k, body });
    assert.equal(r.status, 200, r.text);
    return r.body.data as Answer;
  };
  const used = async (k = key) => (await t.request('GET', '/api/v1/user/profile', { key: k })).body.data.apiUsage.aiGenerations.used as number;
  /** Every citation names a conversation of the asker's and quotes the segment it names. */
  const checkCitations = (a: Answer) => {
    for (const c of a.citations) {
      const name = Object.keys(ids).find((n) => ids[n] === c.conversationId);
      assert.ok(name, `cites one of the asker's conversations: ${c.conversationId}`);
      const seg = segmentsOf[name!][c.segmentIndex];
      assert.ok(seg, `segment ${c.segmentIndex} exists in ${name}`);
      assert.ok(seg.text.includes(c.quote.replace(/…$/, '')) || c.quote.includes(seg.text.slice(0, 20)), `the quote is from that segment: "${c.quote}" / "${seg.text}"`);
    }
  };

  before(async () => {
    t = await startTestApp();
    ({ key } = await t.user('professional'));
    await meeting('pricing', 'Pricing review', '2026-03-02T10:00:00Z', [
      ['Dana', 'Thanks for joining. Today is about the annual plan pricing.'],
      ['Marcus', 'Churn on the annual plan went down after the last change.'],
      ['Dana', 'So the decision is that we keep the annual discount at twenty percent for next year.'],
      ['Priya', 'Agreed. Nonprofits get thirty percent off from April.'],
      ['Dana', 'Alice will send the new price sheet to the sales team by Friday.'],
      ['Marcus', 'I will update the pricing page once the sheet is out.'],
      ['Dana', 'Great, thanks everyone.'],
    ]);
    await meeting('support', 'Support sync', '2026-03-05T15:00:00Z', [
      ['Bob', 'The SOC report from the vendor is two weeks late.'],
      ['Eve', 'Legal wants it before we sign the renewal.'],
      ['Bob', 'I will chase the vendor about the SOC report tomorrow.'],
      ['Eve', 'Ticket volume is down by a third since the help center update.'],
    ]);
    // Key points are generated as a user would; the cross-conversation answers read what was stored.
    for (const id of Object.values(ids)) assert.equal((await t.request('POST', `/api/v1/conversations/${id}/keypoints`, { key })).status, 200);
  });
  after(async () => {
    await t?.close();
  });

  test('what did we decide about X: the stored decisions on X, each cited', async () => {
    const stored = assertData(await t.request('GET', `/api/v1/conversations/${ids.pricing}/keypoints`, { key })).keypoints;
    const onDiscount = (stored.decisions as string[]).filter((d) => /discount/i.test(d));
    assert.ok(onDiscount.length >= 1, `the engine found the pricing decision: ${JSON.stringify(stored.decisions)}`);
    const before = await used();
    const a = await ask({ query: 'What did we decide about the annual discount?' });
    assert.equal(a.source, 'key_points');
    assert.equal(a.intent, 'decisions');
    for (const d of onDiscount) assert.ok(a.response.includes(d), `lists "${d}": ${a.response}`);
    assert.match(a.response, /Pricing review, 2026-03-02/);
    assert.ok(a.citations.length >= 1 && a.citations.every((c) => c.conversationId === ids.pricing));
    checkCitations(a);
    assert.equal(await used(), before + 1, 'one credit per question');
  });

  test('what is still open for a person: their stored action items, cited', async () => {
    const stored = assertData(await t.request('GET', `/api/v1/conversations/${ids.support}/keypoints`, { key })).keypoints;
    const bobs = (stored.actionItems as Array<{ item: string; owner: string | null }>).filter((x) => x.owner === 'Bob');
    assert.ok(bobs.length >= 1, `the engine found Bob's task: ${JSON.stringify(stored.actionItems)}`);
    const a = await ask({ query: 'What action items are still open for Bob?' });
    assert.equal(a.source, 'key_points');
    assert.equal(a.intent, 'action_items');
    for (const x of bobs) assert.ok(a.response.includes(x.item), a.response);
    assert.doesNotMatch(a.response, /price sheet/, 'nobody else\'s tasks');
    assert.ok(a.citations.every((c) => c.conversationId === ids.support));
    checkCitations(a);
  });

  test('any other question: answered from the best passages across conversations, cited', async () => {
    const a = await ask({ query: 'Why is the SOC report holding up the renewal?' });
    assert.equal(a.source, 'transcripts');
    assert.ok(a.citations.length >= 1);
    assert.ok(a.citations.some((c) => c.conversationId === ids.support && /SOC|renewal/.test(c.quote)), JSON.stringify(a.citations));
    checkCitations(a);
    const none = await ask({ query: 'What about the kangaroo migration?' });
    assert.deepEqual([none.citations, none.conversationsConsidered], [[], 0]);
    assert.match(none.response, /None of your conversations/);
  });

  test('conversationIds, since and until narrow the conversations asked', async () => {
    const only = await ask({ query: 'What did we decide about the annual discount?', conversationIds: [ids.support] });
    assert.ok(only.citations.every((c) => c.conversationId === ids.support));
    const later = await ask({ query: 'Who talked about the annual plan?', since: '2026-03-03T00:00:00Z' });
    assert.ok(later.citations.every((c) => c.conversationId !== ids.pricing), JSON.stringify(later.citations));
    const earlier = await ask({ query: 'Who talked about the annual plan?', until: '2026-03-03T00:00:00Z' });
    assert.ok(earlier.citations.length >= 1 && earlier.citations.every((c) => c.conversationId === ids.pricing));
    checkCitations(earlier);
  });

  test("another user's question never sees these conversations; bad bodies are 400 and spend nothing", async () => {
    const other = await t.user('professional');
    const theirs = await ask({ query: 'What did we decide about the annual discount?' }, other.key);
    assert.deepEqual(theirs.citations, []);
    assert.doesNotMatch(theirs.response, /discount at twenty/);
    const asIds = await ask({ query: 'What was decided about the discount?', conversationIds: [ids.pricing] }, other.key);
    assert.deepEqual(asIds.citations, []);
    const before = await used();
    assertValidation(await t.request('POST', '/api/v1/query', { key, body: {} }), 'query');
    assertValidation(await t.request('POST', '/api/v1/query', { key, body: { query: 'x'.repeat(501) } }), 'query');
    assertValidation(await t.request('POST', '/api/v1/query', { key, body: { query: 'x', conversationIds: [] } }), 'conversationIds');
    assertValidation(await t.request('POST', '/api/v1/query', { key, body: { query: 'x', since: '2026-03-03T00:00:00Z', until: '2026-03-01T00:00:00Z' } }), 'until');
    assertValidation(await t.request('POST', '/api/v1/query', { key, body: { query: 'x', scope: 'all' } }), /scope|body/);
    assertError(await t.request('POST', '/api/v1/query', { body: { query: 'x' } }), 401, 'unauthorized');
    assert.equal(await used(), before);
  });
});
