import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { it } from 'node:test';
import { ContactImportService } from '../../src/contacts/contact-import.service.js';
import { forEachEngine } from '../support/databases.js';

/** Feeds `text` in chunks of `size` bytes, so records and CRLF pairs straddle chunk boundaries. */
function chunked(text: string, size: number): Readable {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) chunks.push(bytes.subarray(offset, offset + size));
  return Readable.from(chunks);
}

forEachEngine('ContactImportService', (suite) => {
  it('merges repeats within a batch and updates across batches, counting each row once', async () => {
    const service = new ContactImportService(suite.database.db, undefined, 1024 * 1024, 2);
    const csv = [
      'phone,name,tags,note',
      '+14155550701,A1,x,first', // batch 1: creates 0701
      '+14155550702,B,,', // batch 1: creates 0702 (batch full)
      '+14155550701,,y,', // batch 2: updates 0701
      '+14155550701,A2,,second', // batch 2: merged into the row above
      '+14155550703,C,,', // batch 2: creates 0703
    ].join('\n');
    const result = await service.importCsv(Readable.from([csv]));
    assert.deepEqual(result, { created: 3, updated: 2, errors: [], errorCount: 0 });
    const row = await suite.database.db.selectFrom('contacts').select(['name', 'tags', 'metadata']).where('phone', '=', '+14155550701').executeTakeFirstOrThrow();
    assert.deepEqual(row, { name: 'A2', tags: ['x', 'y'], metadata: { note: 'second' } });
  });

  it('numbers lines where records start, across CRLF, quoted line breaks, blank lines and chunk boundaries', async () => {
    const service = new ContactImportService(suite.database.db, undefined, 1024 * 1024);
    const csv = [
      'phone,name', // 1
      '"+14155550801","two', // 2
      'lines"', // 3
      '', // 4
      'bad-1,x', // 5
      '+14155550802,"three', // 6
      '', // 7
      'lines"', // 8
      'bad-2,"x, ""quoted"""', // 9
      '', // 10
      '', // 11
      'bad-3', // 12
    ].join('\r\n');
    for (const size of [1, 2, 3, 7, 64, 4096]) {
      const result = await service.importCsv(chunked(csv, size));
      assert.deepEqual(result.errors.map((error) => error.line), [5, 9, 12], `chunks of ${size}`);
      assert.equal(result.created + result.updated, 2);
    }
    const row = await suite.database.db.selectFrom('contacts').select('name').where('phone', '=', '+14155550802').executeTakeFirstOrThrow();
    assert.equal(row.name, 'three\n\nlines');
  });

  it('uses FLOWCHAT_DEFAULT_COUNTRY for national numbers', async () => {
    const service = new ContactImportService(suite.database.db, 'BR', 1024 * 1024);
    const result = await service.importCsv(Readable.from(['phone\n(21) 98765-0001\n+1 415 555 0901\n']));
    assert.deepEqual(result, { created: 2, updated: 0, errors: [], errorCount: 0 });
    const phones = await suite.database.db.selectFrom('contacts').select('phone').where('phone', 'in', ['+5521987650001', '+14155550901']).execute();
    assert.equal(phones.length, 2);
  });
});
