/**
 * The connection check made before a channel is stored: `GET {apiUrl}/{phone_number_id}
 * ?fields=display_phone_number,verified_name` with the channel's token. Meta answers with the
 * number when the token may use it; anything else means the channel could not send.
 */
export type PhoneNumberCheck =
  | { readonly ok: true; readonly displayPhoneNumber: string | null; readonly verifiedName: string | null }
  | { readonly ok: false; readonly reason: string };

const timeoutMs = 10_000;

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** Asks Meta about the number; never throws. */
export async function checkPhoneNumber(apiUrl: string, phoneNumberId: string, accessToken: string): Promise<PhoneNumberCheck> {
  const url = `${apiUrl.replace(/\/+$/, '')}/${encodeURIComponent(phoneNumberId)}?fields=display_phone_number,verified_name`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { authorization: `Bearer ${accessToken}`, 'user-agent': 'FlowChat' }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    return { ok: false, reason: `The Cloud API could not be reached: ${error instanceof Error ? error.message : String(error)}` };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const json = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const error = json['error'] !== null && typeof json['error'] === 'object' ? (json['error'] as Record<string, unknown>) : undefined;
  if (!response.ok || error) {
    const message = text(error?.['message']) ?? `HTTP ${response.status}`;
    return { ok: false, reason: `Meta refused the access token for this number: ${message}` };
  }
  return { ok: true, displayPhoneNumber: text(json['display_phone_number']), verifiedName: text(json['verified_name']) };
}
