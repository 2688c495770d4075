import { LockTimeoutError } from '../state/stateStore';

/**
 * Error codes that say the database or the state store could not be reached or was too busy, as
 * opposed to a statement or a turn that is wrong in itself: mysql2's connection errors, the
 * socket errors of mysql2 and ioredis, MariaDB refusing or shedding work, SQLite waiting on a
 * lock. The same event will succeed once the service is back.
 */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR', 'PROTOCOL_ENQUEUE_AFTER_QUIT',
  'ER_CON_COUNT_ERROR', 'ER_TOO_MANY_USER_CONNECTIONS', 'ER_SERVER_SHUTDOWN', 'ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT',
  'ER_QUERY_INTERRUPTED', 'ER_CONNECTION_KILLED', 'ER_CLIENT_INTERACTION_TIMEOUT', 'ER_NET_READ_ERROR', 'ER_NET_WRITE_INTERRUPTED',
  'SQLITE_BUSY', 'SQLITE_LOCKED',
]);

/** Error names of ioredis (and TypeORM around a pool) for a store that is down or reconnecting. */
const TRANSIENT_NAMES = new Set(['MaxRetriesPerRequestError', 'LockTimeoutError', 'ConnectionIsNotSetError']);

/** Messages without a code that mysql2 and ioredis give for a connection that is gone. */
const TRANSIENT_MESSAGES = [
  /Connection is closed/i,
  /Stream isn't writeable/i,
  /Can't add new command when connection is in closed state/i,
  /Pool is closed/i,
  /connect ETIMEDOUT/i,
  /^(LOADING|BUSY|READONLY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN)\b/,
];

/**
 * True when `error` (or what it wraps: TypeORM's driverError, a `cause`) comes from the database or
 * the state store being unavailable. Such a failure says nothing about the event being handled, so
 * the inbox retries it without counting an attempt: an outage of any length delays a message but
 * never makes the bot give up on it.
 */
export function isInfrastructureFailure(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    if (e instanceof LockTimeoutError) return true;
    const { code, name, message, fatal, driverError, cause, errors } = e as {
      code?: unknown; name?: unknown; message?: unknown; fatal?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown;
    };
    if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
    if (typeof name === 'string' && TRANSIENT_NAMES.has(name)) return true;
    // mysql2 marks the errors after which its connection is unusable as fatal.
    if (fatal === true) return true;
    if (typeof message === 'string' && TRANSIENT_MESSAGES.some((pattern) => pattern.test(message))) return true;
    queue.push(driverError, cause, ...(Array.isArray(errors) ? errors : []));
  }
  return false;
}
