import { html, type SafeHtml } from "./survey-html.ts";
import { primaryScale, type SurveyQuestion, scaleLabels } from "./survey-questions.ts";

// The survey mail: the headline question rated right in the mail (each point a link to the response page with that
// score chosen), a link to the full survey, and an unsubscribe line. Plain text and HTML with inline styles only.

export type SurveyMailInput = {
  kind: "csat" | "ces" | "nps" | "check_in" | "custom";
  questions: readonly SurveyQuestion[];
  businessName: string;
  recipientName: string | null;
  /** What the mail is about, e.g. the ticket's subject; shown under the greeting. */
  about: string | null;
  responseUrl: string;
  unsubscribeUrl: string;
  /** "surveys" or "follow-ups", for the unsubscribe line. */
  purposeLabel: string;
  windowDays: number;
};

export type SurveyMail = { text: string; html: string };

const introByKind: Record<SurveyMailInput["kind"], (about: string | null) => string> = {
  csat: (about) => `We recently helped you${about ? ` with “${about}”` : ""}. We'd love to know how it went.`,
  ces: (about) => `We recently helped you${about ? ` with “${about}”` : ""}. We'd love to know how it went.`,
  nps: () => "You've been with us for a while, and your opinion shapes what we do next.",
  check_in: (about) => `Your order${about ? ` ${about}` : ""} should be with you by now.`,
  custom: () => "We'd be grateful for a minute of your time.",
};

function firstName(name: string | null): string | null {
  const first = name?.trim().split(/\s+/)[0];
  return first || null;
}

export function buildSurveyMail(input: SurveyMailInput): SurveyMail {
  const greeting = firstName(input.recipientName) ? `Hi ${firstName(input.recipientName)},` : "Hello,";
  const intro = introByKind[input.kind](input.about);
  const primary = primaryScale(input.questions);
  const points = primary ? scaleLabels(primary) : [];
  const link = (score: number) => `${input.responseUrl}?score=${score}`;
  const footer = `You're receiving this because you're a customer of ${input.businessName}. You can answer for ${input.windowDays} days.`;
  const unsubscribe = `Don't want ${input.purposeLabel} from us? Unsubscribe: ${input.unsubscribeUrl}`;

  const textLines = [greeting, "", intro, ""];
  if (primary) {
    textLines.push(primary.prompt, "");
    for (const point of points) textLines.push(`  ${point.label}: ${link(point.value)}`);
    textLines.push("", `Or open the survey: ${input.responseUrl}`);
  } else {
    textLines.push(`Answer the survey here: ${input.responseUrl}`);
  }
  textLines.push("", `Thank you,`, input.businessName, "", "--", footer, unsubscribe, "");

  const button = (href: string, label: SafeHtml | string, wide: boolean) =>
    html`<a href="${href}" style="display:inline-block;min-width:${wide ? "140px" : "44px"};padding:12px 10px;margin:4px;border:1px solid #1d4ed8;border-radius:8px;color:#1d4ed8;text-decoration:none;font-size:${wide ? "16px" : "18px"};text-align:center;font-weight:600">${label}</a>`;
  let rating: SafeHtml = html``;
  if (primary) {
    const cells = points.map((point) => {
      if (primary.type === "csat") {
        return button(
          link(point.value),
          html`<span style="font-size:28px;line-height:1" aria-hidden="true">${point.symbol}</span><br><span style="font-size:12px;font-weight:400">${point.label}</span>`,
          false,
        );
      }
      return button(
        link(point.value),
        primary.type === "yes_no" ? point.label : point.symbol,
        primary.type === "yes_no",
      );
    });
    const ends =
      primary.type === "nps" || primary.type === "ces"
        ? html`<p style="margin:4px 0 0;font-size:13px;color:#4b5563">${points[0].label.replace(/^\d+ – /, "")} … ${points[points.length - 1].label.replace(/^\d+ – /, "")}</p>`
        : html``;
    rating = html`<p style="margin:24px 0 8px;font-size:17px;font-weight:600">${primary.prompt}</p><div>${cells}</div>${ends}<p style="margin:16px 0 0;font-size:14px"><a href="${input.responseUrl}" style="color:#1d4ed8">Open the survey</a></p>`;
  } else {
    rating = html`<p style="margin:24px 0">${button(input.responseUrl, "Answer the survey", true)}</p>`;
  }
  const body = html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${input.businessName}</title></head><body style="margin:0;padding:0;background:#f3f4f6"><div style="max-width:560px;margin:0 auto;padding:24px 16px;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#111827;background:#ffffff"><p style="margin:0 0 12px;font-size:16px">${greeting}</p><p style="margin:0;font-size:16px;line-height:1.5">${intro}</p>${rating}<p style="margin:24px 0 0;font-size:16px">Thank you,<br>${input.businessName}</p><hr style="margin:24px 0 12px;border:0;border-top:1px solid #e5e7eb"><p style="margin:0;font-size:12px;color:#4b5563;line-height:1.5">${footer}<br>Don't want ${input.purposeLabel} from us? <a href="${input.unsubscribeUrl}" style="color:#4b5563">Unsubscribe</a>.</p></div></body></html>`;
  return { text: textLines.join("\n"), html: body.value };
}

/** The subject when the send did not fix one. */
export function defaultSurveySubject(kind: SurveyMailInput["kind"], businessName: string): string {
  switch (kind) {
    case "csat":
    case "ces":
      return "How did we do?";
    case "nps":
      return `A quick question from ${businessName}`;
    case "check_in":
      return "Is everything as expected with your order?";
    case "custom":
      return `A few questions from ${businessName}`;
  }
}
