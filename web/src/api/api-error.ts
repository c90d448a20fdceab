/** An error answer from the API, in the contract's `{error: {code, message, details}}` shape. */
import i18next from 'i18next';
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** Builds an ApiError from a response body that may or may not follow the contract. */
export function apiErrorFrom(status: number, body: unknown): ApiError {
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const error: unknown = body.error;
    if (typeof error === 'object' && error !== null) {
      const code = 'code' in error && typeof error.code === 'string' ? error.code : `http_${status}`;
      const message = 'message' in error && typeof error.message === 'string' ? error.message : `Request failed (${status})`;
      const details = 'details' in error ? error.details : undefined;
      return new ApiError(status, code, message, details);
    }
  }
  return new ApiError(
    status,
    `http_${status}`,
    status >= 500 ? i18next.t('common.serverProblem') : i18next.t('common.requestFailed', { status }),
  );
}

/** A readable sentence for any thrown value, for inline error messages. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return i18next.t('common.somethingWrong');
}
