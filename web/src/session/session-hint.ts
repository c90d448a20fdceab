const KEY = 'flowchat.signedIn';

/**
 * Whether this browser signed in before. The session cookie is HttpOnly, so the app cannot see
 * it; without this hint every first visit would probe `/auth/me` and log a 401 in the console.
 */
export function probablySignedIn(): boolean {
  try {
    return localStorage.getItem(KEY) === '1';
  } catch {
    return true;
  }
}

export function rememberSignedIn(signedIn: boolean): void {
  try {
    if (signedIn) localStorage.setItem(KEY, '1');
    else localStorage.removeItem(KEY);
  } catch {
    // Storage can be disabled; the app then probes the session on every load, which still works.
  }
}
