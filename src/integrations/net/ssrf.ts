// Outbound-URL guard shared by webhook delivery and calendar (ICS) fetching. A URL is checked
// when it is registered and again, by the dispatcher, every time a connection is opened:
// DNS answers can change between the two (rebinding), so the registration check alone
// proves nothing about where a later request goes.
import { promises as dns } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import type { LookupFunction } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { AppError } from '../../domain/errors.js';

export interface LookupAddress {
  address: string;
  family: number;
}

/** Same shape as `dns.promises.lookup(host, { all: true })`, so tests can inject answers. */
export type LookupFn = (hostname: string, options: { all: true }) => Promise<LookupAddress[]>;

export const systemLookup: LookupFn = (hostname, options) => dns.lookup(hostname, options);

export interface GuardOptions {
  /** Operator opt-in for local development: permits http:// and private/loopback targets. */
  allowPrivate: boolean;
  lookup?: LookupFn;
}

export interface VettedUrl {
  url: URL;
  addresses: LookupAddress[];
}

export class BlockedDestinationError extends AppError {
  readonly reason: string;
  constructor(reason: string, field = 'url') {
    super('validation_error', `URL refused: ${reason}`, { details: { [field]: reason } });
    this.name = 'BlockedDestinationError';
    this.reason = reason;
  }
}

/** The guard's error behind `err`, if any: undici may wrap connector errors, and the guard's error is what explains the failure. */
export function blockedCause(err: unknown): BlockedDestinationError | null {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof BlockedDestinationError) return e;
  }
  return null;
}

const MAX_URL_LENGTH = 2048;

const CATEGORY_ORDER = ['loopback', 'unspecified', 'link-local', 'private', 'multicast', 'broadcast', 'reserved'] as const;
type Category = (typeof CATEGORY_ORDER)[number];

const V4_RANGES: ReadonlyArray<readonly [string, number, Category]> = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'private'], // carrier-grade NAT, routinely internal in clouds
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'], // includes the 169.254.169.254 metadata service
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['255.255.255.255', 32, 'broadcast'],
  ['240.0.0.0', 4, 'reserved'],
];

const V6_RANGES: ReadonlyArray<readonly [string, number, Category]> = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['fc00::', 7, 'private'],
  ['fec0::', 10, 'private'], // deprecated site-local, still honoured by some stacks
  ['fe80::', 10, 'link-local'],
  ['ff00::', 8, 'multicast'],
  ['100::', 64, 'reserved'],
  ['2001::', 32, 'reserved'], // Teredo hides an obfuscated IPv4 address we cannot vet
  ['2001:db8::', 32, 'reserved'],
  // Translation prefixes that are not globally reachable: where they lead is up to the local network.
  // (IPv4-mapped ::ffff:0:0/96 is refused in classify(): a BlockList would also match plain IPv4.)
  ['::ffff:0:0:0', 96, 'reserved'], // IPv4-translated (SIIT)
  ['64:ff9b:1::', 48, 'reserved'], // local-use NAT64 prefix
];

/** ::ffff:0:0/96: a public host is reached by its IPv4 address, never through a mapped one. */
function isIPv4Mapped(groups: number[]): boolean {
  return groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
}

/** Expands an IPv6 address into its eight 16-bit groups; null when it is not one. */
function ipv6Groups(address: string): number[] | null {
  const bare = address.split('%')[0];
  if (isIP(bare) !== 6) return null;
  let text = bare;
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const octets = dotted[1].split('.').map(Number);
    tail.push((octets[0] << 8) | octets[1], (octets[2] << 8) | octets[3]);
    text = text.slice(0, -dotted[1].length) + '0:0';
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, undefined];
  const parse = (part: string) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = rest === undefined ? [] : parse(rest);
  const groups = [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
  if (tail.length) groups.splice(6, 2, ...tail);
  return groups;
}

/** IPv4 address carried inside an IPv6 one (mapped, compatible, NAT64, 6to4), if any. */
function embeddedIPv4(groups: number[]): string | null {
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  const zeros = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0);
  if (zeros(0, 5) && groups[5] === 0xffff) return v4(groups[6], groups[7]);
  // ::/96 "compatible" form; :: and ::1 are left out here so the IPv6 table names them.
  if (zeros(0, 6) && (groups[6] !== 0 || groups[7] > 1)) return v4(groups[6], groups[7]);
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6)) return v4(groups[6], groups[7]);
  if (groups[0] === 0x2002) return v4(groups[1], groups[2]);
  return null;
}

export interface AddressPolicy {
  /** Why the address may not be contacted, or null when it is a public unicast address. */
  classify(address: string): string | null;
}

