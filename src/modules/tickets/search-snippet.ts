// Highlighted snippets from ts_headline, made safe to render as HTML. The database marks matches with characters
// from Unicode's private use area and cannot be confused with content: the text is stripped of them before
// ts_headline runs (searchHeadlineInput in the repo). Here the text is HTML-escaped first, then only the markers
// become <mark> and </mark>.

export const highlightStart = "\uE000";
export const highlightStop = "\uE001";
/** Stand-ins for "<" and "&" while ts_headline runs: its parser would drop what looks like a tag or an entity. */
export const lessThanStandIn = "\uE002";
export const ampersandStandIn = "\uE003";
/** Stand-in for the dash of an order number (TW-31574), which the parser must see as a separator. */
export const dashStandIn = "\uE004";
/** Every character the headline input is stripped of before the stand-ins go in. */
export const reservedCharacters = "\uE000\uE001\uE002\uE003\uE004";

const escapes: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** A ts_headline result as HTML: escaped text where only <mark>…</mark> is markup. */
export function headlineToHtml(headline: string): string {
  let open = false;
  let html = "";
  for (const char of headline.replace(/\s+/g, " ").trim()) {
    if (char === highlightStart) {
      if (!open) html += "<mark>";
      open = true;
    } else if (char === highlightStop) {
      if (open) html += "</mark>";
      open = false;
    } else if (char === lessThanStandIn) html += "&lt;";
    else if (char === ampersandStandIn) html += "&amp;";
    else if (char === dashStandIn) html += "-";
    else html += escapes[char] ?? char;
  }
  return open ? `${html}</mark>` : html;
}
