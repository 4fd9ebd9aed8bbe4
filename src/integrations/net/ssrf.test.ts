import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { AppError } from '../../domain/errors.js';
import { BlockedDestinationError, checkUrl, createAddressPolicy, guardedDispatcher, type LookupAddress, type LookupFn } from './ssrf.js';

// A public address (TEST-NET ranges are themselves refused, so a real allocation is used);
// no test ever connects to it: only 127.0.0.1 is contacted.
const PUBLIC_V4 = '93.184.215.14';
const PUBLIC_V6 = '2606:2800:21f:cb07:6820:80da:af6b:8b2c';

function fakeDns(table: Record<string, string[]>, calls: string[] = []): LookupFn {
  return async (hostname) => {
    calls.push(hostname);
    const answers = table[hostname];
    if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return answers.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

const dns = fakeDns({
  'hooks.example.com': [PUBLIC_V4, PUBLIC_V6],
  'rebind.example.com': [PUBLIC_V4, '127.0.0.1'],
  'internal.example.com': ['10.1.2.3'],
  'metadata.example.com': ['169.254.169.254'],
  'mapped.example.com': ['::ffff:10.0.0.1'],
  'v6local.example.com': ['fd00::1'],
  'localhost': ['127.0.0.1', '::1'],
  'empty.example.com': [],
});

async function refused(url: string, opts: { allowPrivate: boolean; lookup?: LookupFn } = { allowPrivate: false, lookup: dns }) {
  const err = await checkUrl(url, opts).then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(err instanceof BlockedDestinationError, `${url} should be refused, got ${String(err)}`);
  assert.ok(err instanceof AppError);
  assert.equal(err.code, 'validation_error');
  assert.equal(err.status, 400);
  assert.equal(typeof err.details?.url, 'string');
  return err.reason;
}

test('checkUrl accepts a public https URL and returns every vetted address', async () => {
  const vetted = await checkUrl('https://hooks.example.com/convo?x=1', { allowPrivate: false, lookup: dns });
  assert.equal(vetted.url.href, 'https://hooks.example.com/convo?x=1');
  assert.deepEqual(vetted.addresses.map((a) => a.address), [PUBLIC_V4, PUBLIC_V6]);
  const literal = await checkUrl(`https://${PUBLIC_V4}:8443/`, { allowPrivate: false, lookup: dns });
  assert.deepEqual(literal.addresses, [{ address: PUBLIC_V4, family: 4 }]);
});

test('checkUrl refuses every private, loopback, link-local and odd form', async () => {
  const cases: Array<[string, RegExp]> = [
    ['http://hooks.example.com/', /only https/],
    ['ftp://hooks.example.com/', /only https/],
    ['https://user:pw@hooks.example.com/', /credentials/],
    ['https://user@hooks.example.com/', /credentials/],
    ['not a url', /not a valid/],
    ['https://internal.example.com/', /private address 10\.1\.2\.3/],
    ['https://rebind.example.com/', /loopback address 127\.0\.0\.1/],
    ['https://metadata.example.com/', /link-local address 169\.254\.169\.254/],
    ['https://mapped.example.com/', /private address 10\.0\.0\.1 embedded/],
    ['https://v6local.example.com/', /private address fd00::1/],
    ['https://localhost/', /loopback host/],
    ['https://LOCALHOST./', /loopback host/],
    ['https://api.localhost/', /loopback host/],
    ['https://127.0.0.1/', /loopback/],
    ['https://127.1.2.3:8443/', /loopback/],
    ['https://2130706433/', /loopback address 127\.0\.0\.1/],
    ['https://0x7f.1/', /loopback address 127\.0\.0\.1/],
    ['https://0x7f000001/', /loopback address 127\.0\.0\.1/],
    ['https://017700000001/', /loopback address 127\.0\.0\.1/],
    ['https://[::1]/', /loopback address ::1/],
    ['https://[::]/', /unspecified/],
    ['https://0.0.0.0/', /unspecified/],
    ['https://0/', /unspecified/],
    ['https://[::ffff:127.0.0.1]/', /loopback/],
    ['https://[::ffff:10.0.0.1]/', /private/],
    ['https://[::ffff:a9fe:a9fe]/', /link-local/],
    ['https://[64:ff9b::7f00:1]/', /loopback address 127\.0\.0\.1 embedded/],
    ['https://[2002:c0a8:0101::1]/', /private address 192\.168\.1\.1 embedded/],
    ['https://[fe80::1]/', /link-local/],
    ['https://[fc00::1]/', /private/],
    ['https://[ff02::1]/', /multicast/],
    ['https://10.0.0.1/', /private/],
    ['https://172.16.0.1/', /private/],
    ['https://172.31.255.255/', /private/],
    ['https://192.168.1.1/', /private/],
    ['https://100.64.0.1/', /private/],
    ['https://169.254.169.254/latest/meta-data/', /link-local/],
    ['https://224.0.0.1/', /multicast/],
    ['https://255.255.255.255/', /broadcast/],
    ['https://unknown.example.com/', /could not be resolved/],
    ['https://empty.example.com/', /no addresses/],
    ['https://' + 'a'.repeat(2100) + '.com/', /longer than/],
  ];
  for (const [url, reason] of cases) assert.match(await refused(url), reason, url);
});

test('checkUrl treats public neighbours of private ranges as public', async () => {
  for (const host of ['172.32.0.1', '172.15.255.255', '100.128.0.1', '11.0.0.1', '[2606:4700::1111]']) {
    await checkUrl(`https://${host}/`, { allowPrivate: false, lookup: dns });
  }
});

test('allowPrivate admits http and private targets, but still no credentials or odd schemes', async () => {
  const opts = { allowPrivate: true, lookup: dns };
  assert.deepEqual((await checkUrl('http://127.0.0.1:3000/hook', opts)).addresses, [{ address: '127.0.0.1', family: 4 }]);
  assert.deepEqual((await checkUrl('http://localhost/', opts)).addresses.map((a) => a.address), ['127.0.0.1', '::1']);
  await checkUrl('https://internal.example.com/', opts);
  assert.match(await refused('http://u:p@127.0.0.1/', opts), /credentials/);
  assert.match(await refused('file:///etc/passwd', opts), /only http/);
});

test('checkUrl can name another field in its details', async () => {
  const err = await checkUrl('http://example.com/cal.ics', { allowPrivate: false, lookup: dns, field: 'icsUrl' }).catch((e: unknown) => e);
  assert.ok(err instanceof BlockedDestinationError);
  assert.deepEqual(Object.keys(err.details ?? {}), ['icsUrl']);
});

test('address policy classifies mapped and compatible IPv6 forms', () => {
  const policy = createAddressPolicy();
  assert.match(policy.classify('::ffff:127.0.0.1') ?? '', /loopback/);
  assert.match(policy.classify('::ffff:7f00:1') ?? '', /loopback/);
  assert.match(policy.classify('::127.0.0.1') ?? '', /loopback/);
  assert.match(policy.classify('fe80::1%eth0') ?? '', /link-local/);
  assert.equal(policy.classify(PUBLIC_V6), null);
  assert.match(policy.classify('example.com') ?? '', /not an IP/);
});

test('address policy refuses the IPv4-mapped, IPv4-translated and local-use NAT64 ranges, whatever IPv4 they carry', async () => {
  const policy = createAddressPolicy();
  for (const address of ['::ffff:8.8.8.8', '::ffff:5db8:d70e', `::ffff:${PUBLIC_V4}`, '::ffff:0:808:808', '64:ff9b:1::808:808', '64:ff9b:1:ffff::1']) {
    assert.match(policy.classify(address) ?? 'allowed', /reserved address/, address);
  }
  // The neighbours stay as they were: plain public IPv4 and the well-known NAT64 prefix with a public address.
  assert.equal(policy.classify(PUBLIC_V4), null);
  assert.equal(policy.classify('8.8.8.8'), null);
  assert.equal(policy.classify('64:ff9b::808:808'), null);
  const lookup = fakeDns({ 'nat64.example.com': ['64:ff9b:1::5db8:d70e'], 'mapped-public.example.com': [`::ffff:${PUBLIC_V4}`] });
  assert.match(await refused('https://nat64.example.com/', { allowPrivate: false, lookup }), /reserved address 64:ff9b:1::/);
  assert.match(await refused('https://mapped-public.example.com/', { allowPrivate: false, lookup }), /IPv4-mapped/);
  assert.match(await refused('https://[::ffff:808:808]/', { allowPrivate: false, lookup }), /IPv4-mapped/);
});

async function withReceiver<T>(fn: (port: number, hits: () => number) => Promise<T>): Promise<T> {
  let hits = 0;
  const server = createServer((_req, res) => {
    hits++;
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await fn((server.address() as AddressInfo).port, () => hits);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

async function requestError(url: string, dispatcher: ReturnType<typeof guardedDispatcher>): Promise<unknown> {
  return request(url, { method: 'POST', body: '{}', dispatcher }).then(
    async (res) => {
      await res.body.dump();
      return null;
    },
    (e: unknown) => e,
  );
}

test('dispatcher refuses at connect time when DNS changes to a private address after the check', async () => {
  await withReceiver(async (port, hits) => {
    let answer = PUBLIC_V4;
    const calls: string[] = [];
    const lookup: LookupFn = async (hostname) => {
      calls.push(hostname);
      return [{ address: answer, family: 4 }];
    };
    const url = `https://hooks.example.com:${port}/hook`;
    await checkUrl(url, { allowPrivate: false, lookup });
    answer = '127.0.0.1'; // the rebinding attacker's second answer
    const dispatcher = guardedDispatcher({ allowPrivate: false, lookup });
    try {
      for (let attempt = 1; attempt <= 2; attempt++) {
        const err = await requestError(url, dispatcher);
        assert.ok(err instanceof BlockedDestinationError, `attempt ${attempt}: expected a block, got ${String(err)}`);
        assert.match(err.reason, /hooks\.example\.com resolves to a loopback address 127\.0\.0\.1/);
      }
      // Every attempt resolved afresh: once at registration, once per connection attempt.
      assert.deepEqual(calls, ['hooks.example.com', 'hooks.example.com', 'hooks.example.com']);
      assert.equal(hits(), 0);
    } finally {
      await dispatcher.close();
    }
  });
});

test('dispatcher refuses literal, mapped and localhost destinations without a lookup', async () => {
  await withReceiver(async (port, hits) => {
    const calls: string[] = [];
    const dispatcher = guardedDispatcher({ allowPrivate: false, lookup: fakeDns({ 'mapped.test': ['::ffff:127.0.0.1'] }, calls) });
    try {
      const cases: Array<[string, RegExp]> = [
        [`https://127.0.0.1:${port}/`, /loopback address 127\.0\.0\.1/],
        [`https://[::1]:${port}/`, /loopback address ::1/],
        [`https://[::ffff:127.0.0.1]:${port}/`, /loopback/],
        [`https://localhost:${port}/`, /loopback host/],
        [`http://127.0.0.1:${port}/`, /protocol http: is not allowed/],
        [`https://mapped.test:${port}/`, /loopback/],
      ];
      for (const [url, reason] of cases) {
        const err = await requestError(url, dispatcher);
        assert.ok(err instanceof BlockedDestinationError, `${url}: ${String(err)}`);
        assert.match(err.reason, reason, url);
      }
      assert.deepEqual(calls, ['mapped.test']);
      assert.equal(hits(), 0);
    } finally {
      await dispatcher.close();
    }
  });
});

test('dispatcher with allowPrivate connects through the injected lookup', async () => {
  await withReceiver(async (port, hits) => {
    const calls: string[] = [];
    const dispatcher = guardedDispatcher({ allowPrivate: true, lookup: fakeDns({ 'receiver.test': ['127.0.0.1'] }, calls) });
    try {
      const res = await request(`http://receiver.test:${port}/hook`, { method: 'POST', body: '{}', dispatcher });
      assert.equal(res.statusCode, 200);
      assert.equal(await res.body.text(), 'ok');
      assert.deepEqual(calls, ['receiver.test']);
      assert.equal(hits(), 1);
    } finally {
      await dispatcher.close();
    }
  });
});