/** Built per guard rather than shared, because a BlockList is mutable. */
export function createAddressPolicy(): AddressPolicy {
  const lists = new Map<Category, BlockList>();
  const add = (network: string, prefix: number, category: Category, type: 'ipv4' | 'ipv6') => {
    let list = lists.get(category);
    if (!list) lists.set(category, (list = new BlockList()));
    list.addSubnet(network, prefix, type);
  };
  for (const [network, prefix, category] of V4_RANGES) add(network, prefix, category, 'ipv4');
  for (const [network, prefix, category] of V6_RANGES) add(network, prefix, category, 'ipv6');

  const match = (address: string, type: 'ipv4' | 'ipv6'): Category | null => {
    // Narrow categories first, so 255.255.255.255 reads as broadcast rather than reserved.
    for (const category of CATEGORY_ORDER) if (lists.get(category)?.check(address, type)) return category;
    return null;
  };

  return {
    classify(address) {
      const family = isIP(address.split('%')[0]);
      if (family === 4) {
        const category = match(address, 'ipv4');
        return category && `${category} address ${address}`;
      }
      const groups = ipv6Groups(address);
      if (family !== 6 || !groups) return `not an IP address: ${address}`;
      // Embedded IPv4 first: the stack would really talk to that IPv4 address, so name it.
      const inner = embeddedIPv4(groups);
      if (inner) {
        const innerCategory = match(inner, 'ipv4');
        if (innerCategory) return `${innerCategory} address ${inner} embedded in ${address}`;
      }
      if (isIPv4Mapped(groups)) return `reserved address ${address} (IPv4-mapped)`;
      const category = match(address.split('%')[0], 'ipv6');
      return category && `${category} address ${address}`;
    },
  };
}

function stripBrackets(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

async function resolveAll(hostname: string, lookup: LookupFn): Promise<LookupAddress[]> {
  const family = isIP(hostname);
  if (family) return [{ address: hostname, family }];
  let addresses: LookupAddress[];
  try {
    addresses = await lookup(hostname, { all: true });
  } catch {
    throw new BlockedDestinationError(`host ${hostname} could not be resolved`);
  }
  if (!addresses.length) throw new BlockedDestinationError(`host ${hostname} has no addresses`);
  return addresses;
}

function vetAddresses(hostname: string, addresses: LookupAddress[], policy: AddressPolicy): void {
  // Every answer is checked, not just the first: the connecting side may pick any of them.
  for (const { address } of addresses) {
    const problem = policy.classify(address);
    if (problem) throw new BlockedDestinationError(hostname === address ? problem : `${hostname} resolves to a ${problem}`);
  }
}

/**
 * Validates a user-supplied URL at registration time. Throws a `validation_error`
 * (`BlockedDestinationError`) whose details name `field`; returns the parsed URL and the
 * addresses it resolved to.
 */
export async function checkUrl(rawUrl: string, { allowPrivate, lookup = systemLookup, field = 'url' }: GuardOptions & { field?: string }): Promise<VettedUrl> {
  try {
    if (rawUrl.length > MAX_URL_LENGTH) throw new BlockedDestinationError(`URL is longer than ${MAX_URL_LENGTH} characters`);
    let url: URL;
    try {
      // The WHATWG parser canonicalises odd IPv4 spellings (2130706433, 0x7f.1, 017700000001)
      // into dotted quads, so the address checks below see what a client would connect to.
      url = new URL(rawUrl);
    } catch {
      throw new BlockedDestinationError('not a valid absolute URL');
    }
    const allowedProtocols = allowPrivate ? ['https:', 'http:'] : ['https:'];
    if (!allowedProtocols.includes(url.protocol)) {
      throw new BlockedDestinationError(allowPrivate ? 'only http:// and https:// URLs are allowed' : 'only https:// URLs are allowed');
    }
    if (url.username || url.password) throw new BlockedDestinationError('credentials in the URL are not allowed');
    const hostname = stripBrackets(url.hostname);
    if (!hostname) throw new BlockedDestinationError('URL has no host');
    if (!allowPrivate && isLocalhostName(hostname)) throw new BlockedDestinationError(`${hostname} is a loopback host`);
    const addresses = await resolveAll(hostname, lookup);
    if (!allowPrivate) vetAddresses(hostname, addresses, createAddressPolicy());
    return { url, addresses };
  } catch (err) {
    if (err instanceof BlockedDestinationError && field !== 'url') throw new BlockedDestinationError(err.reason, field);
    throw err;
  }
}

/**
 * An undici Agent that re-resolves and re-vets the destination on every new connection and
 * connects only to the addresses it vetted. undici's `request` follows no redirects unless a
 * redirect interceptor is composed in, and none is, so a 3xx reaches the caller as-is.
 */
export function guardedDispatcher({ allowPrivate, lookup = systemLookup, connectTimeoutMs = 10_000 }: GuardOptions & { connectTimeoutMs?: number }): Agent {
  const policy = createAddressPolicy();

  const guardedLookup: LookupFunction = (hostname, options, callback) => {
    resolveAll(hostname, lookup)
      .then((addresses) => {
        if (!allowPrivate) vetAddresses(hostname, addresses, policy);
        // With autoSelectFamily (Node's default) net asks for every address; otherwise one.
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      })
      .catch((err: NodeJS.ErrnoException) => callback(err, ''));
  };

  const base = buildConnector({ lookup: guardedLookup, timeout: connectTimeoutMs });

  const connector: buildConnector.connector = (options, callback) => {
    const fail = (reason: string) => callback(new BlockedDestinationError(reason), null);
    if (options.protocol !== 'https:' && !(allowPrivate && options.protocol === 'http:')) {
      return fail(`protocol ${options.protocol} is not allowed`);
    }
    if (!allowPrivate) {
      if (isLocalhostName(options.hostname)) return fail(`${options.hostname} is a loopback host`);
      // net.connect skips the lookup hook for IP literals, so those are vetted here.
      if (isIP(options.hostname)) {
        const problem = policy.classify(options.hostname);
        if (problem) return fail(problem);
      }
    }
    base(options, callback);
  };

  return new Agent({ connect: connector });
}
