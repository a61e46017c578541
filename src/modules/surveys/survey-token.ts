import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

// The links in survey mails: `<send id in base 36>.<MAC>`, where the MAC is HMAC-SHA256 under the installation's
// survey secret over the purpose and the send id. No login and no look-up table: a link opens exactly its send.

/** What a link may do: answer its send, or unsubscribe the send's customer from that kind of mail. */
export type SurveyLinkPurpose = "respond" | "unsubscribe";

const purposeCodes: Record<SurveyLinkPurpose, string> = { respond: "r", unsubscribe: "u" };
/** 27 base64url characters: 162 bits of the MAC, far beyond guessing, short enough for a tidy link. */
const macLength = 27;
const tokenPattern = /^([1-9a-z][0-9a-z]{0,6})\.([A-Za-z0-9_-]{27})$/;
const maxSendId = 2_147_483_647;

/** A fresh secret for an installation: 256 random bits. */
export function generateSurveySecret(): string {
  return randomBytes(32).toString("base64url");
}

function computeMac(secret: string, purpose: SurveyLinkPurpose, sendId: number): string {
  return createHmac("sha256", secret)
    .update(`tend-survey:${purposeCodes[purpose]}:${sendId}`, "utf8")
    .digest("base64url")
    .slice(0, macLength);
}

export function signSurveyToken(secret: string, purpose: SurveyLinkPurpose, sendId: number): string {
  if (!Number.isSafeInteger(sendId) || sendId < 1 || sendId > maxSendId) {
    throw new RangeError(`send id must be a positive 32-bit integer, got ${sendId}`);
  }
  return `${sendId.toString(36)}.${computeMac(secret, purpose, sendId)}`;
}

/**
 * The send id a token names when its MAC is right for this purpose, else null (malformed, forged, or a link of the
 * other purpose). The MAC is compared in constant time.
 */
export function verifySurveyToken(secret: string, purpose: SurveyLinkPurpose, token: string): number | null {
  const match = tokenPattern.exec(token);
  if (!match) return null;
  const sendId = Number.parseInt(match[1], 36);
  if (!Number.isSafeInteger(sendId) || sendId < 1 || sendId > maxSendId) return null;
  const expected = Buffer.from(computeMac(secret, purpose, sendId), "utf8");
  const given = Buffer.from(match[2], "utf8");
  return expected.length === given.length && timingSafeEqual(expected, given) ? sendId : null;
}
