/** The send body of a media message: a file from `POST /api/v1/media`, with a caption and filename. */
import { Type } from 'typebox';

export const MediaMessageTypeSchema = Type.Union([Type.Literal('image'), Type.Literal('video'), Type.Literal('audio'), Type.Literal('document'), Type.Literal('sticker')]);

export const mediaSendFields = {
  type: MediaMessageTypeSchema,
  media_id: Type.String({ minLength: 1, maxLength: 100, description: 'The `id` that `POST /api/v1/media` answered' }),
  caption: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'At most 1024 characters; not for audio or sticker' })),
  filename: Type.Optional(Type.String({ minLength: 1, maxLength: 240, description: 'Shown to the customer (documents)' })),
};
