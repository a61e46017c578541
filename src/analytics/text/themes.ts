import { eng } from "stopword";

// "What customers are saying": recurring two- and three-word phrases in free text (survey comments, customers'
// messages), counted once per text, in a period and the one before it, with the verbatims behind each. Pure.
//
// Phrases are found between stop words (the `stopword` package's English list plus support small talk), so "the
// delivery was late" yields "delivery late"; a phrase's key is its words, lightly singularised and sorted, so
// "late delivery", "delivery was late" and "deliveries late" count as one theme, shown in its most common wording.
// No stemmer is installed (natural, wink and snowball are not dependencies); the singulariser handles plurals only.

export type ThemeDocument = {
  /** The caller's id for the verbatim (e.g. "message:12"). */
  id: string;
  text: string;
  at: Date;
};

export type ThemeExample = { id: string; text: string; at: Date };

export type Theme = {
  phrase: string;
  count: number;
  previousCount: number;
  trend: "new" | "rising" | "steady" | "falling";
  examples: ThemeExample[];
};

export type ThemeOptions = {
  /** Texts a phrase must appear in, this period, to be a theme. */
  minCount?: number;
  limit?: number;
  examplesPerTheme?: number;
};

const supportWords = [
  "hi",
  "hello",
  "hey",
  "thanks",
  "thank",
  "please",
  "regards",
  "kind",
  "best",
  "dear",
  "team",
  "just",
  "also",
  "really",
  "still",
  "get",
  "got",
  "one",
  "can",
  "could",
  "would",
  "will",
  "im",
  "ive",
  "dont",
  "didnt",
  "cant",
  "wont",
  "isnt",
  "wasnt",
  "doesnt",
  "its",
  "thats",
  "youre",
  "youve",
  "id",
  "ill",
  "yes",
  "ok",
  "okay",
  "much",
  "lot",
  "bit",
  "back",
  "again",
];
const stopWords = new Set<string>([...eng, ...supportWords]);

/** "deliveries" → "delivery", "boxes" → "box", "items" → "item"; leaves "address", "status", "this" alone. */
export function singular(word: string): string {
  if (word.length <= 3 || /(ss|us|is|ous)$/.test(word)) return word;
  if (/ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/(sh|ch|x|z)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith("s")) return word.slice(0, -1);
  return word;
}

/** A phrase in a text: its key, its wording there, and whether its words stood together (no stop word between). */
type Occurrence = { key: string; surface: string; contiguous: boolean };

