/**
 * Rounds: items that may be applied together unless two share a key, split so that no round holds
 * a key twice. An item whose key came k times before goes in round k (0-based), items keep their
 * order within a round, and items without a key go in the first.
 */
export function inRounds<T>(items: readonly T[], keyOf: (item: T) => string | undefined): T[][] {
  const rounds: T[][] = [[]];
  const seen = new Map<string, number>();
  for (const item of items) {
    const key = keyOf(item);
    const round = key === undefined ? 0 : (seen.get(key) ?? 0);
    if (key !== undefined) seen.set(key, round + 1);
    (rounds[round] ??= []).push(item);
  }
  return rounds;
}
