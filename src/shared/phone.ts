/**
 * Phone numbers to E.164 (`+14155550123`) with libphonenumber-js. A number written without `+`
 * is read as national in `defaultCountry` (FLOWCHAT_DEFAULT_COUNTRY), and refused without one.
 * "Possible" (the right length for its country) rather than "valid" (an assigned range): ranges
 * change faster than this library's metadata, and WhatsApp itself refuses numbers it cannot reach.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** The E.164 form of `input`, or undefined when it cannot be a phone number. */
export function toE164(input: string, defaultCountry?: string): string | undefined {
  const text = input.trim();
  if (text === '' || text.length > 64) return undefined;
  const parsed = parsePhoneNumberFromString(text, defaultCountry === undefined ? undefined : { defaultCountry: defaultCountry as CountryCode });
  if (!parsed || parsed.ext !== undefined || !parsed.isPossible()) return undefined;
  return parsed.number;
}
