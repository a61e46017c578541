/**
 * Subject rules for threading. Reply and forward prefixes differ by mail client and language; a ticket tag
 * [#123] is Tend's own. Normalising strips all of them so "RE: AW: [#12] Order late" and "Order late" compare equal.
 */

// Reply: Re, German AW, Nordic SV/VS, Dutch Antw, Polish Odp, Turkish YNT, Portuguese RES, Italian RIF, Chinese 回复/回覆/答复.
// Forward: Fwd/Fw, German WG, Dutch Doorst, French TR, Spanish RV, Portuguese ENC. One-letter Italian "R:"/"I:" are left
// alone: too many real subjects start with a letter and a colon.
const replyWords = "re|aw|sv|vs|antw|odp|ynt|res|rif|回复|回覆|答复";
const forwardWords = "fwd?|wg|doorst|tr|rv|enc";
const prefixPattern = new RegExp(
  `^\\s*(?:(?:${replyWords}|${forwardWords})(?:\\[\\d+\\]|\\(\\d+\\))?\\s*[:：]|\\[#\\d+\\])\\s*`,
  "i",
);
const replyPattern = new RegExp(
  `^\\s*(?:\\[#\\d+\\]\\s*)?(?:${replyWords})(?:\\[\\d+\\]|\\(\\d+\\))?\\s*[:：]`,
  "i",
);
const tagPattern = /\[#(\d{1,9})\]/g;

/** The subject without reply/forward prefixes, ticket tags, list tags at the start, and with collapsed spaces. */
export function normalizeSubject(subject: string | null | undefined): string {
  let s = (subject ?? "").replace(/\s+/g, " ").trim();
  for (;;) {
    const next = s.replace(prefixPattern, "");
    if (next === s) break;
    s = next;
  }
  return s.replace(tagPattern, " ").replace(/\s+/g, " ").trim();
}

/** Ticket ids named by [#123] tags in a subject, in order of appearance. */
export function extractTicketTags(subject: string | null | undefined): number[] {
  const ids: number[] = [];
  for (const match of (subject ?? "").matchAll(tagPattern)) ids.push(Number(match[1]));
  return ids;
}

/** True when the subject starts with a reply prefix (Re:, AW:, SV:, Antw: ...), not counting forwards. */
export function isReplySubject(subject: string | null | undefined): boolean {
  return replyPattern.test(subject ?? "");
}

/** The subject Tend sends on a reply: "Re: <subject> [#<id>]". */
export function buildReplySubject(ticketSubject: string, ticketId: number): string {
  const base = normalizeSubject(ticketSubject) || "(no subject)";
  return `Re: ${base} [#${ticketId}]`;
}

/** Case- and space-insensitive comparison key for normalised subjects. */
export function subjectKey(subject: string | null | undefined): string {
  return normalizeSubject(subject).toLowerCase().normalize("NFKC");
}
