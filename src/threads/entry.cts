// Every worker thread's entry, loaded by require(): it imports the module named in the thread's
// workerData and hands its default export to the pool. The modules are ES modules: given to
// require() directly, Node 20 loads them synchronously, and a thread stopped during that load (the
// server shutting down while a thread starts) aborts the whole process. Imported asynchronously
// from here, a load can be stopped at any time. The export is a promise of the handler, which the
// pool awaits before the thread counts as started, so a thread that cannot load its module (EMFILE)
// still fails while starting.
import { fileURLToPath } from 'node:url';
import { workerData } from 'node:worker_threads';

const { module: url } = workerData as { module: string };

// Under tsx (tests, dev) the module is TypeScript source, which tsx compiles for require() (its
// loader does not reach import() in a thread); compiled, the module is imported.
const handler: Promise<unknown> = (url.endsWith('.ts') ? Promise.resolve(require(fileURLToPath(url))) : import(url)).then(
  (m: { default: unknown }) => m.default,
);

export default handler;
