/**
 * The CSV import: a header row names the columns (`phone`, `name`, `email`, `tags` split on `;`;
 * any other column goes to metadata), then each record is upserted by phone in batches of one
 * statement each. A bad row is reported with its line and skipped; the good rows land. An existing
 * contact keeps what a row leaves empty: given name and email replace, tags are added, metadata
 * merges. Rows repeating a phone within a batch are merged first, as one statement cannot touch a
 * row twice. No `contact.updated` event is sent per row (an import may hold 100 000); one audit
 * entry records the import.
 */
import type { Readable } from 'node:stream';
import { actorOf, recordAudit } from '../audit/record-audit.js';
import { ContactRepository, type ImportedContact } from '../db/repositories/contact.repository.js';
import type { JsonObject } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import { csvEntries, type CsvEntry } from '../shared/csv-records.js';
import { AppError } from '../shared/errors.js';
import type { Principal } from '../auth/auth.service.js';
import {
  isEmail, MAX_METADATA_BYTES, MAX_TAGS, metadataBytes, normalizePhone, normalizeTags,
} from './contact-rules.js';

export interface ImportError {
  readonly line: number;
  readonly message: string;
}

export interface ImportResult {
  readonly created: number;
  readonly updated: number;
  /** The first `MAX_LISTED_ERRORS` rows not imported, by line. */
  readonly errors: ImportError[];
  readonly errorCount: number;
}

const MAX_LISTED_ERRORS = 10_000;
const DEFAULT_BATCH_SIZE = 2_000;

interface Columns {
  readonly phone: number;
  readonly name: number | undefined;
  readonly email: number | undefined;
  readonly tags: number | undefined;
  readonly metadata: ReadonlyArray<{ readonly index: number; readonly key: string }>;
  readonly width: number;
}

/** Rows of one batch by phone; `lines` are every line merged into the row. */
type Batch = Map<string, { row: ImportedContact; lines: number[] }>;

const knownColumns = ['phone', 'name', 'email', 'tags'] as const;

function readHeader(cells: readonly string[]): Columns {
  const indexes = new Map<string, number>();
  const metadata: Array<{ index: number; key: string }> = [];
  cells.forEach((cell, index) => {
    const name = cell.trim();
    if (name === '') return;
    const known = knownColumns.find((column) => column === name.toLowerCase());
    const key = known ?? name;
    if (indexes.has(key)) throw new AppError('invalid_csv', `The header names the column "${key.slice(0, 64)}" twice`);
    indexes.set(key, index);
    if (!known) metadata.push({ index, key });
  });
  const phone = indexes.get('phone');
  if (phone === undefined) throw new AppError('invalid_csv', 'The header row (line 1) has no "phone" column');
  return { phone, name: indexes.get('name'), email: indexes.get('email'), tags: indexes.get('tags'), metadata, width: cells.length };
}

function cell(cells: readonly string[], index: number | undefined): string {
  return index === undefined ? '' : (cells[index] ?? '').trim();
}

/** The row as a contact, or the message saying why it cannot be one. */
function readRow(cells: readonly string[], columns: Columns, defaultCountry: string | undefined): ImportedContact | string {
  if (cells.slice(columns.width).some((extra) => extra.trim() !== '')) {
    return `The row has ${cells.length} cells but the header has ${columns.width}`;
  }
  const phoneText = cell(cells, columns.phone);
  if (phoneText === '') return 'The phone is missing';
  try {
    const phone = normalizePhone(phoneText, defaultCountry);
    const name = cell(cells, columns.name);
    if (name.length > 255) return 'The name has more than 255 characters';
    const email = cell(cells, columns.email);
    if (email !== '' && !isEmail(email)) return `The email "${email.slice(0, 64)}" is not valid`;
    const tags = normalizeTags(cell(cells, columns.tags).split(';'));
    const metadata: JsonObject = {};
    for (const { index, key } of columns.metadata) {
      const value = cell(cells, index);
      if (value !== '') metadata[key] = value;
    }
    if (metadataBytes(metadata) > MAX_METADATA_BYTES) return `The metadata columns hold more than ${MAX_METADATA_BYTES} bytes`;
    return { phone, name: name === '' ? null : name, email: email === '' ? null : email, tags, metadata };
  } catch (error) {
    if (error instanceof AppError) return error.message;
    throw error;
  }
}

function headerCells(entry: CsvEntry): readonly string[] {
  if (entry.kind === 'broken') throw new AppError('invalid_csv', `The header row cannot be read: ${entry.message}`);
  return entry.cells;
}

/** `row` merged into `into` as a later row of the same phone would update it, or why it cannot be. */
function mergeRows(into: ImportedContact, row: ImportedContact): ImportedContact | string {
  const tags = [...into.tags, ...row.tags.filter((tag) => !into.tags.includes(tag))];
  if (tags.length > MAX_TAGS) return `The contact would have more than ${MAX_TAGS} tags`;
  const metadata = { ...into.metadata, ...row.metadata };
  if (metadataBytes(metadata) > MAX_METADATA_BYTES) return `The contact's metadata would pass ${MAX_METADATA_BYTES} bytes`;
  return { phone: into.phone, name: row.name ?? into.name, email: row.email ?? into.email, tags, metadata };
}

