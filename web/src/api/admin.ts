import { itemsOf, request } from './client.js';
import type { ApiKey, Contact, DashboardStats, Message, Role, Settings, User } from './types.js';

export async function listUsers(): Promise<readonly User[]> {
  return itemsOf(await request<{ items: User[] } | User[]>('/users'));
}

export interface UserInput {
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly password: string;
}

export function createUser(input: UserInput): Promise<User> {
  return request<User>('/users', { method: 'POST', body: input });
}

export function updateUser(id: string, change: Partial<UserInput>): Promise<User> {
  return request<User>(`/users/${encodeURIComponent(id)}`, { method: 'PATCH', body: change });
}

export function deleteUser(id: string): Promise<void> {
  return request<void>(`/users/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export async function listApiKeys(): Promise<readonly ApiKey[]> {
  return itemsOf(await request<{ items: ApiKey[] } | ApiKey[]>('/api-keys'));
}

export function createApiKey(name: string): Promise<ApiKey> {
  return request<ApiKey>('/api-keys', { method: 'POST', body: { name } });
}

export function revokeApiKey(id: string): Promise<void> {
  return request<void>(`/api-keys/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function getSettings(): Promise<Settings> {
  return request<Settings>('/settings');
}

export function getDashboardStats(): Promise<DashboardStats> {
  return request<DashboardStats>('/stats/dashboard');
}

export interface SandboxInbound {
  readonly phone: string;
  readonly name: string;
  /** The message, or the caption of `media_id`. */
  readonly text?: string;
  /** A file from `POST /api/v1/media` that the customer sends. */
  readonly media_id?: string;
}

/** The sandbox answers with what it stored; the UI only needs the contact to link to. */
export interface SandboxInboundAnswer {
  readonly contact?: Contact;
  readonly message?: Message;
}

export function simulateInbound(input: SandboxInbound): Promise<SandboxInboundAnswer | undefined> {
  return request<SandboxInboundAnswer | undefined>('/sandbox/inbound', { method: 'POST', body: input });
}

export function resumeSender(): Promise<NonNullable<Settings['sender']>> {
  return request<NonNullable<Settings['sender']>>('/settings/sender/resume', { method: 'POST' });
}
