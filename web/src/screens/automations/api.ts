/** The automations and team-inbox API: rules, business hours, availability, notes and search. */
import { request } from '../../api/client.js';
import type { Contact, Message } from '../../api/types.js';

export type Trigger = 'message.received' | 'conversation.opened' | 'button.clicked';

export type AutomationAction =
  | { readonly type: 'reply'; readonly message: { readonly type: 'text'; readonly content: string } }
  | { readonly type: 'assign'; readonly user_id: string }
  | { readonly type: 'assign'; readonly strategy: 'round_robin' | 'least_busy' }
  | { readonly type: 'add_tags'; readonly tags: readonly string[] }
  | { readonly type: 'close' };

export interface AutomationConditions {
  readonly keywords?: readonly string[];
  readonly match?: 'exact' | 'contains';
  readonly tags?: readonly string[];
  readonly button_ids?: readonly string[];
  readonly channel_ids?: readonly string[];
  readonly outside_business_hours?: boolean;
}

export interface AutomationInput {
  readonly name: string;
  readonly enabled: boolean;
  readonly trigger: Trigger;
  readonly conditions: AutomationConditions;
  readonly actions: readonly AutomationAction[];
}

export interface Automation extends AutomationInput {
  readonly id: string;
  readonly created_at: string;
  readonly updated_at: string;
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface BusinessHours {
  readonly timezone: string;
  readonly week: Partial<Record<Weekday, ReadonlyArray<readonly [string, string]>>>;
  readonly closed_dates: readonly string[];
}

export interface SearchHit extends Message {
  readonly contact: Pick<Contact, 'id' | 'name' | 'phone'>;
}

export const listAutomations = () => request<{ items: Automation[] }>('/automations');
export const createAutomation = (input: AutomationInput) => request<Automation>('/automations', { method: 'POST', body: input });
export const updateAutomation = (id: string, input: Partial<AutomationInput>) =>
  request<Automation>(`/automations/${encodeURIComponent(id)}`, { method: 'PATCH', body: input });
export const deleteAutomation = (id: string) => request<null>(`/automations/${encodeURIComponent(id)}`, { method: 'DELETE' });

export const getBusinessHours = () => request<BusinessHours>('/business-hours');
export const saveBusinessHours = (hours: BusinessHours) => request<BusinessHours>('/business-hours', { method: 'PUT', body: hours });

export const getAvailability = async () => (await request<{ available: boolean }>('/auth/me')).available;
export const setAvailability = (available: boolean) => request<{ available: boolean }>('/auth/me', { method: 'PATCH', body: { available } });

export const addNote = (contactId: string, content: string) =>
  request<Message>(`/contacts/${encodeURIComponent(contactId)}/notes`, { method: 'POST', body: { content } });

export const searchMessages = (q: string, cursor: string | null) =>
  request<{ items: SearchHit[]; next_cursor: string | null }>('/messages/search', { query: { q, cursor, limit: 20 } });
