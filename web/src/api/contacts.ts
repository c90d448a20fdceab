import { request } from './client.js';
import type { Contact, Page } from './types.js';

export interface ContactQuery {
  readonly q?: string;
  readonly tags?: readonly string[];
  readonly match?: 'all' | 'any';
  readonly sort?: 'created_at' | 'name' | 'last_message_at' | 'message_count';
  readonly order?: 'asc' | 'desc';
  readonly limit?: number;
  readonly cursor?: string | null;
}

export interface ContactInput {
  readonly phone?: string;
  readonly name?: string | null;
  readonly email?: string | null;
  readonly tags?: readonly string[];
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly opted_out?: boolean;
}

export function listContacts(query: ContactQuery, signal?: AbortSignal): Promise<Page<Contact>> {
  return request<Page<Contact>>('/contacts', {
    query: {
      q: query.q,
      tags: query.tags && query.tags.length > 0 ? query.tags.join(',') : undefined,
      match: query.tags && query.tags.length > 0 ? query.match : undefined,
      sort: query.sort,
      order: query.order,
      limit: query.limit,
      cursor: query.cursor,
    },
    signal,
  });
}

export function getContact(id: string): Promise<Contact> {
  return request<Contact>(`/contacts/${encodeURIComponent(id)}`);
}

export function createContact(input: ContactInput): Promise<Contact> {
  return request<Contact>('/contacts', { method: 'POST', body: input });
}

export function updateContact(id: string, input: ContactInput): Promise<Contact> {
  return request<Contact>(`/contacts/${encodeURIComponent(id)}`, { method: 'PATCH', body: input });
}

export function deleteContact(id: string): Promise<void> {
  return request<void>(`/contacts/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
