import { createHash } from "node:crypto";
import { html, SafeHtml } from "./survey-html.ts";
import {
  type AnswerProblem,
  isScaleQuestion,
  type SurveyAnswers,
  type SurveyQuestion,
  scaleLabels,
} from "./survey-questions.ts";

// The public pages behind survey links, rendered on the server: no script, one hashed inline stylesheet (so the CSP
// needs no 'unsafe-inline'), native form controls with labels and fieldsets, big tap targets, phone-first layout.

const pageCss = `
*{box-sizing:border-box}
body{margin:0;background:#f3f4f6;color:#111827;font:17px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:36rem;margin:0 auto;padding:24px 16px 48px;background:#fff;min-height:100vh}
h1{font-size:1.4rem;line-height:1.3;margin:0 0 8px}
.brand{margin:0 0 20px;color:#4b5563;font-size:.95rem}
fieldset{border:0;margin:0 0 24px;padding:0;min-width:0}
legend{font-weight:600;font-size:1.1rem;margin-bottom:10px;padding:0}
.scale{display:flex;flex-wrap:wrap;gap:8px}
.opt{position:relative;display:block}
.opt input{position:absolute;opacity:0;width:1px;height:1px}
.opt span{display:flex;flex-direction:column;align-items:center;justify-content:center;min-width:48px;min-height:48px;padding:8px 10px;border:2px solid #6b7280;border-radius:10px;cursor:pointer;text-align:center;background:#fff}
.faces .opt,.stars .opt{flex:1 1 0;min-width:56px}
.sym{font-size:1.8rem;line-height:1}
.faces small,.stars small{font-size:.75rem;margin-top:4px}
.stars .sym{font-size:1rem;color:#b45309;letter-spacing:-1px}
.wide .opt{flex:1 1 100%}
.opt input:checked+span{background:#1d4ed8;border-color:#1d4ed8;color:#fff}
.opt input:checked+span .sym{color:inherit}
.opt input:focus-visible+span{outline:3px solid #111827;outline-offset:2px}
.ends{display:flex;justify-content:space-between;font-size:.85rem;color:#4b5563;margin:6px 0 0}
label.text{display:block;font-weight:600;font-size:1.1rem;margin-bottom:8px}
textarea{width:100%;min-height:7rem;font:inherit;padding:10px;border:2px solid #6b7280;border-radius:10px}
textarea:focus-visible{outline:3px solid #1d4ed8;outline-offset:1px}
button{display:block;width:100%;min-height:52px;margin-top:8px;border:0;border-radius:10px;background:#1d4ed8;color:#fff;font:inherit;font-weight:600;cursor:pointer}
button:focus-visible{outline:3px solid #111827;outline-offset:2px}
.error{color:#b91c1c;font-weight:600;margin:8px 0 0}
.notice{padding:12px 14px;border-radius:10px;background:#ecfdf5;border:1px solid #10b981;margin:0 0 20px}
.muted{color:#4b5563;font-size:.95rem}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (min-width:640px){main{margin-top:32px;min-height:0;border-radius:12px;padding:32px}}
`;

// Ours, and byte-identical to what the CSP hash covers, so it goes in unescaped.
const pageStyle = new SafeHtml(pageCss);

export const surveyPageCssHash = `sha256-${createHash("sha256").update(pageCss).digest("base64")}`;

