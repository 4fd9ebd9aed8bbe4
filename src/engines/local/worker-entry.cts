// The analysis threads' entry, loaded by require(). The engine itself is an ES module: given to
// require() directly, Node 20 loads it synchronously, and a thread stopped during that load (the
// server shutting down while a thread starts) aborts the whole process. Imported asynchronously
// from here, it can be stopped at any time. The export is a promise of the handler, which the pool
// awaits before the thread counts as started, so a thread that cannot load the engine (EMFILE)
// still fails while starting, as before.
import type { WorkerReply, WorkerTask } from './worker-protocol.js';

type Handler = (task: WorkerTask) => WorkerReply;

// Under tsx (tests, dev) this is the .cts source, and tsx compiles the TypeScript module for
// require() (its loader does not reach import() in a thread); compiled, the module is imported.
const handler: Promise<Handler> = (
  __filename.endsWith('.cts') ? Promise.resolve(require('./worker.ts') as typeof import('./worker.js')) : import('./worker.js')
).then((m) => m.default);

export default handler;
