// The cursor of a ranked search page: base64url JSON, opaque to clients like the inbox's keyset cursor, and told
// apart from it by its first element.

export type DecodedSearchCursor = {
  score: number;
  ticketId: number;
  anchorMs: number;
  maxMessageId: number;
  maxTicketId: number;
  fingerprint: string;
};

const tag = "s";

export function encodeSearchCursor(cursor: DecodedSearchCursor): string {
  const value = [
    tag,
    cursor.score,
    cursor.ticketId,
    cursor.anchorMs,
    cursor.maxMessageId,
    cursor.maxTicketId,
    cursor.fingerprint,
  ];
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

const isId = (value: unknown): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 2_147_483_647;

export function decodeSearchCursor(cursor: string): DecodedSearchCursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 7 || value[0] !== tag) return null;
    const [, score, ticketId, anchorMs, maxMessageId, maxTicketId, fingerprint] = value;
    if (typeof score !== "number" || !Number.isFinite(score)) return null;
    if (!isId(ticketId) || !isId(maxMessageId) || !isId(maxTicketId)) return null;
    if (typeof anchorMs !== "number" || !Number.isSafeInteger(anchorMs)) return null;
    if (typeof fingerprint !== "string" || !/^[\w-]{1,32}$/.test(fingerprint)) return null;
    return { score, ticketId, anchorMs, maxMessageId, maxTicketId, fingerprint };
  } catch {
    return null;
  }
}
