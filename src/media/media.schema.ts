/** Media as the API shows it: the upload's answer and `media` on messages. */
import { Type } from 'typebox';

export const MediaKindSchema = Type.Union([Type.Literal('image'), Type.Literal('video'), Type.Literal('audio'), Type.Literal('document'), Type.Literal('sticker')]);

export const MediaResourceSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    url: Type.String({ description: '`/api/v1/media/{id}`: the bytes, for a signed-in user' }),
    kind: MediaKindSchema,
    mime_type: Type.String(),
    size: Type.Union([Type.Integer(), Type.Null()], { description: 'Bytes; null until an inbound file is downloaded' }),
    sha256: Type.Union([Type.String(), Type.Null()], { description: 'Hex; null until an inbound file is downloaded' }),
    filename: Type.Optional(Type.String()),
    voice: Type.Optional(Type.Boolean({ description: 'A voice note recorded in WhatsApp' })),
    status: Type.Union([Type.Literal('ready'), Type.Literal('downloading'), Type.Literal('failed')]),
  },
  { description: 'A media file' },
);
