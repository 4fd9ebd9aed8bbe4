// Search across conversations (GET /search) and the list's `match` snippets, through the real HTTP
// stack on both databases: ranked segments with escaped, highlighted snippets, grouping, filters,
// cursors, tenant isolation, deletes and restores, appended messages, and the per-conversation
// search index (migration 0008) agreeing with the segments it is kept from.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';
import { listConversations, type ListCursor } from '../../src/db/repos/conversations.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { defaultSearchesAtOnce } from '../../src/container.js';
import { assertData, assertError, assertValidation } from './support.js';

interface Hit {
  conversationId: string;
  title: string;
  kind: string;
  startTime: string | null;
  segmentIndex: number;
  speaker: string;
  timestamp: string | null;
  snippet: string;
  score: number;
}

describe(`search across conversations (${dbLabel})`, () => {
  let t: TestApp;
  let key: string;
  let other: string;
  const ids: Record<string, string> = {};

  const create = async (name: string, body: Record<string, unknown>, k = key) => {
    ids[name] = assertData(await t.request('POST', '/api/v1/conversations', { key: k, body })).id;
  };
  const search = async (qs: string, k = key) => {
    const res = await t.request('GET', `/api/v1/search?${qs}`, { key: k });
    assert.equal(res.status, 200, res.text);
    return res.body as { data: Hit[]; pagination: { limit: number; nextCursor: string | null } };
  };
  const name = (id: string) => Object.entries(ids).find(([, v]) => v === id)?.[0] ?? id;

  before(async () => {
    t = await startTestApp();
    ({ key } = await t.user('professional'));
    ({ key: other } = await t.user('professional'));
    await create('pricing', {
      title: 'Pricing review',
      startTime: '2026-03-02T10:00:00Z',
      segments: [
        { speaker: 'Ann', text: 'Welcome everyone.' },
        { speaker: 'Bob', text: 'The annual plan discount stays at twenty percent, and the discount for nonprofits goes to thirty.' },
        { speaker: 'Ann', text: 'Fine. The <b>enterprise</b> tier keeps its price & terms.' },
        { speaker: 'Cara', text: 'One more discount question: do students get it?' },
      ],
    });
    await create('standup', {
      title: 'Daily standup',
      startTime: '2026-03-03T09:00:00Z',
      segments: [
        { speaker: 'Bob', text: 'I finished the export. Still waiting on the SOC report.' },
        { speaker: 'Cara', text: 'The budget is tight this quarter, so no new hires.' },
      ],
    });
    await create('budget', {
      title: 'Budget offsite',
      startTime: '2026-02-10T15:00:00Z',
      promptId: 'finance',
      segments: [
        { speaker: 'Dan', text: 'Tight budget, is it? We can still fund the pilot.' },
        { speaker: 'Ann', text: 'The discount we give resellers eats the margin.' },
      ],
    });
    await create('chat', { content: 'User: Can I get a discount on the annual plan?\nAssistant: Yes, annual plans are 20% off.' });
    // Another user's conversation with the same words: never seen by the first.
    await create('foreign', { title: 'Discount talk', segments: [{ speaker: 'Eve', text: 'The discount is secret.' }] }, other);
  });
  after(async () => {
    await t?.close();
  });

  test('finds a word across conversations, most relevant first, with escaped highlighted snippets', async () => {
    const { data } = await search('q=discount');
    const where = data.map((h) => `${name(h.conversationId)}#${h.segmentIndex}`);
    assert.deepEqual(new Set(where), new Set(['pricing#1', 'pricing#3', 'budget#1', 'chat#0']), `hits: ${where}`);
    for (let i = 1; i < data.length; i++) assert.ok(data[i - 1].score >= data[i].score, 'sorted by relevance');
    // The segment that says it twice ranks first.
    assert.equal(where[0], 'pricing#1');
    const top = data[0];
    assert.equal(top.speaker, 'Bob');
    assert.equal(top.title, 'Pricing review');
    assert.equal(top.kind, 'meeting');
    assert.equal(top.startTime, '2026-03-02T10:00:00.000Z');
    assert.match(top.snippet, /<mark>discount<\/mark>.*<mark>discount<\/mark>/);
    assert.ok(data.every((h) => !h.conversationId.includes(ids.foreign)), 'no other user');
  });

  test('snippets are HTML-escaped; only the marks are tags', async () => {
    const { data } = await search('q=enterprise');
    assert.equal(data.length, 1);
    assert.equal(name(data[0].conversationId), 'pricing');
    assert.equal(data[0].segmentIndex, 2);
    const withoutMarks = data[0].snippet.replace(/<\/?mark>/g, '');
    assert.doesNotMatch(withoutMarks, /[<>]/, data[0].snippet);
    assert.match(data[0].snippet, /<mark>enterprise<\/mark>/);
    assert.match(data[0].snippet, /&amp;/);
  });

  test('stemming, phrases, exclusions, or', async () => {
    const stems = (await search('q=discounts')).data.map((h) => name(h.conversationId));
    assert.ok(stems.includes('pricing') && stems.includes('budget'), `plural finds the singular: ${stems}`);
    // A phrase must be said in one segment: "budget is tight" is, "tight budget" is another order.
    const phrase = (await search(`q=${encodeURIComponent('"budget is tight"')}`)).data;
    assert.deepEqual(phrase.map((h) => `${name(h.conversationId)}#${h.segmentIndex}`), ['standup#1']);
    const listed = (await t.request('GET', `/api/v1/conversations?search=${encodeURIComponent('"budget is tight"')}`, { key })).body;
    assert.deepEqual(listed.data.map((c: { id: string }) => name(c.id)), ['standup']);
    assert.equal(listed.pagination.total, 1);
    const words = (await search('q=budget+tight')).data.map((h) => name(h.conversationId)).sort();
    assert.deepEqual(words, ['budget', 'standup']);
    const excluded = (await search(`q=${encodeURIComponent('discount -resellers')}`)).data.map((h) => name(h.conversationId));
    assert.ok(!excluded.includes('budget') && excluded.includes('pricing'), `-resellers leaves out the budget meeting: ${excluded}`);
    const either = new Set((await search(`q=${encodeURIComponent('SOC or nonprofits')}`)).data.map((h) => name(h.conversationId)));
    assert.deepEqual(either, new Set(['standup', 'pricing']));
    assert.deepEqual((await search('q=zanzibar')).data, []);
  });

  test('groupBy=conversation: one entry per conversation with its best matches and their number', async () => {
    const { data } = (await search('q=discount&groupBy=conversation')) as unknown as {
      data: Array<{ conversationId: string; matchCount: number; score: number; matches: Array<{ segmentIndex: number; snippet: string }> }>;
    };
    assert.deepEqual(data.map((g) => name(g.conversationId)).sort(), ['budget', 'chat', 'pricing']);
    const pricing = data.find((g) => g.conversationId === ids.pricing)!;
    assert.equal(pricing.matchCount, 2);
    assert.deepEqual(pricing.matches.map((m) => m.segmentIndex), [1, 3]);
    assert.equal(name(data[0].conversationId), 'pricing', 'the best segment decides the order');
    for (let i = 1; i < data.length; i++) assert.ok(data[i - 1].score >= data[i].score);
  });

  test('filters: since, until, kind, speaker, promptId', async () => {
    const names = async (qs: string) => [...new Set((await search(`q=discount&${qs}`)).data.map((h) => name(h.conversationId)))].sort();
    assert.deepEqual(await names('since=2026-03-01T00:00:00Z&kind=meeting'), ['pricing']);
    assert.deepEqual(await names('until=2026-03-01T00:00:00Z&kind=meeting'), ['budget']);
    assert.deepEqual(await names('kind=chat'), ['chat']);
    assert.deepEqual(await names('speaker=cara'), ['pricing']);
    assert.deepEqual(await names('promptId=finance'), ['budget']);
  });

  test('cursor pages cover every hit once; a cursor of another search is refused', async () => {
    const all = (await search('q=discount&limit=50')).data.map((h) => `${h.conversationId}#${h.segmentIndex}`);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof search>> = await search(`q=discount&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      assert.ok(page.data.length <= 2);
      seen.push(...page.data.map((h) => `${h.conversationId}#${h.segmentIndex}`));
      cursor = page.pagination.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    assert.deepEqual(seen, all);
    assert.equal(pages, Math.ceil(all.length / 2));
    const first = await search('q=discount&limit=1');
    assertValidation(await t.request('GET', `/api/v1/search?q=budget&cursor=${first.pagination.nextCursor}`, { key }), 'cursor');
    assertValidation(await t.request('GET', '/api/v1/search?q=discount&cursor=bm90IGpzb24', { key }), 'cursor');
  });

  test('bad requests are 400 with details; another user sees nothing of this one', async () => {
    assertValidation(await t.request('GET', '/api/v1/search', { key }), 'q');
    assertValidation(await t.request('GET', '/api/v1/search?q=%20', { key }), 'q');
    assertValidation(await t.request('GET', `/api/v1/search?q=${'a'.repeat(201)}`, { key }), 'q');
    assertValidation(await t.request('GET', '/api/v1/search?q=x&limit=0', { key }), 'limit');
    assertValidation(await t.request('GET', '/api/v1/search?q=x&groupBy=speaker', { key }), 'groupBy');
    assertValidation(await t.request('GET', '/api/v1/search?q=x&since=yesterday', { key }), 'since');
    assertValidation(await t.request('GET', '/api/v1/search?q=x&since=2026-03-02T00:00:00Z&until=2026-03-01T00:00:00Z', { key }), 'until');
    assertValidation(await t.request('GET', '/api/v1/search?q=x&color=red', { key }), /color|query/);
    assertError(await t.request('GET', '/api/v1/search?q=discount'), 401, 'unauthorized');
    const theirs = (await search('q=discount', other)).data;
    assert.deepEqual(theirs.map((h) => h.conversationId), [ids.foreign]);
  });

  test('deleted conversations drop out and come back on restore; appended messages are found', async () => {
    assert.equal((await t.request('DELETE', `/api/v1/conversations/${ids.standup}`, { key })).status, 200);
    assert.deepEqual((await search('q=SOC')).data, []);
    assert.equal((await t.request('GET', '/api/v1/conversations?search=SOC', { key })).body.pagination.total, 0);
    assertData(await t.request('POST', `/api/v1/conversations/${ids.standup}/restore`, { key }));
    assert.equal((await search('q=SOC')).data.length, 1);

    await create('live', { kind: 'chat', status: 'active', messages: [{ role: 'user', content: 'Hello there' }] });
    assert.deepEqual((await search('q=refund')).data, []);
    for (const content of ['I would like a refund for order 88', 'Refunds take five days']) {
      const res = await t.request('POST', `/api/v1/conversations/${ids.live}/messages`, { key, body: { messages: [{ role: 'user', content }] } });
      assert.equal(res.status, 200, res.text);
    }
    const hits = (await search('q=refund')).data;
    assert.deepEqual(hits.map((h) => `${name(h.conversationId)}#${h.segmentIndex}`).sort(), ['live#1', 'live#2']);
    const listed = await t.request('GET', '/api/v1/conversations?search=refund', { key });
    assert.deepEqual(listed.body.data.map((c: { id: string }) => c.id), [ids.live]);
  });

  test("the list's search carries where each row matched: a segment snippet, or the title", async () => {
    const res = await t.request('GET', '/api/v1/conversations?search=discount', { key });
    assert.equal(res.status, 200, res.text);
    const rows = res.body.data as Array<{ id: string; match: { field: string; segmentIndex: number | null; speaker: string | null; snippet: string } }>;
    assert.deepEqual(rows.map((r) => name(r.id)).sort(), ['budget', 'chat', 'pricing']);
    const pricing = rows.find((r) => r.id === ids.pricing)!.match;
    assert.equal(pricing.field, 'transcript');
    assert.equal(pricing.segmentIndex, 1);
    assert.equal(pricing.speaker, 'Bob');
    assert.match(pricing.snippet, /<mark>discount<\/mark>/);
    // "offsite" is in no transcript, only in the budget meeting's title.
    const titled = (await t.request('GET', '/api/v1/conversations?search=offsite', { key })).body.data as typeof rows;
    assert.deepEqual(titled.map((r) => name(r.id)), ['budget']);
    assert.deepEqual(titled[0].match, { field: 'title', segmentIndex: null, speaker: null, timestamp: null, snippet: 'Budget <mark>offsite</mark>' });
    // A plain list has no match field.
    const plain = (await t.request('GET', '/api/v1/conversations', { key })).body.data as Array<Record<string, unknown>>;
    assert.ok(plain.every((r) => !('match' in r)));
  });

  test('a search past its count cap pages the same rows in the same order, and says its total is a lower bound', async () => {
    const userId = (await t.container.db.selectFrom('conversations').select('user_id').where('id', '=', ids.pricing).executeTakeFirstOrThrow()).user_id;
    for (const sort of ['createdAt', 'startTime'] as const) {
      const base = { userId, search: 'discount', sort, limit: 1, offset: 0 };
      const exact = await listConversations(t.container.db, { ...base, limit: 10 });
      assert.equal(exact.total, 3);
      assert.equal(exact.capped, false);
      const order = exact.rows.map((r) => r.id);
      // Cap 1: three matches are "many"; the page walks the list in order instead.
      for (const cap of [1, 2, 3, 10]) {
        const seen: string[] = [];
        let after: ListCursor | undefined;
        for (let i = 0; i < 5; i++) {
          const p = await listConversations(t.container.db, { ...base, totalCap: cap, after });
          assert.equal(p.total, Math.min(3, cap));
          assert.equal(p.capped, cap < 3);
          seen.push(...p.rows.map((r) => r.id));
          if (!p.next) break;
          after = p.next;
        }
        assert.deepEqual(seen, order, `cap ${cap}, sort ${sort}, by cursor`);
        for (let offset = 0; offset < 4; offset++) {
          const p = await listConversations(t.container.db, { ...base, totalCap: cap, offset });
          assert.deepEqual(p.rows.map((r) => r.id), order.slice(offset, offset + 1), `cap ${cap}, sort ${sort}, offset ${offset}`);
        }
      }
    }
    const res = await t.request('GET', '/api/v1/conversations?search=discount', { key });
    assert.deepEqual([res.body.pagination.total, res.body.pagination.totalRelation], [3, 'eq']);
  });

  test("each conversation's search words are exactly its segments' words", async () => {
    const r = await sql<{ id: string; same: boolean }>`
      select c.id, c.transcript_search = coalesce((select strip(to_tsvector('english', string_agg(text, ' '))) from segments s where s.conversation_id = c.id), ''::tsvector) as same
      from conversations c`.execute(t.container.db);
    assert.ok(r.rows.length >= 5);
    assert.deepEqual(r.rows.filter((x) => !x.same).map((x) => x.id), []);
  });

  test('misspelled words and names are corrected from what the user said: didYouMean, results for it, nothing from other users', async () => {
    const { key: mine } = await t.user('professional');
    const { key: theirs } = await t.user('professional');
    const say = async (k: string, title: string, segments: Array<{ speaker: string; text: string }>) =>
      assertData(await t.request('POST', '/api/v1/conversations', { key: k, body: { title, segments } })).id as string;
    const kickoff = await say(mine, 'Customer kickoff', [
      { speaker: 'Tomasz', text: 'I will send the onboarding checklist on Thursday.' },
      { speaker: 'Priya', text: 'Great. Kowalczyk from their side joins the integration review.' },
    ]);
    await say(theirs, 'Vendor sync', [{ speaker: 'Zofia', text: 'Our procurement questionnaire is confidential.' }]);
    const find = async (q: string, k = mine) => {
      const res = await t.request('GET', `/api/v1/search?q=${encodeURIComponent(q)}`, { key: k });
      assert.equal(res.status, 200, res.text);
      return res.body as { data: Hit[]; didYouMean: string | null; pagination: { nextCursor: string | null } };
    };

    const name = await find('Kowalcyk');
    assert.equal(name.didYouMean, 'kowalczyk');
    assert.deepEqual(name.data.map((h) => [h.conversationId, h.segmentIndex]), [[kickoff, 1]]);
    assert.match(name.data[0].snippet, /<mark>Kowalczyk<\/mark>/);
    const typo = await find('onbaording checklist');
    assert.equal(typo.didYouMean, 'onboarding checklist');
    assert.deepEqual(typo.data.map((h) => h.segmentIndex), [0]);
    assert.match(typo.data[0].snippet, /<mark>onboarding<\/mark> <mark>checklist<\/mark>/);
    // Spelled right: no correction. Nothing close: nothing, and no correction.
    assert.equal((await find('checklist')).didYouMean, null);
    assert.deepEqual(await find('zanzibar').then((r) => [r.data, r.didYouMean]), [[], null]);
    // Only the user's own words stand in: another user's "questionnaire" is never suggested, either way.
    assert.deepEqual(await find('questionaire').then((r) => [r.data, r.didYouMean]), [[], null]);
    assert.equal((await find('questionaire', theirs)).didYouMean, 'questionnaire');
    // Grouped results are corrected the same way.
    const grouped = await t.request('GET', `/api/v1/search?q=Kowalcyk&groupBy=conversation`, { key: mine });
    assert.equal(grouped.body.didYouMean, 'kowalczyk');
    assert.deepEqual(grouped.body.data.map((g: { conversationId: string }) => g.conversationId), [kickoff]);
  });
});

describe(`the server's search count limit (${dbLabel})`, () => {
  let t: TestApp;
  let key: string;
  before(async () => {
    t = await startTestApp({ env: { COLLOQUY_SEARCH_TOTAL_CAP: '100' } });
    ({ key } = await t.user('enterprise'));
    for (let i = 0; i < 101; i++) {
      assertData(await t.request('POST', '/api/v1/conversations', { key, body: { title: `Sync ${i}`, segments: [{ speaker: 'Ann', text: `Item ${i}: the discount stays.` }] } }));
    }
  });
  after(async () => {
    await t.close();
  });

  test('COLLOQUY_SEARCH_TOTAL_CAP: past it the total is a lower bound ("gte"), and the cursor still reaches every match once', async () => {
    const first = await t.request('GET', '/api/v1/conversations?search=discount&limit=40', { key });
    assert.equal(first.status, 200, first.text);
    assert.deepEqual([first.body.pagination.total, first.body.pagination.totalRelation], [100, 'gte']);
    const seen = new Set<string>(first.body.data.map((r: { id: string }) => r.id));
    let cursor = first.body.pagination.nextCursor as string | null;
    while (cursor) {
      const page = await t.request('GET', `/api/v1/conversations?search=discount&limit=40&cursor=${encodeURIComponent(cursor)}`, { key });
      assert.equal(page.status, 200, page.text);
      for (const r of page.body.data as Array<{ id: string }>) {
        assert.ok(!seen.has(r.id), `${r.id} seen twice`);
        seen.add(r.id);
      }
      cursor = page.body.pagination.nextCursor;
    }
    assert.equal(seen.size, 101);
    // Under the limit the total is exact.
    const few = await t.request('GET', '/api/v1/conversations?search=%22Item%207%3A%22', { key });
    assert.deepEqual([few.body.pagination.total, few.body.pagination.totalRelation], [1, 'eq']);
  });

  test('a limit below 100 is a configuration error', () => {
    assert.throws(() => loadConfig({ COLLOQUY_SEARCH_TOTAL_CAP: '10' }), ConfigError);
    assert.equal(loadConfig({ COLLOQUY_SEARCH_TOTAL_CAP: '2500' }).searchTotalCap, 2500);
    assert.equal(loadConfig({}).searchTotalCap, null);
  });
});

test('searches admitted at once on PostgreSQL: half the pool, at most the cores minus one, at least one; COLLOQUY_SEARCHES_AT_ONCE overrides', () => {
  assert.equal(defaultSearchesAtOnce(10, 2), 1);
  assert.equal(defaultSearchesAtOnce(10, 8), 5);
  assert.equal(defaultSearchesAtOnce(10, 4), 3);
  assert.equal(defaultSearchesAtOnce(1, 16), 1);
  assert.equal(defaultSearchesAtOnce(10, 1), 1);
  assert.equal(loadConfig({ COLLOQUY_SEARCHES_AT_ONCE: '6' }).searchesAtOnce, 6);
  assert.equal(loadConfig({}).searchesAtOnce, null);
  assert.throws(() => loadConfig({ COLLOQUY_SEARCHES_AT_ONCE: '0' }), ConfigError);
});
