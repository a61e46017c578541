import { decodeCursor, encodeCursor } from "../../http/api-common.schemas.ts";
import type { Keyset } from "./tickets.repo.ts";

// The inbox list's cursor: the shared (microseconds, id) keyset, plus the frustration rank in the open views'
// "frustrated first" order, where a page boundary needs all three. Base64url JSON, opaque to clients.

export function encodeInboxCursor(keyset: Keyset): string {
  if (keyset.rank === undefined) return encodeCursor(keyset.atMicros, keyset.id);
  return Buffer.from(JSON.stringify([keyset.atMicros, keyset.id, keyset.rank])).toString("base64url");
}

export function decodeInboxCursor(cursor: string): Keyset | null {
  const plain = decodeCursor(cursor);
  if (plain) return plain;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 3) return null;
    const [atMicros, id, rank] = value;
    const keyset = decodeCursor(encodeCursor(atMicros, id));
    if (!keyset || (rank !== 0 && rank !== 1 && rank !== 2)) return null;
    return { ...keyset, rank };
  } catch {
    return null;
  }
}
