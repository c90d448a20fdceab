/**
 * The contacts file of the import benchmark, written twice from the same rows: as a user would
 * upload it (`phone,name,email,tags,city,plan`, tags split on `;`) and in the shape COPY loads
 * straight into the contacts table (tags as an array literal, the extra columns as JSON metadata).
 * Every row carries the tag `spring` (the campaign audience); the first `taggedForSender` also
 * carry `sender`.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export interface ContactsFiles {
  readonly csv: string;
  readonly copy: string;
  readonly rows: number;
}

const firstNames = ['Maria', 'João', 'Ana', 'Pedro', 'Lucía', 'Chidi', 'Priya', 'Siti', 'Gabriel', 'Laura'];
const lastNames = ['Silva', 'Santos', 'García', 'Okafor', 'Sharma', 'Wijaya', 'Reyes', 'Costa'];
const extraTags = ['customer', 'lead', 'vip', 'newsletter', 'wholesale', 'b2b'];
const cities = ['Recife', 'São Paulo', 'Lisbon', 'Lagos', 'Mumbai'];
const plans = ['free', 'gold', 'platinum'];

/** A deterministic pick, so both files and every run hold the same rows. */
function nth<T>(values: readonly T[], index: number): T {
  return values[index % values.length] as T;
}

function quoteCsv(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

async function write(path: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(path);
  for (const line of lines) {
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

export async function writeContactsFiles(dir: string, rows: number, taggedForSender: number): Promise<ContactsFiles> {
  const records = function* (): Generator<{ phone: string; name: string; email: string; tags: string[]; city: string; plan: string }> {
    for (let index = 0; index < rows; index += 1) {
      const first = nth(firstNames, index);
      const last = nth(lastNames, Math.floor(index / firstNames.length));
      const tags = ['spring', ...(index < taggedForSender ? ['sender'] : []), ...(index % 3 === 0 ? [nth(extraTags, index)] : [])];
      yield {
        phone: `+55119${60_000_000 + index}`,
        name: `${first} ${last}`,
        email: index % 2 === 0 ? `${first}.${last}.${index}@example.com`.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '') : '',
        tags,
        city: nth(cities, index),
        plan: nth(plans, index),
      };
    }
  };
  const csv = `${dir}/contacts-${rows}.csv`;
  const copy = `${dir}/contacts-${rows}.copy.csv`;
  await write(csv, (function* () {
    yield 'phone,name,email,tags,city,plan\n';
    for (const row of records()) yield `${row.phone},${quoteCsv(row.name)},${row.email},${row.tags.join(';')},${quoteCsv(row.city)},${row.plan}\n`;
  })());
  await write(copy, (function* () {
    for (const row of records()) {
      const metadata = JSON.stringify({ city: row.city, plan: row.plan });
      yield `${row.phone},${quoteCsv(row.name)},${row.email},${quoteCsv(`{${row.tags.join(',')}}`)},${quoteCsv(metadata)}\n`;
    }
  })());
  return { csv, copy, rows };
}
