import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  generateVisitorToken,
  hashVisitorToken,
  isValidVisitorSignature,
  signVisitorEmail,
} from "./chat-identity.ts";

describe("visitor identity signatures", () => {
  const secret = "4f1c0b7e9a2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e";

  it("is hex(HMAC-SHA256(secret, email)), as the business's server computes it", () => {
    const expected = createHmac("sha256", secret).update("jo@example.com").digest("hex");
    expect(signVisitorEmail(secret, "jo@example.com")).toBe(expected);
    expect(isValidVisitorSignature(secret, "jo@example.com", expected)).toBe(true);
    expect(isValidVisitorSignature(secret, "jo@example.com", expected.toUpperCase())).toBe(true);
  });

  it("refuses another email, another secret, truncated or non-hex signatures", () => {
    const good = signVisitorEmail(secret, "jo@example.com");
    expect(isValidVisitorSignature(secret, "JO@example.com", good)).toBe(false);
    expect(isValidVisitorSignature(`${secret}x`, "jo@example.com", good)).toBe(false);
    expect(isValidVisitorSignature(secret, "jo@example.com", good.slice(0, 63))).toBe(false);
    expect(isValidVisitorSignature(secret, "jo@example.com", `${good.slice(0, 63)}g`)).toBe(false);
    expect(isValidVisitorSignature(secret, "jo@example.com", "")).toBe(false);
  });

  it("accepts a signature only for the email it was made for", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const signature = signVisitorEmail(secret, a);
        expect(isValidVisitorSignature(secret, b, signature)).toBe(a === b);
      }),
    );
  });

  it("makes tokens of 256 random bits and stores only their SHA-256", () => {
    const token = generateVisitorToken();
    expect(token).toMatch(/^tcv_[A-Za-z0-9_-]{43}$/);
    expect(generateVisitorToken()).not.toBe(token);
    expect(hashVisitorToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashVisitorToken(token)).not.toContain(token.slice(4));
  });
});
