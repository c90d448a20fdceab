import { apiErrorFrom } from './api-error.js';

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Calls `listener` whenever an API call answers 401, so the app can return to sign in. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  readonly body?: unknown;
  readonly query?: Readonly<Record<string, string | number | boolean | null | undefined>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  /** Sign-in answers 401 for bad credentials; that is not an expired session. */
  readonly ignoreUnauthorized?: boolean;
}

/** Builds `/api/v1/...` with the query parameters that have a value. */
export function apiUrl(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return `/api/v1${path}${search ? `?${search}` : ''}`;
}

/**
 * Calls the FlowChat API with the session cookie and parses the JSON answer.
 * Throws an ApiError for every non-2xx answer.
 */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const response = await fetch(apiUrl(path, options.query), {
    method: options.method ?? 'GET',
    headers,
    body,
    credentials: 'same-origin',
    signal: options.signal,
  });
  const parsed: unknown = await readJson(response);
  if (!response.ok) {
    if (response.status === 401 && !options.ignoreUnauthorized) {
      for (const listener of unauthorizedListeners) listener();
    }
    throw apiErrorFrom(response.status, parsed);
  }
  return parsed as T;
}

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** List routes answer `{items}`; this also accepts a bare array. */
export function itemsOf<T>(body: { readonly items: readonly T[] } | readonly T[]): readonly T[] {
  return Array.isArray(body) ? body : (body as { readonly items: readonly T[] }).items;
}
