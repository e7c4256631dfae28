/** Stable error codes; the server maps each to one HTTP status (apps/server/src/plugins/errors.ts). */
export const ERROR_CODES = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  OTP_REQUIRED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  UNIT_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  STAFF_NOT_FOUND: 404,
  DEPARTMENT_NOT_FOUND: 404,
  CASE_NOT_FOUND: 404,
  CATEGORY_NOT_FOUND: 404,
  CONFLICT: 409,
  DUPLICATE: 409,
  /** The action is not possible in the case's current state; details.allowed lists what is. */
  TRANSITION_NOT_ALLOWED: 409,
  /** If-Match named an older version; details carry the current state and allowed actions. */
  VERSION_CONFLICT: 409,
  /** The same Idempotency-Key is being processed right now. */
  IDEMPOTENCY_IN_FLIGHT: 409,
  IDEMPOTENCY_COMMITTED: 409,
  /** The same Idempotency-Key was used with a different request body. */
  IDEMPOTENCY_MISMATCH: 422,
  PRECONDITION_REQUIRED: 428,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
  IMPORT_INVALID: 422,
  ACCOUNT_LOCKED: 429,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** One field-level problem: the path of the field and the reason, in English. */
export interface FieldIssue {
  path: string;
  reason: string;
}

/** The only error type core throws; `details` is safe to show to the caller. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

/** Throws VALIDATION_FAILED naming each bad field. */
export function validationError(issues: FieldIssue[], message = 'Request is invalid'): AppError {
  return new AppError('VALIDATION_FAILED', message, { issues });
}

/** True when the value is an AppError (also across module copies). */
export function isAppError(e: unknown): e is AppError {
  return (
    e instanceof AppError ||
    (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'AppError')
  );
}
