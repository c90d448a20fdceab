/**
 * Every error a client can see is declared here once, with its stable code and HTTP status.
 * Nothing else invents an error code; services throw `AppError`s built from this registry.
 */
export const ErrorCodes = {
  validation_failed: { status: 400, message: 'The request is not valid' },
  invalid_json: { status: 400, message: 'The body is not valid JSON' },
  invalid_cursor: { status: 400, message: 'The cursor was not issued by FlowChat' },
  invalid_phone: { status: 400, message: 'The phone number cannot be parsed' },
  invalid_sort: { status: 400, message: 'The sort column is not allowed' },
  invalid_field: { status: 400, message: 'The field is not known' },
  invalid_csv: { status: 400, message: 'The CSV file cannot be imported' },
  invalid_url: { status: 400, message: 'The URL must be an http or https URL without credentials' },
  unauthorized: { status: 401, message: 'Sign in first' },
  invalid_credentials: { status: 401, message: 'Email or password is wrong' },
  invalid_signature: { status: 401, message: 'The signature is missing or wrong' },
  forbidden: { status: 403, message: 'You are not allowed to do this' },
  csrf_origin_mismatch: { status: 403, message: 'The request origin does not match this server' },
  verify_token_mismatch: { status: 403, message: 'The verify token does not match' },
  not_found: { status: 404, message: 'Not found' },
  route_not_found: { status: 404, message: 'No such route' },
  contact_not_found: { status: 404, message: 'Contact not found' },
  user_not_found: { status: 404, message: 'User not found' },
  api_key_not_found: { status: 404, message: 'API key not found' },
  message_not_found: { status: 404, message: 'Message not found' },
  campaign_not_found: { status: 404, message: 'Campaign not found' },
  segment_not_found: { status: 404, message: 'Segment not found' },
  webhook_not_found: { status: 404, message: 'Webhook not found' },
  delivery_not_found: { status: 404, message: 'No delivery of this event to this webhook' },
  automation_not_found: { status: 404, message: 'Automation not found' },
  conflict: { status: 409, message: 'The record conflicts with an existing one' },
  duplicate_email: { status: 409, message: 'A user with this email already exists' },
  duplicate_phone: { status: 409, message: 'A contact with this phone already exists' },
  opted_out: { status: 409, message: 'The contact has opted out of messages' },
  payload_too_large: { status: 413, message: 'The body is too large' },
  unsupported_media_type: { status: 415, message: 'The content type is not supported' },
  window_closed: { status: 422, message: 'The 24-hour window is closed: send a template instead' },
  contact_unreachable: { status: 422, message: 'The contact has no phone number to send to' },
  idempotency_key_reused: { status: 422, message: 'The idempotency key was used with a different request' },
  rule_violation: { status: 422, message: 'The request breaks a rule' },
  last_admin: { status: 422, message: 'FlowChat must keep at least one admin' },
  invalid_state: { status: 422, message: 'The record is not in a state that allows this' },
  template_not_found: { status: 422, message: 'No template with this name and language in the catalogue' },
  template_not_approved: { status: 422, message: 'The template is not approved by WhatsApp' },
  template_parameters: { status: 422, message: 'The template values do not match its parameters' },
  templates_not_configured: { status: 422, message: 'No template catalogue: set WHATSAPP_BUSINESS_ACCOUNT_ID or a channel’s business_account_id' },
  reply_target_not_found: { status: 422, message: 'The quoted message is not a sent message of this thread' },
  template_sync_failed: { status: 502, message: 'Meta’s template list could not be fetched' },
  reaction_target_not_sent: { status: 422, message: 'Only a message WhatsApp has (with a wamid) can get a reaction' },
  media_file_missing: { status: 400, message: 'Send one file in a multipart/form-data part named "file"' },
  media_empty: { status: 400, message: 'The file is empty' },
  invalid_multipart: { status: 400, message: 'The multipart/form-data body is malformed' },
  media_not_found: { status: 422, message: 'No ready media file has this id' },
  media_type_mismatch: { status: 422, message: 'The media file’s kind does not fit the message type' },
  media_too_large: { status: 413, message: 'The file is larger than WhatsApp allows for its kind' },
  media_file_not_found: { status: 404, message: 'Media not found' },
  range_not_satisfiable: { status: 416, message: 'The range lies outside the file' },
  too_many_requests: { status: 429, message: 'Too many requests, try again later' },
  channel_not_found: { status: 404, message: 'Channel not found' },
  duplicate_channel: { status: 409, message: 'A channel with this phone_number_id already exists' },
  channel_unreachable: { status: 422, message: 'Meta refused the access token for this phone number' },
  unknown_channel: { status: 422, message: 'The channel_id names no channel' },
  channel_read_only: { status: 422, message: 'The environment channel is set by the WHATSAPP_* variables and cannot be changed over the API' },
  secret_key_missing: { status: 422, message: 'Set FLOWCHAT_SECRET_KEY to store channel secrets with DATABASE_URL' },
  internal_error: { status: 500, message: 'Something went wrong on our side' },
  database_unavailable: { status: 503, message: 'The database is unavailable' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ErrorCodes;

/** An error with a stable code from the registry; the HTTP layer turns it into `{error: {...}}`. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;

  constructor(code: ErrorCode, message?: string, details?: unknown) {
    super(message ?? ErrorCodes[code].message);
    this.name = 'AppError';
    this.code = code;
    this.status = ErrorCodes[code].status;
    this.details = details;
  }
}

/**
 * A 400 `validation_failed` naming one field, shaped like the schema validator's errors, for rules
 * a schema cannot express (a phone number, a normalised tag list).
 */
export function invalidField(field: string, message: string): AppError {
  return new AppError('validation_failed', `Invalid ${field}: ${message}`, [{ field, message }]);
}

/** A missing row. */
export class NotFoundError extends AppError {
  constructor(code: ErrorCode = 'not_found', message?: string, details?: unknown) {
    super(code, message, details);
    this.name = 'NotFoundError';
  }
}

/** A unique violation; `field` names the column that clashed. */
export class ConflictError extends AppError {
  readonly field: string | undefined;

  constructor(field: string | undefined, code: ErrorCode = 'conflict', message?: string) {
    super(code, message ?? (field ? `A record with this ${field} already exists` : undefined), field ? { field } : undefined);
    this.name = 'ConflictError';
    this.field = field;
  }
}

/** Any other database failure. Carries the driver's error as `cause`, never the query parameters. */
export class DatabaseError extends Error {
  readonly sqlState: string | undefined;

  constructor(message: string, cause?: unknown, sqlState?: string) {
    super(message, { cause });
    this.name = 'DatabaseError';
    this.sqlState = sqlState;
  }
}

/** The database cannot be reached at all: the HTTP layer answers 503. */
export class DatabaseUnavailableError extends DatabaseError {
  constructor(cause?: unknown) {
    super('The database is unavailable', cause);
    this.name = 'DatabaseUnavailableError';
  }
}

/** A bad environment variable: the message names it, and the start stops. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
