/**
 * The error body of every 4xx and 5xx (`{"error": {code, message, details?}}`), for route response
 * schemas and the OpenAPI document. Routes list the statuses they can answer with `errorResponses`.
 *
 * @example
 * schema: { response: { 200: ContactSchema, ...errorResponses(400, 401, 404) } }
 */
import { Type } from 'typebox';

const statusDescriptions = {
  400: 'The request is malformed or a value is not valid; `details` names the fields',
  401: 'Not signed in, or the credentials are wrong',
  403: 'Signed in, but not allowed to do this',
  404: 'No such record',
  409: 'Conflicts with an existing record',
  413: 'The body is too large',
  415: 'The content type is not supported here',
  422: 'Valid, but refused by a rule',
  429: 'Too many requests; try again later',
  502: 'WhatsApp (Meta) could not be reached or refused the call',
  503: 'The database is unavailable',
} as const;

export type ErrorStatus = keyof typeof statusDescriptions;

export function errorSchema(description?: string) {
  return Type.Object(
    {
      error: Type.Object({
        code: Type.String({ description: 'A stable snake_case code, e.g. `validation_failed`' }),
        message: Type.String({ description: 'A human-readable explanation' }),
        details: Type.Optional(Type.Unknown({ description: 'More about the error, e.g. the failing fields' })),
      }),
    },
    description === undefined ? {} : { description },
  );
}

export const ErrorSchema = errorSchema();
export type ErrorSchemaType = typeof ErrorSchema;

/** Response schemas for the given error statuses, each with its usual meaning as description. */
export function errorResponses<S extends ErrorStatus>(...statuses: S[]): Record<S, ErrorSchemaType> {
  const responses = {} as Record<S, ErrorSchemaType>;
  for (const status of statuses) responses[status] = errorSchema(statusDescriptions[status]);
  return responses;
}