/** The policy for these pages: nothing but the one stylesheet above, forms posting back here, no framing. */
export const surveyPageContentSecurityPolicy = [
  "default-src 'none'",
  `style-src '${surveyPageCssHash}'`,
  "img-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

export type PageBrand = { businessName: string; supportAddress: string };
export type SurveyPage = { status: number; html: string };

function layout(brand: PageBrand, title: string, body: SafeHtml, status = 200): SurveyPage {
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><meta name="referrer" content="no-referrer">
<title>${title} – ${brand.businessName}</title><style>${pageStyle}</style></head>
<body><main><p class="brand">${brand.businessName}</p>${body}</main></body></html>`;
  return { status, html: page.value };
}

const contactLine = (brand: PageBrand) =>
  html`<p class="muted">Something else on your mind? Reply to our email or write to <a href="mailto:${brand.supportAddress}">${brand.supportAddress}</a>.</p>`;

function scaleClass(question: SurveyQuestion): string {
  if (question.type === "csat") return question.style === "stars" ? "scale stars" : "scale faces";
  if (question.type === "yes_no") return "scale wide";
  return "scale";
}

function questionField(
  question: SurveyQuestion,
  value: string | number | undefined,
  problem: string | undefined,
  isPrimary: boolean,
): SafeHtml {
  const name = `q_${question.id}`;
  const errorId = `err-${question.id}`;
  const error = problem ? html`<p class="error" id="${errorId}" role="alert">${problem}</p>` : html``;
  const described = problem ? errorId : undefined;
  if (isScaleQuestion(question)) {
    const points = scaleLabels(question);
    const options = points.map((point) => {
      const checked = value !== undefined && String(value) === String(point.value);
      const visible =
        question.type === "csat"
          ? html`<span class="sym" aria-hidden="true">${point.symbol}</span><small>${point.label}</small>`
          : question.type === "yes_no"
            ? html`${point.label}`
            : html`<span aria-hidden="true">${point.symbol}</span><span class="sr">${point.label}</span>`;
      return html`<label class="opt"><input type="radio" name="${name}" value="${String(point.value)}"${checked ? html` checked` : html``}${isPrimary && point === points[0] ? html` required` : html``}><span>${visible}</span></label>`;
    });
    const ends =
      question.type === "nps" || question.type === "ces"
        ? html`<p class="ends" aria-hidden="true"><span>${points[0].label.replace(/^\d+ – /, "")}</span><span>${points[points.length - 1].label.replace(/^\d+ – /, "")}</span></p>`
        : html``;
    return html`<fieldset${described ? html` aria-describedby="${described}"` : html``}><legend>${question.prompt}</legend><div class="${scaleClass(question)}">${options}</div>${ends}${error}</fieldset>`;
  }
  if (question.type === "choice") {
    const options = question.options.map(
      (option) =>
        html`<label class="opt"><input type="radio" name="${name}" value="${option}"${value === option ? html` checked` : html``}><span>${option}</span></label>`,
    );
    return html`<fieldset${described ? html` aria-describedby="${described}"` : html``}><legend>${question.prompt}${question.required ? "" : " (optional)"}</legend><div class="scale wide">${options}</div>${error}</fieldset>`;
  }
  return html`<div><label class="text" for="${name}">${question.prompt}${question.required ? "" : " (optional)"}</label><textarea id="${name}" name="${name}" maxlength="5000"${question.required ? html` required` : html``}${described ? html` aria-describedby="${described}" aria-invalid="true"` : html``}>${value === undefined ? "" : String(value)}</textarea>${error}</div>`;
}

export type SurveyFormInput = {
  brand: PageBrand;
  token: string;
  title: string;
  about: string | null;
  questions: readonly SurveyQuestion[];
  /** What is already chosen: the score from the mail's link, or what the customer sent when it had problems. */
  values: SurveyAnswers;
  problems?: AnswerProblem[];
};

/** The survey, with the score picked in the mail already chosen; submitting it records the answer. */
export function renderSurveyForm(input: SurveyFormInput): SurveyPage {
  const problems = new Map((input.problems ?? []).map((p) => [p.questionId, p.message]));
  const fields = input.questions.map((question, index) =>
    questionField(question, input.values[question.id], problems.get(question.id), index === 0),
  );
  const summary =
    problems.size > 0 ? html`<p class="error" role="alert">Please check your answer below.</p>` : html``;
  const body = html`<h1>${input.title}</h1>${input.about ? html`<p class="muted">About: ${input.about}</p>` : html``}${summary}
<form method="post" action="/survey/${input.token}">${fields}<button type="submit">Send my answer</button></form>
<p class="muted">Your answer goes to the ${input.brand.businessName} team.</p>`;
  return layout(input.brand, input.title, body, problems.size > 0 ? 400 : 200);
}

export type ThanksInput = {
  brand: PageBrand;
  token: string;
  /** "Thanks" right after answering; "already" when the link is opened again. */
  justAnswered: boolean;
  scoreText: string | null;
  comment: string | null;
  canComment: boolean;
  commentPrompt: string;
  openedTicketId: number | null;
  commentSaved?: boolean;
};

/** After the answer (or when the link is opened again): thanks, and a comment box while there is none. */
export function renderThanks(input: ThanksInput): SurveyPage {
  const lead = input.justAnswered ? "Thank you for your answer!" : "We already have your answer. Thank you!";
  const recorded = input.scoreText ? html`<p>You answered: <strong>${input.scoreText}</strong>.</p>` : html``;
  const ticket = input.openedTicketId
    ? html`<p>We're sorry something isn't right. We've opened request #${String(input.openedTicketId)} and will get back to you by email.</p>`
    : html``;
  const commentBlock = input.comment
    ? html`<p class="muted">Your comment: “${input.comment}”</p>`
    : input.canComment
      ? html`<form method="post" action="/survey/${input.token}/comment"><label class="text" for="comment">${input.commentPrompt} (optional)</label><textarea id="comment" name="comment" maxlength="5000"></textarea><button type="submit">Send comment</button></form>`
      : html``;
  const saved = input.commentSaved
    ? html`<p class="notice" role="status">Your comment was saved. Thank you!</p>`
    : html``;
  const body = html`<h1>${lead}</h1>${saved}<div role="status">${recorded}</div>${ticket}${commentBlock}${contactLine(input.brand)}`;
  return layout(input.brand, "Thank you", body);
}

/** The window has passed (or the survey was never sent): a clear page, not an error. */
export function renderClosed(brand: PageBrand): SurveyPage {
  const body = html`<h1>This survey has closed</h1><p>Thanks for wanting to tell us how it went. This survey can no longer be answered: its time to answer has passed.</p>${contactLine(brand)}`;
  return layout(brand, "Survey closed", body, 410);
}

/** A link that is cut short, altered or not ours. */
export function renderInvalidLink(brand: PageBrand): SurveyPage {
  const body = html`<h1>This link doesn't work</h1><p>The link may have been cut short by your email program. Open it again from the email, or copy the whole link into your browser's address bar.</p>${contactLine(brand)}`;
  return layout(brand, "Link not valid", body, 404);
}

export function renderUnsubscribe(
  brand: PageBrand,
  input: { token: string; purposeLabel: string; done: boolean },
): SurveyPage {
  if (input.done) {
    const body = html`<h1>You're unsubscribed</h1><p role="status">You won't get ${input.purposeLabel} from ${brand.businessName} any more. Replies to your requests still reach you as usual.</p>${contactLine(brand)}`;
    return layout(brand, "Unsubscribed", body);
  }
  const body = html`<h1>Stop ${input.purposeLabel}?</h1><p>We'll stop sending you ${input.purposeLabel}. Replies to your requests still reach you as usual.</p><form method="post" action="/survey/unsubscribe/${input.token}"><button type="submit">Unsubscribe</button></form>`;
  return layout(brand, "Unsubscribe", body);
}
