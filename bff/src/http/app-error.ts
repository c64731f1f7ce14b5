import { ERRORS, type ErrorCode } from '@mip/shared';

/** An error whose code and status the API promises. Anything else is a 500 INTERNAL. */
export class AppError extends Error {
  readonly status: number;
  constructor(readonly code: ErrorCode, message?: string, readonly details?: unknown, cause?: unknown) {
    super(message ?? ERRORS[code].message, cause === undefined ? undefined : { cause });
    this.name = 'AppError';
    this.status = ERRORS[code].status;
  }
}

export function appError(code: ErrorCode, message?: string, details?: unknown): AppError {
  return new AppError(code, message, details);
}
