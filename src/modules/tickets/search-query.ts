// What an agent types, turned into text for PostgreSQL's websearch_to_tsquery: "quoted phrases", -exclusions and
// `or` pass through; only the forms the text-search parser would split badly are rewritten. Pure, so it is tested
// without a database.

export type ParsedSearchQuery = {
  /** websearch_to_tsquery input for everything but the prefix word. */
  text: string;
  /** The last word as typed, matched as a prefix too (lowercased), or null. */
  prefix: string | null;
};

/** Shortest last word matched as a prefix: "re" would match a large part of the dictionary. */
export const minPrefixLength = 3;

// Letters, a dash, digits: an order number such as TW-31574. The columns index it as "TW 31574" (see schema.ts),
// so the query asks for the phrase "TW 31574", and a search for 31574 alone finds it too.
const orderNumberPattern = /[\p{L}\p{N}]*\p{L}-\p{N}[\p{L}\p{N}-]*/gu;
const letterDashDigit = /(\p{L})-(\p{N})/gu;
// A phone number written with spaces, dots, dashes or brackets: eight or more digits.
const phonePattern = /(?<![\p{L}\p{N}+])(?:\+|00)?\d[\d ().-]{6,}\d(?![\p{L}\p{N}])/gu;

function rewriteUnquoted(segment: string): string {
  return segment.replace(new RegExp(`${phonePattern.source}|${orderNumberPattern.source}`, "gu"), (match) => {
    if (/^[\d+(]/.test(match)) {
      const digits = match.replace(/\D/g, "");
      if (digits.length < 8) return match;
      // Customer identities index a number's last nine digits (schema.ts), so a number typed in national form finds
      // the stored international one; the phrase as typed still finds it in message bodies.
      return `${digits.slice(-9)} or "${match}"`;
    }
    return `"${match.replace(letterDashDigit, "$1 $2")}"`;
  });
}

/**
 * Normalises a search box query. Control characters (a NUL would make PostgreSQL fail) become spaces; with
 * `prefix`, a last word of three or more letters or digits, still being typed (no space after it, not in quotes,
 * not excluded, not after `or`), is also matched as the start of a word.
 */
export function parseSearchQuery(raw: string, options: { prefix: boolean }): ParsedSearchQuery {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const cleaned = raw.replace(/[\u0000-\u001f\u007f]/g, " ");
  const endsInWord = /[\p{L}\p{N}]$/u.test(cleaned);
  const segments = cleaned.split('"');
  // Even indexes are outside quotes; an unclosed quote leaves its tail inside, as websearch_to_tsquery reads it.
  const rewritten = segments.map((segment, index) =>
    index % 2 === 0 ? rewriteUnquoted(segment) : segment.replace(letterDashDigit, "$1 $2"),
  );
  let text = rewritten.join('"').replace(/\s+/g, " ").trim();
  let prefix: string | null = null;
  const outsideQuotes = segments.length % 2 === 1;
  if (options.prefix && endsInWord && outsideQuotes) {
    const last = /(^|[\s(])([\p{L}\p{N}]+)$/u.exec(text);
    if (last && last[2].length >= minPrefixLength) {
      const before = text.slice(0, last.index + last[1].length).trim();
      if (!/(^|\s)or$/i.test(before)) {
        prefix = last[2].toLowerCase();
        text = before;
      }
    }
  }
  return { text, prefix };
}
