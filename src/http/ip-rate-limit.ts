// A per-client-address limit for unauthenticated pages (the public share page), kept in memory:
// such requests carry no key to charge, and writing a database row for each would hand anonymous
// clients a way to load the database. Each server process counts on its own, which bounds what one
// address can cost that process. The address is Fastify's request.ip: with COLLOQUY_TRUST_PROXY the
// last proxy hop's view of the client, otherwise the socket peer.
export interface IpDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (when refused). */
  retryAfter: number;
}

export class IpRateLimiter {
  readonly #windows = new Map<string, { startMs: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    /** Addresses tracked at most; the oldest windows go first, so a flood of addresses cannot grow memory. */
    private readonly maxAddresses = 50_000,
  ) {}

  hit(ip: string, nowMs: number): IpDecision {
    let w = this.#windows.get(ip);
    if (!w || nowMs - w.startMs >= this.windowMs) {
      if (w) this.#windows.delete(ip);
      w = { startMs: nowMs, count: 0 };
      this.#windows.set(ip, w);
      if (this.#windows.size > this.maxAddresses) this.#windows.delete(this.#windows.keys().next().value!);
    }
    w.count++;
    const allowed = w.count <= this.limit;
    return {
      allowed,
      limit: this.limit,
      remaining: Math.max(0, this.limit - w.count),
      retryAfter: Math.max(1, Math.ceil((w.startMs + this.windowMs - nowMs) / 1000)),
    };
  }
}
