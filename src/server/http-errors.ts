/**
 * The one place where errors become HTTP responses. Our error family maps by `code`; anything
 * else is a 500 whose body names only the request id, so no stack trace, SQL or secret can
 * leave the process. Messages of our errors are safe by contract (src/errors.ts).
 */
import { ConfigError, ConnectorError, type ErrorCode } from '../errors.ts';

/** An error raised by the HTTP layer itself (unknown route, bad method, body too large). */
export class HttpError extends ConnectorError {
  constructor(
    readonly status: number,
    code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(code, message);
  }
}

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  CONFIG_INVALID: 400,
  INPUT_INVALID: 400,
  SEARCH_INPUT_INVALID: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  CONFLICT: 409,
  STORE_BUSY: 503,
};

/** The JSON error body every failed request returns. */
export interface ErrorBody {
  error: {
    code: string;
    message: string;
    /** The field at fault, for input errors. */
    field?: string;
    /** Every field at fault, each with its rule, so a form can mark them all. */
    fields?: { field: string; rule: string; message: string }[];
    reqId: string;
  };
}

/** Status code, headers and body for a thrown value. */
export function toHttpError(
  err: unknown,
  reqId: string,
): { status: number; headers: Record<string, string>; body: ErrorBody } {
  if (err instanceof HttpError) {
    return {
      status: err.status,
      headers: err.headers,
      body: { error: { code: err.code, message: err.message, reqId } },
    };
  }
  if (err instanceof ConnectorError) {
    const status = STATUS_BY_CODE[err.code] ?? 500;
    return {
      status,
      headers: {},
      body: { error: { code: err.code, message: err.message, reqId, ...fieldsOf(err) } },
    };
  }
  return {
    status: 500,
    headers: {},
    body: {
      error: {
        code: 'INTERNAL',
        message: `the request failed unexpectedly; the server log has the details under reqId ${reqId}`,
        reqId,
      },
    },
  };
}

function fieldsOf(err: ConnectorError): Pick<ErrorBody['error'], 'field' | 'fields'> {
  const fields = Array.isArray(err.details.fields)
    ? (err.details.fields as ErrorBody['error']['fields'])
    : undefined;
  const field =
    err instanceof ConfigError
      ? err.key
      : typeof err.details.field === 'string'
        ? err.details.field
        : undefined;
  return { ...(field ? { field } : {}), ...(fields ? { fields } : {}) };
}
