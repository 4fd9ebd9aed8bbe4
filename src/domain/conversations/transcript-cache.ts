/**
 * Serialized transcripts (UTF-8 bytes ready to send, or rendered text) by version. A version key names the
 * conversation's segment count and last update, which every write changes, so a hit is always
 * current: readers skip loading and encoding hundreds of segment rows, yet still check ownership
 * and existence on every request.
 */
export class TranscriptCache<V extends { length: number } = Buffer> {
  readonly #entries = new Map<string, V>();
  /** Each conversation's cached key: one version per conversation. */
  readonly #keyOf = new Map<string, string>();
  #bytes = 0;

  /** `maxBytes` in all; an entry over `maxBytes / largestShare` is not kept (one huge entry must not flush everything else). */
  constructor(
    private readonly maxBytes = 32 * 1024 * 1024,
    private readonly largestShare = 4,
  ) {}

  static key(id: string, segmentCount: number, updatedAt: Date): string {
    return `${id}:${segmentCount}:${new Date(updatedAt).getTime()}`;
  }

  get(key: string): V | undefined {
    const hit = this.#entries.get(key);
    if (hit !== undefined) {
      // Re-insert to mark as most recently used.
      this.#entries.delete(key);
      this.#entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, json: V): void {
    const size = json.length;
    if (size > this.maxBytes / this.largestShare) return;
    const id = conversationOf(key);
    const older = this.#keyOf.get(id);
    if (older !== undefined) this.#remove(older);
    this.#entries.set(key, json);
    this.#keyOf.set(id, key);
    this.#bytes += size;
    for (const k of this.#entries.keys()) {
      if (this.#bytes <= this.maxBytes) break;
      this.#remove(k);
    }
  }

  #remove(key: string) {
    const v = this.#entries.get(key);
    if (v === undefined) return;
    this.#bytes -= v.length;
    this.#entries.delete(key);
    const id = conversationOf(key);
    if (this.#keyOf.get(id) === key) this.#keyOf.delete(id);
  }
}

function conversationOf(key: string): string {
  return key.slice(0, key.indexOf(':'));
}