/**
 * One import's state: the batch being filled, the counts and the errors so far. One batch is
 * written while the next is read and checked, so on a database server the parsing and the
 * writing overlap; a batch starts only once the one before it is done, so a phone repeated in
 * the next batch finds its contact already there.
 */
class ImportRun {
  created = 0;
  updated = 0;
  readonly errors: ImportError[] = [];
  private batch: Batch = new Map();
  private writing: Promise<void> | undefined;
  private failure: { readonly error: unknown } | undefined;

  constructor(
    private readonly contacts: ContactRepository,
    private readonly columns: Columns,
    private readonly defaultCountry: string | undefined,
    private readonly batchSize: number,
  ) {}

  async add(entry: CsvEntry): Promise<void> {
    if (entry.kind === 'broken') return this.fail(entry.line, entry.message);
    if (entry.cells.every((text) => text.trim() === '')) return;
    const row = readRow(entry.cells, this.columns, this.defaultCountry);
    if (typeof row === 'string') return this.fail(entry.line, row);
    const group = this.batch.get(row.phone);
    const merged = group ? mergeRows(group.row, row) : row;
    if (typeof merged === 'string') return this.fail(entry.line, merged);
    this.batch.set(row.phone, { row: merged, lines: [...(group?.lines ?? []), entry.line] });
    if (this.batch.size >= this.batchSize) await this.dispatch();
  }

  /** Writes what is left and waits for every write; the first failed write throws here. */
  async finish(): Promise<void> {
    await this.dispatch();
    await this.settle();
  }

  /** Waits for the batch being written, if any; its failure, if any, throws here. */
  async settle(): Promise<void> {
    await this.writing;
    this.writing = undefined;
    if (this.failure) throw this.failure.error;
  }

  private async dispatch(): Promise<void> {
    await this.settle();
    if (this.batch.size === 0) return;
    const groups = [...this.batch.values()];
    this.batch = new Map();
    // Caught at once and kept: a rejection nobody awaits yet would crash the process.
    this.writing = this.write(groups).catch((error: unknown) => {
      this.failure ??= { error };
    });
  }

  private async write(groups: ReadonlyArray<{ row: ImportedContact; lines: number[] }>): Promise<void> {
    const outcome = await this.contacts.upsertBatch(groups.map((group) => group.row), { maxTags: MAX_TAGS, maxMetadataBytes: MAX_METADATA_BYTES });
    for (const { row, lines } of groups) {
      const result = outcome.get(row.phone);
      if (result === undefined) {
        for (const line of lines) this.fail(line, `The contact would pass ${MAX_TAGS} tags or ${MAX_METADATA_BYTES} bytes of metadata`);
      } else {
        // The first row of a new phone creates it; every later row of it updates it.
        this.created += result === 'created' ? 1 : 0;
        this.updated += result === 'created' ? lines.length - 1 : lines.length;
      }
    }
  }

  private fail(line: number, message: string): void {
    this.errors.push({ line, message });
  }
}

export class ContactImportService {
  constructor(
    private readonly db: Executor,
    private readonly defaultCountry: string | undefined,
    private readonly maxBytes: number,
    private readonly batchSize = DEFAULT_BATCH_SIZE,
  ) {}

  async importCsv(input: Readable, principal?: Principal): Promise<ImportResult> {
    let run: ImportRun | undefined;
    try {
      for await (const entry of csvEntries(input, this.maxBytes)) {
        if (run) await run.add(entry);
        else run = new ImportRun(new ContactRepository(this.db), readHeader(headerCells(entry)), this.defaultCountry, this.batchSize);
      }
    } catch (error) {
      // Let the batch being written finish, so what it wrote is counted; the error that stopped
      // the reading is the one reported.
      await run?.settle().catch(() => undefined);
      if (!run || !(error instanceof AppError) || error.code !== 'payload_too_large') throw error;
      // Batches already written stay (each is whole); say how far the import got.
      const { created, updated } = run;
      if (created + updated > 0) await this.audit(principal, { created, updated, errors: run.errors.length, stopped: 'payload_too_large' });
      throw new AppError('payload_too_large', error.message, { created, updated, error_count: run.errors.length });
    }
    if (!run) throw new AppError('invalid_csv', 'The file is empty: it needs a header row naming a "phone" column');
    await run.finish();

    const { created, updated } = run;
    const errors = run.errors.sort((a, b) => a.line - b.line);
    await this.audit(principal, { created, updated, errors: errors.length });
    return { created, updated, errors: errors.slice(0, MAX_LISTED_ERRORS), errorCount: errors.length };
  }

  private async audit(principal: Principal | undefined, details: JsonObject): Promise<void> {
    await recordAudit(this.db, { actor: actorOf(principal), action: 'contacts.imported', target: { type: 'contacts', id: null }, details });
  }
}
