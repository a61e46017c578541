import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateSurveySecret, signSurveyToken, verifySurveyToken } from "./survey-token.ts";

const secret = "test-secret-0123456789";
const sendIds = fc.integer({ min: 1, max: 2_147_483_647 });

describe("survey link tokens", () => {
  it("open the send they were signed for, for that purpose only", () => {
    fc.assert(
      fc.property(sendIds, (sendId) => {
        const token = signSurveyToken(secret, "respond", sendId);
        expect(verifySurveyToken(secret, "respond", token)).toBe(sendId);
        expect(verifySurveyToken(secret, "unsubscribe", token)).toBeNull();
        expect(verifySurveyToken("another secret", "respond", token)).toBeNull();
      }),
    );
  });

  it("refuse any changed character", () => {
    fc.assert(
      fc.property(sendIds, fc.nat(), fc.constantFrom(..."0123456789abcdefXYZ_-."), (sendId, at, ch) => {
        const token = signSurveyToken(secret, "respond", sendId);
        const index = at % token.length;
        fc.pre(token[index] !== ch);
        const forged = token.slice(0, index) + ch + token.slice(index + 1);
        expect(verifySurveyToken(secret, "respond", forged)).toBeNull();
      }),
    );
  });

  it("refuse another send's MAC and malformed tokens", () => {
    const a = signSurveyToken(secret, "respond", 41);
    const b = signSurveyToken(secret, "respond", 42);
    expect(verifySurveyToken(secret, "respond", `${a.split(".")[0]}.${b.split(".")[1]}`)).toBeNull();
    for (const bad of [
      "",
      ".",
      "15",
      "0.abc",
      `0${a}`,
      `${a}x`,
      `${a} `,
      "zzzzzzzz.aaaaaaaaaaaaaaaaaaaaaaaaaaa",
    ]) {
      expect(verifySurveyToken(secret, "respond", bad)).toBeNull();
    }
  });

  it("are short enough for a tidy link, with a fresh secret each time", () => {
    expect(signSurveyToken(secret, "respond", 2_147_483_647).length).toBeLessThanOrEqual(35);
    expect(generateSurveySecret()).not.toBe(generateSurveySecret());
    expect(() => signSurveyToken(secret, "respond", 0)).toThrow(RangeError);
  });
});
