/**
 * Columns that many tables of the migrations begin with, written once. The text is part of
 * migrations that have run, so it never changes; it is laid out for a column list indented six spaces.
 */
import { sql } from 'kysely';

/** The first columns of a table of things users name: a UUID key and a name that is not blank. */
export const keyAndName = sql.raw(`id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
      name TEXT NOT NULL CHECK (btrim(name) <> '')`);
