// The endpoint circuit breaker. An endpoint that never answers holds a request slot for the whole
// delivery timeout on every attempt; after `timeouts` such attempts in a row it is left alone for
// a cool-down (doubling while it keeps timing out), then probed with one delivery at a time until
// it answers again. Any HTTP answer, even an error status, closes the breaker: the endpoint is
// slow or broken, not a sink for slots.
export interface CircuitPolicy {
  /** Consecutive timed-out attempts that open the breaker. */
  timeouts: number;
  /** First cool-down; each further timeout while open doubles it, up to 32 times. */
  cooldownMs: number;
}

export const DEFAULT_CIRCUIT: CircuitPolicy = { timeouts: 3, cooldownMs: 30_000 };

/** Doublings of the cool-down at most (30 s grows to 16 min). */
export const MAX_COOLDOWN_DOUBLINGS = 5;
