/**
 * A dozen demo contacts with tags, metadata and a short conversation each. Contacts are matched by
 * phone and messages by a fixed provider id, so a second run inserts nothing.
 */
import type { Executor } from '../transaction.js';

const people = [
  ['+5581988880001', 'Ana Souza', 'Recife', ['customer', 'gold']],
  ['+5511977770002', 'Bruno Lima', 'São Paulo', ['lead']],
  ['+14155550103', 'Carla Gomez', 'San Francisco', ['customer']],
  ['+447700900104', 'David Clarke', 'London', ['customer', 'vip']],
  ['+4915112340105', 'Eva Braun', 'Berlin', ['lead', 'newsletter']],
  ['+33612340106', 'François Petit', 'Paris', ['customer']],
  ['+34612340107', 'Gloria Ruiz', 'Madrid', ['lead']],
  ['+5581988880008', 'Hugo Alves', 'Recife', ['customer', 'newsletter']],
  ['+12125550109', 'Irene Park', 'New York', ['vip']],
  ['+61412340110', 'Jack Wilson', 'Sydney', ['lead']],
  ['+819012340111', 'Kenji Sato', 'Tokyo', ['customer']],
  ['+5521966660012', 'Larissa Costa', 'Rio de Janeiro', ['customer', 'gold', 'newsletter']],
] as const;

const conversation = [
  ['inbound', 'Hi! Is my order on its way?'],
  ['outbound', 'Hello! Yes, it left our warehouse this morning.'],
  ['inbound', 'Great, thank you!'],
  ['outbound', 'You are welcome. Anything else we can do?'],
] as const;

export async function seedContacts(db: Executor): Promise<number> {
  const inserted = await db
    .insertInto('contacts')
    .values(people.map(([phone, name, city, tags]) => ({ phone, name, tags: [...tags], metadata: { city } })))
    .onConflict((oc) => oc.column('phone').doNothing())
    .returning(['id', 'phone'])
    .execute();
  if (inserted.length === 0) return 0;
  const start = Date.now() - 2 * 3600_000;
  const messages = inserted.flatMap((contact, index) =>
    conversation.map(([direction, content], step) => ({
      contact_id: contact.id,
      direction,
      type: 'text',
      content,
      status: 'read' as const,
      external_id: `seed.${contact.phone}.${step}`,
      created_at: new Date(start + index * 60_000 + step * 5_000),
    })),
  );
  await db.insertInto('messages').values(messages).onConflict((oc) => oc.column('external_id').doNothing()).execute();
  return inserted.length;
}
