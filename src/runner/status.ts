/**
 * Status rules (DESIGN.md §8): a configuration is `unavailable` until its first import
 * completes, then `connected`, or `error` with a reason category taken from the error code of
 * the last failed run or connection check. A connection shows the worst of its configurations.
 */
import { ConnectorError, type ErrorCode } from '../errors.ts';
import type { ConfigurationRow } from './connection-store.ts';
import type { ConfigurationStatus, ErrorCategory, StatusState, StatusView } from './types.ts';

const CATEGORY_BY_CODE: Partial<Record<ErrorCode, ErrorCategory>> = {
  MDE_AUTH_FAILED: 'credentials',
  MDE_UNAUTHORIZED: 'credentials',
  MDE_FORBIDDEN: 'permission',
  MDE_THROTTLED: 'throttled',
  MDE_DEFERRED: 'throttled',
  MDE_NETWORK: 'network',
  MDE_SERVER_ERROR: 'network',
  MDE_BAD_RESPONSE: 'network',
  MDE_NOT_FOUND: 'network',
  MDE_BAD_REQUEST: 'network',
  MDE_PAGING_LOOP: 'network',
  CAR_AUTH_FAILED: 'car',
  CAR_IMPORT_FAILED: 'car',
  CAR_UNAVAILABLE: 'car',
  CAR_BAD_RESPONSE: 'car',
  STORE_FAILED: 'store',
  STORE_BUSY: 'store',
  CONFIG_INVALID: 'config',
  CONFIG_FILE_UNREADABLE: 'config',
};

/** The reason category of an error code; unknown codes count as network trouble. */
export function categoryForCode(code: string | undefined): ErrorCategory {
  return CATEGORY_BY_CODE[code as ErrorCode] ?? 'network';
}

/** The code and category of a thrown value, following `cause` to the first ConnectorError. */
export function describeFailure(err: unknown): {
  code: string;
  category: ErrorCategory;
  message: string;
} {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current !== undefined; depth += 1) {
    // SYNC_FAILED wraps the real reason; the cause says which category the user must fix.
    if (current instanceof ConnectorError && current.code !== 'SYNC_FAILED') {
      return {
        code: current.code,
        category: categoryForCode(current.code),
        message: current.message,
      };
    }
    current = current instanceof Error ? current.cause : undefined;
  }
  if (err instanceof ConnectorError) {
    return { code: err.code, category: 'network', message: err.message };
  }
  // Limitation: an error outside our family is reported by its message only; it should not
  // happen, since every layer wraps what it throws.
  return {
    code: 'SYNC_FAILED',
    category: 'network',
    message: err instanceof Error ? err.message : String(err),
  };
}

/** The status of one configuration from its stored columns. */
export function configurationStatus(row: ConfigurationRow): ConfigurationStatus {
  const base: ConfigurationStatus = {
    configuration: row.name,
    state: 'unavailable',
    ...(row.first_import_at ? { firstImportAt: row.first_import_at } : {}),
    ...(row.last_success_at ? { lastSuccessAt: row.last_success_at } : {}),
    ...(row.last_check_at ? { lastCheckAt: row.last_check_at } : {}),
  };
  if (row.error_category) {
    return {
      ...base,
      state: 'error',
      category: row.error_category as ErrorCategory,
      message: row.error_message ?? '',
      ...(row.error_code ? { errorCode: row.error_code } : {}),
    };
  }
  if (!row.first_import_at) {
    return { ...base, message: 'waiting for the first import to complete' };
  }
  return { ...base, state: 'connected' };
}

const SEVERITY: Record<StatusState, number> = { connected: 0, unavailable: 1, error: 2 };

/** The connection-level status: the worst configuration, or unavailable when there is none. */
export function worstStatus(items: ConfigurationStatus[]): StatusView {
  if (items.length === 0) {
    return { state: 'unavailable', message: 'add a configuration to start importing' };
  }
  const worst = items.reduce((a, b) => (SEVERITY[b.state] > SEVERITY[a.state] ? b : a));
  const { configuration: _configuration, ...rest } = worst;
  return rest;
}
