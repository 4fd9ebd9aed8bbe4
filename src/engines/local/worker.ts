// Pool worker: runs one local-engine operation per task. Errors cross the thread boundary as
// plain data because structured cloning drops the AppError class and its code.
import { setPriority } from 'node:os';
import { AppError } from '../../domain/errors.js';
import { emailOp, feedbackOp, insightsOp, keypointsOp, queryOp } from './operations.js';
import type { WorkerTask, WorkerReply } from './worker-protocol.js';

/** Niceness of the general threads: large analyses yield the CPU to small ones and to HTTP. */
const BACKGROUND_NICE = 10;
let lowered = false;

/** On Linux a nice value is per thread, so this lowers only this worker; it is never raised again. */
function lowerPriority(): void {
  if (lowered) return;
  lowered = true;
  try {
    setPriority(BACKGROUND_NICE);
  } catch {
    // Not permitted here (some containers): the fair queue still orders the work.
  }
}

export default function runTask(task: WorkerTask): WorkerReply {
  if (task.background) lowerPriority();
  try {
    switch (task.op) {
      case 'keypoints':
        return { ok: true, value: keypointsOp(task.conversation) };
      case 'feedback':
        return { ok: true, value: feedbackOp(task.conversation, task.opts) };
      case 'query':
        return { ok: true, value: queryOp(task.conversation, task.query) };
      case 'email':
        return { ok: true, value: emailOp(task.conversation, task.opts) };
      case 'insights':
        return { ok: true, value: insightsOp(task.conversation) };
    }
  } catch (err) {
    if (err instanceof AppError) return { ok: false, error: { code: err.code, message: err.message, details: err.details } };
    throw err;
  }
}
