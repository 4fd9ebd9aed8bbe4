// Errors that mean "the database cannot be reached right now", as opposed to a bad statement: the
// request may succeed if retried later, so it is answered 503 (not 500) and background jobs wait for
// the database instead of spending a retry.

// Node's socket errors while connecting or talking to PostgreSQL.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);
// SQLSTATE: 57P01-57P03 shutdown / crash recovery / not accepting connections yet; 53xxx out of
// resources (disk full, too many connections); 58030 I/O error (e.g. a read-only data folder).
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53000', '53100', '53200', '53300', '58030']);
// node-postgres reports a connection lost mid-query with messages only; filesystem errors from the
// embedded database (its data folder made read-only, or its disk full) carry errno codes.
const MESSAGES = /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Client was closed and is not queryable|Cannot use a pool after calling end/i;
const FS_CODES = new Set(['EROFS', 'EACCES', 'EPERM', 'ENOSPC', 'EDQUOT', 'EIO']);

function matches(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof e.code === 'string') {
    if (NETWORK_CODES.has(e.code) || FS_CODES.has(e.code) || SQLSTATES.has(e.code) || e.code.startsWith('08')) return true;
  }
  if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
  // Node reports a refused connection to every address of a host as one AggregateError.
  return Array.isArray(e.errors) && e.errors.some(matches);
}

/** True when `err` or an error it wraps (up to five causes deep) satisfies `test`. */
function anyCause(err: unknown, test: (e: unknown) => boolean): boolean {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (test(e)) return true;
  }
  return false;
}

/** True when `err` (or an error it wraps) says the database is unreachable or cannot write. */
export function isDatabaseUnavailable(err: unknown): boolean {
  return anyCause(err, matches);
}

/** True when PostgreSQL cancelled the statement (SQLSTATE 57014): its time limit ran out. */
export function isStatementTimeout(err: unknown): boolean {
  return anyCause(err, (e) => typeof e === 'object' && (e as { code?: unknown }).code === '57014');
}
