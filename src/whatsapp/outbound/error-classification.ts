/**
 * What FlowChat does with each Cloud API error code (docs/whatsapp-cloud-api.md §2). Decisions
 * branch on `code` only: Meta's HTTP statuses, titles and subcodes carry no reliable meaning.
 */

export type ErrorAction =
  /** Retry the same message after an exponential, jittered wait; fail after `maxAttempts`. */
  | { readonly kind: 'backoff'; readonly baseMs: number; readonly capMs: number; readonly maxAttempts: number; readonly slowsSender: boolean }
  /** Retry this recipient only, after 4^attempt seconds (the pair rate limit). */
  | { readonly kind: 'later'; readonly maxAttempts: number }
  /** Fail the message, no retry. `optOut`: the user stopped marketing messages. */
  | { readonly kind: 'fail'; readonly optOut: boolean }
  /** Stop sending altogether and keep messages pending until an admin acts. */
  | { readonly kind: 'pause' };

export type BackoffAction = Extract<ErrorAction, { kind: 'backoff' }>;

const backoff = (baseMs: number, capMs: number, maxAttempts: number, slowsSender = false): BackoffAction => ({
  kind: 'backoff', baseMs, capMs, maxAttempts, slowsSender,
});

const seconds = 1_000;
const minutes = 60 * seconds;

const byCode: ReadonlyMap<number, ErrorAction> = new Map<number, ErrorAction>([
  [130429, backoff(1 * seconds, 60 * seconds, 20, true)],
  [4, backoff(1 * minutes, 15 * minutes, 12, true)],
  [80007, backoff(1 * minutes, 15 * minutes, 12, true)],
  [2, backoff(2 * seconds, 5 * minutes, 10)],
  [131016, backoff(2 * seconds, 5 * minutes, 10)],
  [133004, backoff(2 * seconds, 5 * minutes, 10)],
  [131057, backoff(1 * minutes, 2 * minutes, 5)],
  [131000, backoff(2 * seconds, 1 * minutes, 3)],
  [1, backoff(2 * seconds, 1 * minutes, 2)],
  [131056, { kind: 'later', maxAttempts: 6 }],
  [131050, { kind: 'fail', optOut: true }],
  // Token, permission, policy and account failures: no retry can help until someone acts.
  ...[190, 0, 3, 10, 131048, 131064, 131063, 131031, 368, 130497, 131042, 131045, 133010].map((code): [number, ErrorAction] => [code, { kind: 'pause' }]),
]);

const failPlain: ErrorAction = { kind: 'fail', optOut: false };

/** The action for a Cloud API error code; unknown codes fail the message (and are logged by the caller). */
export function classifyErrorCode(code: number): ErrorAction {
  if (code >= 200 && code <= 299) return { kind: 'pause' };
  return byCode.get(code) ?? failPlain;
}

/** 5xx answers without a Graph error body, and network errors before the request left. */
export const transientFailure: BackoffAction = backoff(1 * seconds, 5 * minutes, 10);

/** The wait before retry number `attempt` (1-based): base·2^(attempt-1), capped, ±25 % jitter. */
export function backoffDelayMs(action: BackoffAction, attempt: number, random = Math.random): number {
  const raw = Math.min(action.capMs, action.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.75 + random() * 0.5));
}

/** The pair rate limit's wait: 4^(attempt-1) seconds (1, 4, 16, …). */
export function pairLimitDelayMs(attempt: number): number {
  return 4 ** Math.max(0, attempt - 1) * seconds;
}
