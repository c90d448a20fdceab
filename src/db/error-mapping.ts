/**
 * Database errors, mapped in one place: every query on every connection goes through
 * `mapDatabaseError`, so services see `ConflictError`, `NotFoundError`, `AppError` for bad data,
 * `DatabaseUnavailableError` for an outage, and `DatabaseError` for anything else. Messages carry
 * the failing field but never the values or the query parameters.
 */
import {
  AppError,
  ConflictError,
  DatabaseError,
  DatabaseUnavailableError,
  NotFoundError,
} from '../shared/errors.js';

interface PgErrorShape {
  code?: string;
  constraint?: string;
  detail?: string;
  column?: string;
  message?: string;
}

/** Constraints whose column cannot be read from the detail, named once here. */
const constraintFields: Readonly<Record<string, string>> = {
  users_email_key: 'email',
  users_email_lower_key: 'email',
  contacts_phone_key: 'phone',
};

const connectionCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '53300']);

function fieldOf(error: PgErrorShape): string | undefined {
  if (error.constraint && constraintFields[error.constraint]) return constraintFields[error.constraint];
  const match = /^Key \(([a-z_]+)(?:\)|::)/.exec(error.detail ?? '') ?? /^Key \([a-z_]+\(([a-z_]+)/.exec(error.detail ?? '');
  return match?.[1] ?? error.column;
}

function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as PgErrorShape).code;
  if (code !== undefined && (connectionCodes.has(code) || code.startsWith('08'))) return true;
  return /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED|Client has encountered a connection error/i.test(error.message);
}

export function mapDatabaseError(error: unknown): Error {
  if (error instanceof AppError || error instanceof DatabaseError) return error;
  if (isConnectionFailure(error)) return new DatabaseUnavailableError(error);
  const pgError = (error ?? {}) as PgErrorShape;
  const code = pgError.code ?? '';
  if (code === '23505') return new ConflictError(fieldOf(pgError));
  if (code === '23503') {
    const field = fieldOf(pgError);
    return new NotFoundError('not_found', field ? `The referenced ${field} does not exist` : undefined, field ? { field } : undefined);
  }
  if (code === '23502' || code === '23514' || code.startsWith('22')) {
    const field = fieldOf(pgError);
    return new AppError('validation_failed', field ? `The value of ${field} is not valid` : undefined, field ? { field } : undefined);
  }
  return new DatabaseError(`Query failed (${code || 'no SQLSTATE'})`, error, code || undefined);
}
