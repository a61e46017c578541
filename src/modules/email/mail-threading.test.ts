import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildReplySubject, extractTicketTags, isReplySubject, normalizeSubject } from "./mail-subject.ts";
import {
  chooseThread,
  classifyAutomatedMail,
  extractBouncedMessageIds,
  extractForwardedSender,
  isUnrelatedSubject,
  parseMessageIds,
  threadIndexConversation,
} from "./mail-threading.ts";
import { nextRetryAt } from "./outbound-worker.ts";
import { buildReferences, buildReplyAddress, maxReferences, parseReplyAddress } from "./reply-address.ts";

const prefixes = [
  "Re:",
  "RE:",
  "re :",
  "Fwd:",
  "FW:",
  "Fw:",
  "AW:",
  "WG:",
  "SV:",
  "VS:",
  "Antw:",
  "Odp:",
  "Re[2]:",
  "[#123]",
];

describe("subject normalisation", () => {
  it("strips any stack of reply/forward prefixes and ticket tags, in any case", () => {
    const base = fc
      .string({ minLength: 1, maxLength: 40 })
      .map((s) => s.replace(/[[\]:：]/g, "x").trim())
      .filter((s) => s.length > 0 && normalizeSubject(s) === s.replace(/\s+/g, " "));
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...prefixes), { maxLength: 5 }), base, (stack, subject) => {
        expect(normalizeSubject(`${stack.join(" ")} ${subject}`)).toBe(subject.replace(/\s+/g, " "));
      }),
    );
  });

  it("is idempotent", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(normalizeSubject(normalizeSubject(s))).toBe(normalizeSubject(s));
      }),
    );
  });

  it("keeps words that merely start like a prefix", () => {
    expect(normalizeSubject("Refund please")).toBe("Refund please");
    expect(normalizeSubject("Trouble with order")).toBe("Trouble with order");
    expect(normalizeSubject("Svensk kaffe")).toBe("Svensk kaffe");
  });

  it("reads ticket tags and builds the reply subject Tend sends", () => {
    expect(extractTicketTags("RE: [#12] Order late [#7]")).toEqual([12, 7]);
    expect(buildReplySubject("Re: AW: Order late [#12]", 12)).toBe("Re: Order late [#12]");
    expect(isReplySubject("AW: Bestellung")).toBe(true);
    expect(isReplySubject("Fwd: Bestellung")).toBe(false);
  });
});

describe("new topic sent as a reply", () => {
  it("splits only an unmarked, non-empty subject that shares nothing with the thread", () => {
    expect(isUnrelatedSubject("Change my billing address", 5, ["Order 1042 arrived damaged"])).toBe(true);
    expect(isUnrelatedSubject("Re: Change my billing address", 5, ["Order 1042"])).toBe(false);
    expect(
      isUnrelatedSubject("Order 1042 arrived damaged - still waiting", 5, ["Order 1042 arrived damaged"]),
    ).toBe(false);
    expect(isUnrelatedSubject("FWD: order 1042 ARRIVED damaged", 5, ["Order 1042 arrived damaged"])).toBe(
      false,
    );
    expect(isUnrelatedSubject("", 5, ["Order"])).toBe(false);
    expect(isUnrelatedSubject("Another thing [#5]", 5, ["Order"])).toBe(false);
  });

  it("chooses the first acceptable candidate and remembers what it split from", () => {
    expect(
      chooseThread("New question", [{ ticketId: 1, via: "in-reply-to", knownSubjects: ["Old topic"] }]),
    ).toEqual({ ticketId: null, splitFromTicketId: 1 });
    expect(
      chooseThread("Re: Old topic", [
        { ticketId: 1, via: "in-reply-to", knownSubjects: ["Old topic"] },
        { ticketId: 2, via: "references", knownSubjects: ["Old topic"] },
      ]),
    ).toEqual({ ticketId: 1, via: "in-reply-to" });
  });
});

