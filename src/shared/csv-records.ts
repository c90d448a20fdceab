/**
 * A CSV byte stream as numbered records, streaming (a large file is never held whole): a BOM is
 * dropped, CRLF and lone CR become LF, blank lines are skipped, short and long rows are kept as
 * they are, quotes inside unquoted cells are literal. Each record carries the line it starts on
 * (the first line is 1); a record the parser cannot read (an unclosed quote) becomes a `broken`
 * entry with its line, and reading goes on. Past `maxBytes` the stream fails with a 413.
 */
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { parse, type CsvError, type Info } from 'csv-parse';
import { AppError } from './errors.js';

export type CsvEntry =
  | { readonly kind: 'record'; readonly line: number; readonly cells: readonly string[] }
  | { readonly kind: 'broken'; readonly line: number; readonly message: string };

const brokenMessages: Readonly<Record<string, string>> = {
  CSV_QUOTE_NOT_CLOSED: 'A quoted cell is never closed (the rest of the file is read as part of it)',
  CSV_INVALID_CLOSING_QUOTE: 'A quote inside a quoted cell must be doubled ("")',
  CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: 'The row has a different number of cells',
};

const CR = 0x0d;
const LF = 0x0a;

/**
 * CRLF and lone CR to LF. csv-parse counts a CRLF inside a quoted cell as two lines, so line
 * numbers are right only for LF files; CR and LF are single bytes in UTF-8, so this is byte-safe.
 */
class LineEndings extends Transform {
  private pendingCr = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const out = Buffer.allocUnsafe(chunk.length + 1);
    let length = 0;
    let index = 0;
    if (this.pendingCr) {
      out[length++] = LF;
      if (chunk[0] === LF) index = 1;
      this.pendingCr = false;
    }
    for (; index < chunk.length; index++) {
      const byte = chunk[index] as number;
      if (byte !== CR) {
        out[length++] = byte;
      } else if (index + 1 === chunk.length) {
        this.pendingCr = true;
      } else {
        out[length++] = LF;
        if (chunk[index + 1] === LF) index++;
      }
    }
    done(null, out.subarray(0, length));
  }

  override _flush(done: TransformCallback): void {
    done(null, this.pendingCr ? Buffer.from([LF]) : null);
  }
}

/** Passes bytes through until there are more than `maxBytes`, then fails with 413. */
class ByteLimit extends Transform {
  private seen = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.maxBytes) done(new AppError('payload_too_large', `The file is larger than ${this.maxBytes} bytes`));
    else done(null, chunk);
  }
}

/**
 * Reads `input` as CSV. The parser runs ahead of the consumer only as far as stream buffers
 * allow, so a slow consumer (a database batch) holds the upload back instead of buffering it.
 */
export async function* csvEntries(input: Readable, maxBytes: number): AsyncGenerator<CsvEntry> {
  // Lines are numbered as the parser meets records (on_record, on_skip), which it does in file
  // order: the line after the previous record's last, plus the blank lines skipped in between.
  let previousEnd = 0;
  let previousBlank = 0;
  const startOf = (context: Pick<Info, 'lines' | 'empty_lines'>): number => {
    const start = previousEnd + 1 + (context.empty_lines - previousBlank);
    previousEnd = context.lines;
    previousBlank = context.empty_lines;
    return start;
  };
  const broken: CsvEntry[] = [];
  // The line of each record the parser has produced and the consumer not yet taken, in order.
  // A queue with a moving head: the parser may run far ahead (a large chunk parses in one go),
  // and Array#shift would make taking each line cost the length of the queue.
  let recordLines: number[] = [];
  let head = 0;
  const nextLine = (): number => {
    const line = recordLines[head++] ?? 0;
    if (head > 4096 && head * 2 > recordLines.length) {
      recordLines = recordLines.slice(head);
      head = 0;
    }
    return line;
  };
  const parser = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_record: (cells: string[], context) => {
      recordLines.push(startOf(context));
      return cells;
    },
    on_skip: (error: CsvError | undefined) => {
      if (error) {
        const line = startOf({ lines: Number(error['lines']), empty_lines: Number(error['empty_lines']) });
        broken.push({ kind: 'broken', line, message: brokenMessages[error.code] ?? error.message.replace(/:.*$/, '') });
      }
      return undefined;
    },
  });
  const limit = new ByteLimit(maxBytes);
  const fail = (error: Error): void => {
    parser.destroy(error);
  };
  input.once('error', fail);
  limit.once('error', fail);
  input.pipe(limit).pipe(new LineEndings()).pipe(parser);
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      const line = nextLine();
      while (broken.length > 0 && (broken[0] as CsvEntry).line < line) yield broken.shift() as CsvEntry;
      yield { kind: 'record', line, cells };
    }
    yield* broken.splice(0);
  } finally {
    input.unpipe();
    input.off('error', fail);
    limit.off('error', fail);
  }
}
