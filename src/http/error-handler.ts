/**
 * Turns every error into the contract's `{"error": {code, message, details}}`. Client mistakes get
 * their 4xx from the registry; an outage is 503; anything else is a logged 500 that names the
 * request id and shows no stack.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, DatabaseUnavailableError, ErrorCodes, type ErrorCode } from '../shared/errors.js';
import { wantsWebApp } from './plugins/web-app.plugin.js';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

function errorBody(code: ErrorCode, message?: string, details?: unknown): ErrorBody {
  return { error: { code, message: message ?? ErrorCodes[code].message, ...(details === undefined ? {} : { details }) } };
}

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

function fieldOf(issue: ValidationIssue, context: string | undefined): string {
  const path = (issue.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const missing = issue.params?.['missingProperty'] ?? issue.params?.['additionalProperty'] ?? issue.params?.['requiredProperties'];
  const extra = typeof missing === 'string' ? missing : Array.isArray(missing) ? String(missing[0]) : '';
  const field = [path, extra].filter((part) => part !== '').join('.');
  return field || (context ?? 'body');
}

const fastifyCodes: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation_failed',
  FST_ERR_CTP_EMPTY_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_TYPE: 'unsupported_media_type',
};

function sendError(reply: FastifyReply, error: unknown, request: FastifyRequest): FastifyReply {
  if (error instanceof AppError) {
    return reply.status(error.status).send(errorBody(error.code, error.message, error.details));
  }
  if (error instanceof DatabaseUnavailableError) {
    request.log.warn({ reqId: request.id }, 'database unavailable');
    return reply.status(503).send(errorBody('database_unavailable'));
  }
  const fastifyError = error as FastifyError & { validation?: ValidationIssue[]; validationContext?: string };
  if (Array.isArray(fastifyError.validation)) {
    const details = fastifyError.validation.map((issue) => ({
      field: fieldOf(issue, fastifyError.validationContext),
      message: issue.message ?? 'is not valid',
    }));
    const fields = [...new Set(details.map((detail) => detail.field))].join(', ');
    return reply.status(400).send(errorBody('validation_failed', `Invalid ${fields}`, details));
  }
  const mapped = fastifyError.code ? fastifyCodes[fastifyError.code] : undefined;
  if (mapped) return reply.status(ErrorCodes[mapped].status).send(errorBody(mapped));
  if (fastifyError.statusCode === 429) return reply.status(429).send(errorBody('too_many_requests'));
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return reply.status(fastifyError.statusCode).send(errorBody('validation_failed', fastifyError.message));
  }
  request.log.error({ reqId: request.id, err: error }, 'request failed');
  return reply.status(500).send(errorBody('internal_error', `Something went wrong on our side (request ${request.id})`));
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => sendError(reply, error, request));
  app.setNotFoundHandler((request, reply) => {
    if (wantsWebApp(request)) return reply.type('text/html').sendFile('index.html');
    return reply.status(404).send(errorBody('route_not_found', `No route ${request.method} ${request.url.split('?')[0] ?? ''}`));
  });
}
