// The MCP server at /mcp, driven by the official SDK's own client over HTTP: every tool is listed and
// called with the user's API key; another user's ids are not found; a revoked or missing key is
// refused; calls count against the same rate limit and AI credits as the REST API.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { dbLabel } from '../helpers/db.js';
import { assertData } from './support.js';

type ToolResult = { isError?: boolean; content: Array<{ type: string; text: string }>; structuredContent?: { data: any } };

describe(`MCP server (${dbLabel})`, () => {
  let t: TestApp;
  let key: string;
  let meetingId: string;
  let client: Client;

  const connect = async (k: string) => {
    const c = new Client({ name: 'colloquy-test', version: '1.0.0' });
    await c.connect(new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${k}` } } }));
    return c;
  };
  const call = async (name: string, args: Record<string, unknown>, c = client) => (await c.callTool({ name, arguments: args })) as ToolResult;
  const used = async () => (await t.request('GET', '/api/v1/user/profile', { key })).body.data.apiUsage.aiGenerations.used as number;

  before(async () => {
    t = await startTestApp();
    ({ key } = await t.user('professional'));
    const segments = [
      ['Dana', 'Welcome. Today we review the vendor renewal.'],
      ['Bob', 'The SOC report from the vendor is two weeks late.'],
      ['Dana', 'So the decision is that we sign the renewal only after the SOC report arrives.'],
      ['Bob', 'I will chase the vendor about the SOC report tomorrow.'],
    ].map(([speaker, text], i) => ({ speaker, text, timestamp: new Date(Date.UTC(2026, 2, 2, 10, 0, i * 20)).toISOString() }));
    meetingId = assertData(await t.request('POST', '/api/v1/conversations', { key, body: { title: 'Vendor renewal', startTime: '2026-03-02T10:00:00Z', segments } })).id;
    client = await connect(key);
  });
  after(async () => {
    await client?.close();
    await t?.close();
  });

  test('lists every tool with an input schema', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((x) => x.name).sort(), ['ask', 'get_key_points', 'get_transcript', 'list_action_items', 'list_conversations', 'list_upcoming_events', 'search_conversations', 'update_action_item']);
    for (const x of tools) assert.equal(x.inputSchema.type, 'object', x.name);
  });

  test('search, list, transcript: the same data as the REST API', async () => {
    const found = await call('search_conversations', { q: 'SOC report' });
    assert.ok(!found.isError, found.content[0]?.text);
    const hits = found.structuredContent!.data.data as Array<{ conversationId: string; segmentIndex: number; snippet: string }>;
    assert.deepEqual(hits.map((h) => h.segmentIndex).sort(), [1, 2, 3]);
    assert.ok(hits.every((h) => h.conversationId === meetingId && /<mark>SOC<\/mark>/.test(h.snippet)));
    assert.match(found.content[0].text, /SOC/);

    const listed = (await call('list_conversations', {})).structuredContent!.data;
    assert.deepEqual([listed.total, listed.conversations[0].id, listed.conversations[0].title], [1, meetingId, 'Vendor renewal']);

    const transcript = (await call('get_transcript', { conversationId: meetingId })).structuredContent!.data;
    const rest = assertData(await t.request('GET', `/api/v1/conversations/${meetingId}/transcript`, { key }));
    assert.deepEqual(transcript.segments, rest.segments);
  });

  test('key points: missing until generated (one credit), then stored and free; ask one conversation or all (one credit each)', async () => {
    const missing = await call('get_key_points', { conversationId: meetingId });
    assert.equal(missing.isError, true);
    assert.match(missing.content[0].text, /^not_found: /);
    const start = await used();
    const made = await call('get_key_points', { conversationId: meetingId, generate: true });
    assert.ok(!made.isError, made.content[0]?.text);
    assert.equal(await used(), start + 1);
    const again = await call('get_key_points', { conversationId: meetingId, generate: true });
    assert.equal(again.structuredContent!.data.cached, true);
    assert.deepEqual(again.structuredContent!.data.keypoints, made.structuredContent!.data.keypoints);
    assert.equal(await used(), start + 1, 'stored key points are free');

    const one = (await call('ask', { query: 'Who will chase the vendor?', conversationId: meetingId })).structuredContent!.data;
    assert.match(one.response, /Bob/);
    const across = (await call('ask', { query: 'Why is the SOC report holding up the renewal?' })).structuredContent!.data;
    assert.ok(across.citations.length >= 1 && across.citations.every((c: { conversationId: string }) => c.conversationId === meetingId));
    assert.equal(await used(), start + 3);
  });

  test('upcoming events without a calendar: a tool error saying how to connect one', async () => {
    const r = await call('list_upcoming_events', {});
    assert.equal(r.isError, true);
    assert.match(r.content[0].text, /^validation_error: .*calendar/i);
  });

  test("another user's key sees none of it: their ids are not found, their searches empty", async () => {
    const other = await t.user('professional');
    const c = await connect(other.key);
    try {
      for (const [name, args] of [
        ['get_transcript', { conversationId: meetingId }],
        ['get_key_points', { conversationId: meetingId, generate: true }],
        ['ask', { query: 'What was decided?', conversationId: meetingId }],
      ] as const) {
        const r = await call(name, args, c);
        assert.equal(r.isError, true, name);
        assert.match(r.content[0].text, /^not_found: /, name);
      }
      assert.deepEqual((await call('search_conversations', { q: 'SOC' }, c)).structuredContent!.data.data, []);
      assert.equal((await call('list_conversations', {}, c)).structuredContent!.data.total, 0);
    } finally {
      await c.close();
    }
  });

  test('bad arguments are refused; a missing or revoked key cannot connect; calls count against the rate limit', async () => {
    const bad = await call('search_conversations', { q: '' });
    assert.equal(bad.isError, true);
    const before = Number((await t.request('GET', '/api/v1/user/profile', { key })).headers.get('x-ratelimit-remaining'));
    await client.listTools();
    const after = Number((await t.request('GET', '/api/v1/user/profile', { key })).headers.get('x-ratelimit-remaining'));
    assert.equal(before - after, 2, 'the MCP request and the profile request');

    const anonymous = await fetch(`${t.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' });
    assert.equal(anonymous.status, 401);
    assert.equal(((await anonymous.json()) as { error: { code: string } }).error.code, 'unauthorized');
    assert.equal((await fetch(`${t.url}/mcp`, { headers: { authorization: `Bearer ${key}` } })).status, 405);

    const spare = await t.request('POST', '/api/v1/keys', { key, body: { name: 'assistant' } });
    const spareKey = assertData(spare, 201).key as string;
    const c = await connect(spareKey);
    assert.ok((await c.listTools()).tools.length > 0);
    assert.equal((await t.request('DELETE', `/api/v1/keys/${assertData(spare, 201).id}`, { key })).status, 200);
    await assert.rejects(c.listTools(), /401|nauthorized|revoked/i);
    await c.close().catch(() => {});
  });
});
