import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

// Secrets of the live chat: the visitor's conversation token and the business's signature on a visitor's email.

/** Recognisable prefix, so a leaked token is easy to find and never mistaken for an API token (tend_). */
export const visitorTokenPrefix = "tcv_";

/** A conversation's bearer secret: 256 random bits. Only its SHA-256 is stored (see chat_conversations). */
export function generateVisitorToken(): string {
  return `${visitorTokenPrefix}${randomBytes(32).toString("base64url")}`;
}

export function hashVisitorToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The random id a widget keeps across conversations (not a secret: it grants no access by itself). */
export function generateVisitorId(): string {
  return `v_${randomBytes(16).toString("base64url")}`;
}

/** A fresh identity secret for an installation: 256 random bits as hex, easy to paste into server config. */
export function generateIdentitySecret(): string {
  return randomBytes(32).toString("hex");
}

/** A public key for the embed snippet; it names the widget and can be rotated to disable old snippets. */
export function generateWidgetKey(): string {
  return `tw_${randomBytes(12).toString("base64url")}`;
}

/**
 * What the business's server computes for a logged-in visitor: hex(HMAC-SHA256(secret, email)), over the email
 * exactly as it is passed to the widget.
 */
export function signVisitorEmail(secret: string, email: string): string {
  return createHmac("sha256", secret).update(email, "utf8").digest("hex");
}

/** True when `signature` is the HMAC of `email` under `secret`; compared in constant time. */
export function isValidVisitorSignature(secret: string, email: string, signature: string): boolean {
  const expected = Buffer.from(signVisitorEmail(secret, email), "hex");
  const normalized = signature.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(normalized)) return false;
  return timingSafeEqual(expected, Buffer.from(normalized, "hex"));
}
