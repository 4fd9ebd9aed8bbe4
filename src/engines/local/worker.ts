// Pool worker: runs one local-engine operation per task. Errors cross the thread boundary as
// plain data because structured cloning drops the AppError class and its code.
import { AppError } from '../../domain/errors.js';
import { emailOp, feedbackOp, insightsOp, keypointsOp, queryOp } from './operations.js';
import type { WorkerTask, WorkerReply } from './worker-protocol.js';

export default function runTask(task: WorkerTask): WorkerReply {
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
