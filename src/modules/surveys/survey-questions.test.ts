import { describe, expect, it } from "vitest";
import { builtInQuestions, metricOf, parseAnswers, primaryScale, scaleLabels } from "./survey-questions.ts";
import { surveySettingsSchema } from "./surveys.schemas.ts";

const settings = surveySettingsSchema.parse({});

describe("survey questions", () => {
  it("word built-in surveys from the settings, headline scale first", () => {
    const nps = builtInQuestions("nps", settings);
    expect(nps[0]).toMatchObject({ type: "nps", prompt: settings.wording.nps });
    expect(nps[1]).toMatchObject({ id: "comment", prompt: settings.wording.npsReason });
    expect(metricOf(nps)).toBe("nps");
    expect(metricOf(builtInQuestions("check_in", settings))).toBeNull();
    const stars = builtInQuestions("csat", surveySettingsSchema.parse({ wording: { csatStyle: "stars" } }));
    expect(primaryScale(stars)).toMatchObject({ type: "csat", style: "stars" });
  });

  it("label every point of every scale", () => {
    for (const kind of ["csat", "ces", "nps", "check_in"] as const) {
      const primary = primaryScale(builtInQuestions(kind, settings));
      if (!primary) throw new Error("no scale");
      const labels = scaleLabels(primary);
      expect(labels.every((point) => point.label.length > 0)).toBe(true);
    }
    const nps = primaryScale(builtInQuestions("nps", settings));
    expect(nps && scaleLabels(nps).map((p) => p.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("read answers from a form or JSON, and insist on the headline score", () => {
    const csat = builtInQuestions("csat", settings);
    expect(parseAnswers(csat, { score: "4", comment: "  Quick and kind " })).toEqual({
      ok: true,
      value: { answers: { score: 4, comment: "Quick and kind" }, score: 4, comment: "Quick and kind" },
    });
    expect(parseAnswers(csat, { score: 1 })).toMatchObject({ ok: true, value: { score: 1, comment: null } });
    for (const bad of [{}, { score: "6" }, { score: "0" }, { score: "4.5" }, { score: "five" }]) {
      expect(parseAnswers(csat, bad)).toMatchObject({ ok: false, problems: [{ questionId: "score" }] });
    }
  });

  it("check choices and required questions of a custom survey", () => {
    const questions = [
      { id: "ease", type: "ces" as const, prompt: "Easy?" },
      { id: "plan", type: "choice" as const, prompt: "Plan?", options: ["Basic", "Pro"], required: true },
      { id: "why", type: "text" as const, prompt: "Why?", required: false },
    ];
    expect(parseAnswers(questions, { ease: "7", plan: "Pro", why: "Great" })).toMatchObject({
      ok: true,
      value: { score: 7, comment: "Great", answers: { ease: 7, plan: "Pro", why: "Great" } },
    });
    expect(parseAnswers(questions, { ease: "7", plan: "Gold" })).toMatchObject({
      ok: false,
      problems: [{ questionId: "plan" }],
    });
    expect(parseAnswers(questions, { ease: "7" })).toMatchObject({
      ok: false,
      problems: [{ questionId: "plan" }],
    });
  });
});
