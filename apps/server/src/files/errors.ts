import { AppError } from '@civicgrid/core';

/**
 * The upload was refused because of its content (type, size, dimensions, active PDF content).
 * An AppError, so the server's one error map answers 422 (or 413 for size) with `details.reason`.
 */
export class UploadRejectedError extends AppError {
  readonly reason: string;

  constructor(
    reason: string,
    details: Record<string, unknown> = {},
    code: 'UNPROCESSABLE' | 'PAYLOAD_TOO_LARGE' = 'UNPROCESSABLE',
  ) {
    super(code, `upload refused: ${reason}`, { reason, ...details });
    this.reason = reason;
  }
}

/** The disk (or quota) is full: a 503 for the client, an alert for the operator. */
export class StorageFullError extends AppError {
  constructor(cause?: unknown) {
    super('UNAVAILABLE', 'file storage is full', { reason: 'STORAGE_FULL' });
    this.cause = cause;
  }
}

/** No stored file under that key (deleted, never written, or the key was malformed). */
export class StoredFileNotFoundError extends AppError {
  constructor(key: string) {
    super('NOT_FOUND', `stored file not found: ${key.slice(0, 8)}…`);
  }
}
