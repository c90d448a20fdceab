/** Small schemas every route module shares: ids in the path, timestamps, JSON objects, lists, paging. */
import { Type, type TObject, type TProperties, type TSchema, type TString } from 'typebox';

export const TimestampSchema = Type.String({ format: 'date-time' });
export const NullableTimestampSchema = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

/** Any JSON object (contact metadata, a template payload). */
export const JsonObjectSchema = Type.Record(Type.String(), Type.Unknown());

/** `:id` in a path. Not checked as a UUID here: an id that names no record is a 404, not a 400. */
export const IdParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

/** `limit` and `cursor` of a keyset-paged list. */
export const PageQuerySchema = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Items per page, 1 to 200' })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 2048, description: 'The `next_cursor` of the previous page' })),
});

export const NextCursorSchema = Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` for the next page; null on the last' });

/** `{ items: [...] }`: a whole list in one answer. */
export function ListSchema<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item) });
}

/** A record as its create answer shows it: with the secret `key`, which no other answer carries. */
export function WithSecretSchema<P extends TProperties, K extends string>(record: TObject<P>, key: K, description: string) {
  const secret = { [key]: Type.String({ description }) } as Record<K, TString>;
  return Type.Object({ ...record.properties, ...secret });
}
