/** Contacts created through the API, as a client would create them. */
import assert from 'node:assert/strict';
import { bearer } from './app.js';
import type { SuiteApp } from './suite-app.js';

/** A contact as the API answers it. */
export interface ContactBody {
  id: string;
  phone: string;
  name: string | null;
  email: string | null;
  tags: string[];
  metadata: Record<string, unknown>;
  opted_out: boolean;
  message_count: number;
}

/** `POST /api/v1/contacts` with `token`; asserts the 201 and returns the contact. */
export async function postContact(t: SuiteApp, token: string, payload: object): Promise<ContactBody> {
  const response = await t.app.inject({ method: 'POST', url: '/api/v1/contacts', headers: bearer(token), payload });
  assert.equal(response.statusCode, 201, response.body);
  return response.json();
}