/** The phrases of one text: runs of 2-3 content words inside a sentence, each key once. */
export function phrasesOf(text: string): Occurrence[] {
  const found = new Map<string, { surface: string; contiguous: boolean }>();
  for (const sentence of text.toLowerCase().split(/[.!?;:\n\r()"]+|,\s/)) {
    const all = sentence.replace(/['’]/g, "").match(/\p{L}[\p{L}\p{N}-]*/gu) ?? [];
    const words = all
      .map((word, position) => ({ word, position }))
      .filter(({ word }) => word.length > 1 && !stopWords.has(word));
    for (let i = 0; i < words.length; i++) {
      for (const size of [2, 3]) {
        const parts = words.slice(i, i + size);
        if (parts.length < size) continue;
        const key = parts
          .map((p) => singular(p.word))
          .sort()
          .join(" ");
        const contiguous = parts[size - 1].position - parts[0].position === size - 1;
        const known = found.get(key);
        if (!known || (contiguous && !known.contiguous))
          found.set(key, { surface: parts.map((p) => p.word).join(" "), contiguous });
      }
    }
  }
  return [...found].map(([key, { surface, contiguous }]) => ({ key, surface, contiguous }));
}

function trendOf(count: number, previous: number): Theme["trend"] {
  if (previous === 0) return "new";
  if (count >= previous * 1.5 && count - previous >= 2) return "rising";
  if (count * 1.5 <= previous && previous - count >= 2) return "falling";
  return "steady";
}

/** The sentence of a text that holds a theme's words, shortened around them. */
function excerpt(text: string, phraseWords: string[]): string {
  const clean = text.replace(/\s+/g, " ").trim();
  const sentences = clean.split(/(?<=[.!?])\s+/);
  const hit =
    sentences.find((s) => {
      const lower = s.toLowerCase();
      return phraseWords.every((w) => lower.includes(w.slice(0, Math.max(3, w.length - 1))));
    }) ?? clean;
  return hit.length > 240 ? `${hit.slice(0, 237)}…` : hit;
}

/**
 * Themes of `current` (this period) with their counts in `previous` (the period before), most frequent first.
 * A longer phrase replaces a shorter one inside it when it accounts for most of the shorter one's texts.
 */
export function findThemes(
  current: ThemeDocument[],
  previous: ThemeDocument[],
  options: ThemeOptions = {},
): Theme[] {
  const minCount = options.minCount ?? 2;
  const limit = options.limit ?? 20;
  const examplesPerTheme = options.examplesPerTheme ?? 3;

  const docsByKey = new Map<string, ThemeDocument[]>();
  const surfaces = new Map<string, Map<string, number>>();
  for (const doc of current) {
    for (const { key, surface, contiguous } of phrasesOf(doc.text)) {
      const docs = docsByKey.get(key) ?? [];
      docs.push(doc);
      docsByKey.set(key, docs);
      // A wording whose words stood together ("late delivery") counts double against "delivery was late".
      const forms = surfaces.get(key) ?? new Map<string, number>();
      forms.set(surface, (forms.get(surface) ?? 0) + (contiguous ? 2 : 1));
      surfaces.set(key, forms);
    }
  }
  const previousCounts = new Map<string, number>();
  for (const doc of previous) {
    for (const { key } of phrasesOf(doc.text)) previousCounts.set(key, (previousCounts.get(key) ?? 0) + 1);
  }

  const candidates = [...docsByKey].filter(([, docs]) => docs.length >= minCount);
  const counts = new Map(candidates.map(([key, docs]) => [key, docs.length]));
  const subsumed = new Set<string>();
  for (const [key, docs] of candidates) {
    const words = key.split(" ");
    if (words.length !== 3) continue;
    for (let skip = 0; skip < 3; skip++) {
      const shorter = words.filter((_, i) => i !== skip).join(" ");
      const shorterCount = counts.get(shorter);
      if (shorterCount !== undefined && docs.length >= shorterCount * 0.8) subsumed.add(shorter);
    }
  }
  // A three-word phrase that did not replace its parts only repeats them.
  for (const [key, docs] of candidates) {
    const words = key.split(" ");
    if (words.length !== 3) continue;
    const parts = [0, 1, 2].map((skip) => words.filter((_, i) => i !== skip).join(" "));
    if (
      !parts.some((part) => subsumed.has(part)) &&
      parts.some((part) => (counts.get(part) ?? 0) >= docs.length)
    )
      subsumed.add(key);
  }

  return candidates
    .filter(([key]) => !subsumed.has(key))
    .map(([key, docs]): Theme => {
      // The most common wording; on a tie, the singular one ("late delivery" over "late deliveries").
      const isSingular = (form: string) => (form.split(" ").every((w) => singular(w) === w) ? 1 : 0);
      const forms = [...(surfaces.get(key) ?? new Map<string, number>())].sort(
        (a, b) => b[1] - a[1] || isSingular(b[0]) - isSingular(a[0]) || a[0].localeCompare(b[0]),
      );
      const phrase = forms[0]?.[0] ?? key;
      const previousCount = previousCounts.get(key) ?? 0;
      const newest = [...docs].sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, examplesPerTheme);
      return {
        phrase,
        count: docs.length,
        previousCount,
        trend: trendOf(docs.length, previousCount),
        examples: newest.map((doc) => ({
          id: doc.id,
          text: excerpt(doc.text, phrase.split(" ")),
          at: doc.at,
        })),
      };
    })
    .sort(
      (a, b) =>
        b.count - a.count ||
        b.count - b.previousCount - (a.count - a.previousCount) ||
        a.phrase.localeCompare(b.phrase),
    )
    .slice(0, limit);
}
