/**
 * Keyword conditions: a message matches a keyword `exact`ly (the whole message) or when it
 * `contains` it as whole words, with case, accents and spacing ignored.
 */

/** Lower case, accents removed, words of letters and digits only. */
export function words(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((part) => part !== '');
}

/** Whether `text` matches any of `keywords` in `mode`. */
export function matchesKeywords(text: string, keywords: readonly string[], mode: 'exact' | 'contains'): boolean {
  const message = words(text);
  if (message.length === 0) return false;
  return keywords.some((keyword) => {
    const wanted = words(keyword);
    if (wanted.length === 0) return false;
    if (mode === 'exact') return wanted.length === message.length && wanted.every((part, index) => message[index] === part);
    for (let start = 0; start + wanted.length <= message.length; start += 1) {
      if (wanted.every((part, index) => message[start + index] === part)) return true;
    }
    return false;
  });
}
