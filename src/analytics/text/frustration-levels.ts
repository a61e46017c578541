// The frustration levels a 0..1 score falls into, apart from the scorer so the database schema can use them (the
// inbox index orders by the same levels) without loading the sentiment lexicon. Pure.

/** At or above `flag` a message or ticket counts as frustrated (level high); at or above `mild`, annoyed. */
export const frustrationThresholds = { flag: 0.5, mild: 0.3 } as const;

/** A ticket's place in the "frustrated first" inbox order: 2 high, 1 mild, 0 calm or never scored. */
export function frustrationRank(score: number | null): 0 | 1 | 2 {
  if (score === null) return 0;
  if (score >= frustrationThresholds.flag) return 2;
  return score >= frustrationThresholds.mild ? 1 : 0;
}
