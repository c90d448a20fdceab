/**
 * What every service may be built on: configuration, logger, database and the page-cursor codec.
 * Services take a `Pick` of this rather than the whole application context, so no service depends
 * on the composition root (src/compose.ts) that builds it.
 */
import type { Kysely } from 'kysely';
import type { Config } from './config/env.js';
import type { CursorCodec } from './db/cursor.js';
import type { DatabaseHandle } from './db/connection.js';
import type { Database } from './db/schema.js';
import type { Logger } from './shared/logger.js';

export interface Foundation {
  readonly config: Config;
  readonly logger: Logger;
  readonly database: DatabaseHandle;
  readonly db: Kysely<Database>;
  readonly cursors: CursorCodec;
}
