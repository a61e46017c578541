import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { buildSurveyMail } from "./survey-mail.ts";
import {
  renderClosed,
  renderInvalidLink,
  renderSurveyForm,
  renderThanks,
  surveyPageContentSecurityPolicy,
} from "./survey-pages.ts";
import { builtInQuestions } from "./survey-questions.ts";
import { surveySettingsSchema } from "./surveys.schemas.ts";

const settings = surveySettingsSchema.parse({});
const brand = { businessName: "Tidewater <Coffee>", supportAddress: "help@tidewater.example" };

describe("survey mail", () => {
  const mail = buildSurveyMail({
    kind: "csat",
    questions: builtInQuestions("csat", settings),
    businessName: "Tidewater Coffee",
    recipientName: "Rosa Díaz",
    about: 'Kettle <b>"broken"</b>',
    responseUrl: "https://help.example/survey/abc.def",
    unsubscribeUrl: "https://help.example/survey/unsubscribe/abc.ghi",
    purposeLabel: "surveys",
    windowDays: 28,
  });

  it("rates in the mail: one link per score, in both parts", () => {
    for (let score = 1; score <= 5; score++) {
      expect(mail.text).toContain(`https://help.example/survey/abc.def?score=${score}`);
      expect(mail.html).toContain(`href="https://help.example/survey/abc.def?score=${score}"`);
    }
    expect(mail.text).toContain("Hi Rosa,");
    expect(mail.html).toContain("Very dissatisfied");
  });

  it("escapes what customers and agents wrote, and always offers the unsubscribe link", () => {
    expect(mail.html).not.toContain("<b>");
    expect(mail.html).toContain("&lt;b&gt;&quot;broken&quot;&lt;/b&gt;");
    expect(mail.html).toContain('href="https://help.example/survey/unsubscribe/abc.ghi"');
    expect(mail.text).toContain("Unsubscribe: https://help.example/survey/unsubscribe/abc.ghi");
  });
});

describe("survey pages", () => {
  it("preselect the score chosen in the mail, with labelled radios and no script", () => {
    const page = renderSurveyForm({
      brand,
      token: "tok.en",
      title: "How did we do?",
      about: "Kettle",
      questions: builtInQuestions("csat", settings),
      values: { score: 2 },
    });
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/<input type="radio" name="q_score" value="2" checked>/);
    expect(page.html.match(/ checked/g)).toHaveLength(1);
    expect(page.html).toContain("<legend>How would you rate the help you got from us?</legend>");
    expect(page.html).toContain('<label class="text" for="q_comment">');
    expect(page.html).toContain('action="/survey/tok.en"');
    expect(page.html).not.toMatch(/<script/i);
    expect(page.html).toContain("Tidewater &lt;Coffee&gt;");
    expect(page.html).toContain('name="viewport"');
  });

  it("style only with the stylesheet whose hash the CSP allows", () => {
    const page = renderClosed(brand);
    const css = /<style>([\s\S]*?)<\/style>/.exec(page.html)?.[1] ?? "";
    const hash = createHash("sha256").update(css).digest("base64");
    expect(surveyPageContentSecurityPolicy).toContain(`'sha256-${hash}'`);
    expect(surveyPageContentSecurityPolicy).toContain("default-src 'none'");
    expect(page.html).not.toMatch(/style="/);
  });

  it("point out what is missing next to the question", () => {
    const page = renderSurveyForm({
      brand,
      token: "t.k",
      title: "A quick question",
      about: null,
      questions: builtInQuestions("nps", settings),
      values: { comment: "<script>alert(1)</script>" },
      problems: [{ questionId: "score", message: "Choose a score." }],
    });
    expect(page.status).toBe(400);
    expect(page.html).toContain('aria-describedby="err-score"');
    expect(page.html).toContain('<p class="error" id="err-score" role="alert">Choose a score.</p>');
    expect(page.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page.html).toContain("Not at all likely");
  });

  it("explain closed and broken links in words, with a way to reach the team", () => {
    expect(renderClosed(brand)).toMatchObject({ status: 410 });
    expect(renderClosed(brand).html).toContain("This survey has closed");
    expect(renderInvalidLink(brand)).toMatchObject({ status: 404 });
    expect(renderInvalidLink(brand).html).toContain("mailto:help@tidewater.example");
    const thanks = renderThanks({
      brand,
      token: "t.k",
      justAnswered: true,
      scoreText: "1 of 5 – Very dissatisfied",
      comment: null,
      canComment: true,
      commentPrompt: "Anything you would like to add?",
      openedTicketId: null,
    });
    expect(thanks.html).toContain("Thank you for your answer!");
    expect(thanks.html).toContain('action="/survey/t.k/comment"');
  });
});
