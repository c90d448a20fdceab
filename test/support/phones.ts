/** Distinct, well-formed E.164 numbers for tests (US numbers of the right length). */
let counter = 0;

export function uniquePhone(): string {
  counter += 1;
  return `+1415${2_000_000 + counter}`;
}
