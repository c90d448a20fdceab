import { ApiError } from './api-error.js';
import { request } from './client.js';
import type { Settings, User } from './types.js';

interface LoginAnswer {
  readonly token: string;
  readonly user: User;
  readonly expires_at: string;
}

/** Signs in; the server sets the HttpOnly session cookie the rest of the app relies on. */
export async function login(email: string, password: string): Promise<User> {
  const answer = await request<LoginAnswer>('/auth/login', {
    method: 'POST',
    body: { email, password },
    ignoreUnauthorized: true,
  });
  return answer.user;
}

export async function logout(): Promise<void> {
  await request<void>('/auth/logout', { method: 'POST', ignoreUnauthorized: true });
}

export interface Me {
  readonly user: User;
  /** `/auth/me` names the WhatsApp channel in use; absent on servers that keep it in `/settings`. */
  readonly channel: Settings['channel'] | null;
}

/** The signed-in user and channel, or null when the session cookie is missing or expired. */
export async function currentUser(): Promise<Me | null> {
  try {
    const answer = await request<User & { readonly user?: User; readonly channel?: Settings['channel'] }>('/auth/me', {
      ignoreUnauthorized: true,
    });
    return { user: answer.user ?? answer, channel: answer.channel ?? null };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}
