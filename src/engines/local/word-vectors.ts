// Word vectors for matching paraphrases: "problems" answers a question about "issues", "refund"
// one about a "reimbursement". Loaded once per thread from word-vectors.bin (written by
// scripts/build-vectors.ts); without the file, words are only matched exactly.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface WordVectors {
  dimensions: number;
  /** Row of each word. */
  rows: Map<string, number>;
  /** Row-major int8 components. */
  values: Int8Array;
  /** Euclidean length of each row. */
  norms: Float32Array;
}

const FILE = 'word-vectors.bin';

/** Finds the vectors whether running from src/ (tsx) or dist/src/ (compiled). */
function vectorsPath(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  if (existsSync(join(here, FILE))) return join(here, FILE);
  let dir = here;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'src', 'engines', 'local', FILE);
    if (existsSync(candidate)) return candidate;
    dir = resolve(dir, '..');
  }
  return null;
}

export function parseWordVectors(buf: Buffer): WordVectors {
  const eol = buf.indexOf(10);
  const header = JSON.parse(buf.subarray(0, eol).toString('utf8')) as { format: string; words: number; dimensions: number };
  if (header.format !== 'colloquy-word-vectors/1') throw new Error(`unknown word-vector format ${header.format}`);
  const { words: n, dimensions: dims } = header;
  const start = eol + 1;
  const values = new Int8Array(n * dims);
  values.set(new Int8Array(buf.buffer, buf.byteOffset + start, n * dims));
  const words = buf.subarray(start + n * dims).toString('utf8').split('\n');
  if (words.length !== n) throw new Error(`word-vector file lists ${words.length} words, header says ${n}`);
  const rows = new Map(words.map((w, i) => [w, i]));
  const norms = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let d = r * dims; d < (r + 1) * dims; d++) s += values[d] * values[d];
    norms[r] = Math.sqrt(s) || 1;
  }
  return { dimensions: dims, rows, values, norms };
}

let loaded: WordVectors | null | undefined;

export function wordVectors(): WordVectors | null {
  if (loaded === undefined) {
    const path = vectorsPath();
    loaded = path ? parseWordVectors(readFileSync(path)) : null;
  }
  return loaded;
}

/** Cosine similarity of two rows. */
export function rowSimilarity(v: WordVectors, a: number, b: number): number {
  const dims = v.dimensions;
  let s = 0;
  for (let d = 0; d < dims; d++) s += v.values[a * dims + d] * v.values[b * dims + d];
  return s / (v.norms[a] * v.norms[b]);
}
