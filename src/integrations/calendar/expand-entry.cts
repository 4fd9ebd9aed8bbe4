// The feed threads' entry, loaded by require(): the expansion code is an ES module, imported
// asynchronously so a thread stopped while it loads cannot abort the process (see
// engines/local/worker-entry.cts).
import type { ExpandReply, ExpandTask } from './expand-worker.js';

type Handler = (task: ExpandTask | 'ping') => Promise<ExpandReply>;

const handler: Promise<Handler> = (
  __filename.endsWith('.cts') ? Promise.resolve(require('./expand-worker.ts') as typeof import('./expand-worker.js')) : import('./expand-worker.js')
).then((m) => m.default);

export default handler;
