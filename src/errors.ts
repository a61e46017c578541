/** The closed list of error codes Tend returns; each maps to one HTTP status. */
export const errorStatus = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  csrf_failed: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export const notFound = (what: string, id?: string | number) =>
  new AppError("not_found", id === undefined ? `${what} not found` : `${what} ${id} not found`);
export const forbidden = (message = "Your role does not allow this action") =>
  new AppError("forbidden", message);
export const conflict = (message: string, details?: unknown) => new AppError("conflict", message, details);
export const validationFailed = (message: string, details?: unknown) =>
  new AppError("validation_failed", message, details);
