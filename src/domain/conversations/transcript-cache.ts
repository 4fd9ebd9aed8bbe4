/**
 * Serialized transcripts, as UTF-8 bytes ready to send, by version. A version key names the
 * conversation's segment count and last update, which every write changes, so a hit is always
 * current: readers skip loading and encoding hundreds of segment rows, yet still check ownership
 * and existence on every request.
 */
export class TranscriptCache {
  readonly #entries = new Map<string, Buffer>();
  #bytes = 0;

  constructor(private readonly maxBytes = 32 * 1024 * 1024) {}

  static key(id: string, segmentCount: number, updatedAt: Date): string {
    return `${id}:${segmentCount}:${new Date(updatedAt).getTime()}`;
  }

  get(key: string): Buffer | undefined {
    const hit = this.#entries.get(key);
    if (hit !== undefined) {
      // Re-insert to mark as most recently used.
      this.#entries.delete(key);
      this.#entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, json: Buffer): void {
    const size = json.length;
    if (size > this.maxBytes / 4) return; // one huge transcript must not flush everything else
    const prefix = key.slice(0, key.indexOf(':') + 1);
    for (const k of this.#entries.keys()) {
      if (k.startsWith(prefix)) this.#remove(k); // older versions of the same conversation
    }
    this.#entries.set(key, json);
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
  }
}
