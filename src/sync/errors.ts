/**
 * How the sync classifies what its dependencies throw: deferrals, optional parts that lost
 * their permission, hunting answers that were too large. Decisions use `code` and HTTP status,
 * never message text (DESIGN.md §4).
 */
import {
  ConnectorError,
  MdeDeferredError,
  MdeHttpError,
  type ConnectorErrorOptions,
} from '../errors.ts';

/** A sync run failed or was cancelled; the checkpoint was kept. */
export class SyncError extends ConnectorError {
  constructor(message: string, options: ConnectorErrorOptions = {}) {
    super('SYNC_FAILED', message, options);
  }
}

/** True for a deferral (B05): a throttling wait above the configured ceiling. */
export function isDeferred(err: unknown): err is MdeDeferredError {
  return (
    err instanceof MdeDeferredError ||
    (err instanceof ConnectorError && err.code === 'MDE_DEFERRED')
  );
}

/** True when an optional part lost its permission: 403, or a Graph token that was refused. */
export function isPermissionDenied(err: unknown): boolean {
  if (!(err instanceof ConnectorError)) return false;
  if (err.code === 'MDE_FORBIDDEN') return true;
  return err instanceof MdeHttpError && err.status === 403;
}

/** True when no Graph token could be had or Graph refused it; only Graph users are lost. */
export function isGraphAuthFailure(err: unknown): boolean {
  if (!(err instanceof ConnectorError)) return false;
  return err.code === 'MDE_AUTH_FAILED' || err.code === 'MDE_UNAUTHORIZED';
}

/**
 * True when a hunting query was refused in a way a smaller query may fix: HTTP 400 with the
 * generic `BadRequest` code (the service words "exceeded the allowed result size" only in the
 * message, which is never parsed) or a result-size code. The caller bounds how often it splits,
 * so a query that is wrong for another reason still fails after a few tries.
 */
export function isHuntingTooLarge(err: unknown): boolean {
  if (!(err instanceof MdeHttpError) || err.status !== 400) return false;
  return err.apiCode === undefined || RETRY_SMALLER_API_CODES.has(err.apiCode);
}

const RETRY_SMALLER_API_CODES = new Set([
  'BadRequest',
  'QueryResultTooLarge',
  'ResultSizeTooLarge',
  'E_QUERY_RESULT_SET_TOO_LARGE',
]);

/** The error's code, when it is one of ours. */
export function errorCodeOf(err: unknown): string | undefined {
  return err instanceof ConnectorError ? err.code : undefined;
}

/** A sentence for the summary; our messages already say what to do next. */
export function reasonOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
