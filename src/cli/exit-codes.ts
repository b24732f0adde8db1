/**
 * Exit codes. They match the existing IBM connector (car-service.md §3.3) so a scheduler that
 * watches them keeps working when this connector replaces it; docs/cli.md lists them.
 */
import type { ConnectorError, ErrorCode } from '../errors.ts';

export const EXIT = {
  OK: 0,
  /** Unhandled failure, and a failed connection test. */
  GENERAL_FAILURE: 1,
  /** Bad CLI parameters or configuration. */
  BAD_PARAMETERS: 2,
  /** Recoverable: the next run may simply succeed (throttled, partial, CAR unavailable). */
  RECOVERABLE: 10,
  /** Unrecoverable: the next run starts with a full import. */
  UNRECOVERABLE: 20,
  /** Data source failure (Defender). */
  DATASOURCE: 50,
  DATASOURCE_CONNECT: 51,
  DATASOURCE_AUTH: 52,
  DATASOURCE_FORBIDDEN: 53,
  DATASOURCE_INVALID_PARAMETER: 54,
  DATASOURCE_DATA: 55,
} as const;

const BY_CODE: Partial<Record<ErrorCode, number>> = {
  CONFIG_INVALID: EXIT.BAD_PARAMETERS,
  CONFIG_FILE_UNREADABLE: EXIT.BAD_PARAMETERS,
  INPUT_INVALID: EXIT.BAD_PARAMETERS,
  SEARCH_INPUT_INVALID: EXIT.BAD_PARAMETERS,
  MDE_AUTH_FAILED: EXIT.DATASOURCE_AUTH,
  MDE_UNAUTHORIZED: EXIT.DATASOURCE_AUTH,
  MDE_FORBIDDEN: EXIT.DATASOURCE_FORBIDDEN,
  MDE_NETWORK: EXIT.DATASOURCE_CONNECT,
  MDE_BAD_REQUEST: EXIT.DATASOURCE_INVALID_PARAMETER,
  MDE_BAD_RESPONSE: EXIT.DATASOURCE_DATA,
  MDE_PAGING_LOOP: EXIT.DATASOURCE_DATA,
  MDE_NOT_FOUND: EXIT.DATASOURCE,
  MDE_THROTTLED: EXIT.RECOVERABLE,
  MDE_DEFERRED: EXIT.RECOVERABLE,
  MDE_SERVER_ERROR: EXIT.RECOVERABLE,
  CAR_AUTH_FAILED: EXIT.RECOVERABLE,
  CAR_UNAVAILABLE: EXIT.RECOVERABLE,
  CAR_IMPORT_FAILED: EXIT.RECOVERABLE,
  CAR_BAD_RESPONSE: EXIT.UNRECOVERABLE,
  STORE_FAILED: EXIT.GENERAL_FAILURE,
  STORE_BUSY: EXIT.RECOVERABLE,
  SYNC_FAILED: EXIT.RECOVERABLE,
};

/** The exit code for an error of ours. */
export function exitCodeFor(err: ConnectorError): number {
  return BY_CODE[err.code] ?? EXIT.GENERAL_FAILURE;
}