describe("machine mail", () => {
  const base = { fromAddress: "ana@example.com", envelopeFrom: "ana@example.com" };
  it.each([
    [{ "auto-submitted": "auto-replied" }, "auto-reply"],
    [{ "auto-submitted": "no" }, null],
    [{ "x-autoreply": "yes" }, "auto-reply"],
    [{ "x-autorespond": "" }, "auto-reply"],
    [{ precedence: "bulk" }, "bulk"],
    [{ precedence: "junk" }, "bulk"],
    [{ precedence: "list" }, null],
    [{ precedence: "auto_reply" }, "auto-reply"],
    [{ "content-type": 'multipart/report; report-type="delivery-status"; boundary=x' }, "bounce"],
    [{}, null],
  ] as const)("%j → %s", (headers, kind) => {
    expect(classifyAutomatedMail({ ...base, headers })).toBe(kind);
  });

  it("treats MAILER-DAEMON, postmaster and the null sender as machines", () => {
    expect(
      classifyAutomatedMail({ headers: {}, fromAddress: "MAILER-DAEMON@mx.example", envelopeFrom: "x@y" }),
    ).toBe("bounce");
    expect(
      classifyAutomatedMail({ headers: {}, fromAddress: "postmaster@mx.example", envelopeFrom: undefined }),
    ).toBe("bounce");
    expect(classifyAutomatedMail({ headers: {}, fromAddress: "ana@example.com", envelopeFrom: "" })).toBe(
      "auto-reply",
    );
  });

  it("finds the returned Message-ID in a bounce, not the bounce's own", () => {
    const body =
      "Message-ID: <own@mx>\r\n\r\n--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID:\r\n <tend.t1.ab@tend.test>\r\n";
    expect(extractBouncedMessageIds(body, "own@mx")).toEqual(["tend.t1.ab@tend.test"]);
  });
});

describe("headers", () => {
  it("parses Message-IDs with or without brackets", () => {
    expect(parseMessageIds("<a@b> <c@d>")).toEqual(["a@b", "c@d"]);
    expect(parseMessageIds("a@b, c@d")).toEqual(["a@b", "c@d"]);
    expect(parseMessageIds("garbage")).toEqual([]);
  });

  it("reads the Outlook conversation from any Thread-Index of the same thread", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 22, maxLength: 22 }),
        fc.integer({ min: 0, max: 4 }),
        (header, replies) => {
          fc.pre(header.some((b) => b !== 0));
          const head = Buffer.from(header);
          const child = Buffer.concat([head, Buffer.alloc(replies * 5, 7)]);
          expect(threadIndexConversation(child.toString("base64"))).toBe(head.toString("hex"));
        },
      ),
    );
    expect(threadIndexConversation("not base64!")).toBeNull();
    expect(threadIndexConversation(Buffer.alloc(10).toString("base64"))).toBeNull();
  });

  it("finds the original sender of an inline forward", () => {
    expect(
      extractForwardedSender(
        "FYI\n\n---------- Forwarded message ---------\nFrom: Dana Okafor <dana@example.org>\nDate: x",
      ),
    ).toEqual({ name: "Dana Okafor", address: "dana@example.org" });
    expect(
      extractForwardedSender('Begin forwarded message:\n\n> From: "Lee, Kim" <Kim@Example.com>'),
    ).toEqual({
      name: "Lee, Kim",
      address: "kim@example.com",
    });
    expect(
      extractForwardedSender(
        "________________________________\nFrom: Bo Svensson [mailto:bo@contoso.example]\nSent: x",
      ),
    ).toEqual({ name: "Bo Svensson", address: "bo@contoso.example" });
    expect(extractForwardedSender("From: someone@example.com wrote a letter")).toBeNull();
  });
});

describe("reply address and references", () => {
  it("round-trips any ticket id and token, and refuses other domains", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 999_999_999 }),
        fc.base64String({ minLength: 8, maxLength: 16 }),
        (id, b64) => {
          const token = b64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=/g, "") || "abcd";
          fc.pre(token.length >= 4);
          const address = buildReplyAddress({ id, replyToken: token }, "Tend.Test");
          expect(parseReplyAddress(address, "tend.test")).toEqual({ ticketId: id, token });
          expect(parseReplyAddress(address, "other.test")).toBeNull();
        },
      ),
    );
  });

  it("caps References, keeping the thread root and the newest ids", () => {
    const refs = Array.from({ length: 50 }, (_, i) => `m${i}@x`);
    const out = buildReferences(refs, "parent@x");
    expect(out).toHaveLength(maxReferences);
    expect(out[0]).toBe("m0@x");
    expect(out.at(-1)).toBe("parent@x");
  });
});

describe("outbound retry schedule", () => {
  const now = new Date("2026-01-05T09:00:00Z");
  it("backs off 1, 5, 30, 120, 360 minutes, then gives up; a 5xx refusal gives up at once", () => {
    const minutes = [1, 2, 3, 4, 5].map(
      (n) => (nextRetryAt(now, n, 451)!.getTime() - now.getTime()) / 60_000,
    );
    expect(minutes).toEqual([1, 5, 30, 120, 360]);
    expect(nextRetryAt(now, 6, 451)).toBeNull();
    expect(nextRetryAt(now, 1, 550)).toBeNull();
    expect(nextRetryAt(now, 1, undefined)?.getTime()).toBe(now.getTime() + 60_000);
  });
});
