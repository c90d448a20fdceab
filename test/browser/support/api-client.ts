/** The public API from Node, signed in as the admin, for arranging what a test needs. */
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './flowchat-server.js';

export interface ApiClient {
  /** The admin's bearer token, for requests `request` does not make (multipart uploads). */
  readonly token: string;
  request<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T>;
}

export async function signInApi(baseUrl: string): Promise<ApiClient> {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  });
  if (!login.ok) throw new Error(`sign-in failed: ${login.status} ${await login.text()}`);
  const { token } = (await login.json()) as { token: string };
  return {
    token,
    async request<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
      const response = await fetch(`${baseUrl}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
      return (text ? JSON.parse(text) : undefined) as T;
    },
  };
}

/**
 * Polls `check` until it returns a value, for server work that finishes in the background. A
 * dropped connection (undici's "fetch failed", seen on a loaded machine while the embedded engine
 * is busy) is polled again like an answer that is not there yet.
 */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let value: T | undefined;
    try {
      value = await check();
    } catch (error) {
      if (!(error instanceof TypeError && error.message === 'fetch failed') || Date.now() > deadline) throw error;
    }
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}
