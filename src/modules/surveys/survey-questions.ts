import type { SurveyQuestionJson } from "../../db/schema.ts";
import type { SurveyMetric } from "./survey-metrics.ts";
import type { SurveySettings } from "./surveys.schemas.ts";

// What a send asks, and how answers to it are read. A send keeps a snapshot of its questions; the first one is the
// headline (rated right in the mail when it is a scale) and a text question with id "comment" is the comment box.

export type SurveyQuestion = SurveyQuestionJson;
export type BuiltInKind = "csat" | "ces" | "nps" | "check_in";
export type SurveyAnswers = Record<string, string | number>;

export const commentQuestionId = "comment";

/** The questions of a built-in survey, worded as the settings say. */
export function builtInQuestions(kind: BuiltInKind, settings: SurveySettings): SurveyQuestion[] {
  const wording = settings.wording;
  const comment = (text: string): SurveyQuestion => ({
    id: commentQuestionId,
    type: "text",
    prompt: text,
    required: false,
  });
  switch (kind) {
    case "csat":
      return [
        { id: "score", type: "csat", prompt: wording.csat, style: wording.csatStyle },
        comment(wording.comment),
      ];
    case "ces":
      return [{ id: "score", type: "ces", prompt: wording.ces }, comment(wording.comment)];
    case "nps":
      return [{ id: "score", type: "nps", prompt: wording.nps }, comment(wording.npsReason)];
    case "check_in":
      return [
        { id: "score", type: "yes_no", prompt: wording.checkIn },
        comment("If something is not right, tell us what happened and we will sort it out."),
      ];
  }
}

export type ScaleQuestion = Extract<SurveyQuestion, { type: "csat" | "ces" | "nps" | "yes_no" }>;

export function isScaleQuestion(question: SurveyQuestion): question is ScaleQuestion {
  return (
    question.type === "csat" ||
    question.type === "ces" ||
    question.type === "nps" ||
    question.type === "yes_no"
  );
}

/** The score range of a scale question, lowest first. */
export function scaleRange(question: ScaleQuestion): { min: number; max: number } {
  switch (question.type) {
    case "csat":
      return { min: 1, max: 5 };
    case "ces":
      return { min: 1, max: 7 };
    case "nps":
      return { min: 0, max: 10 };
    case "yes_no":
      return { min: 0, max: 1 };
  }
}

/** The headline question when it is a scale: its score is the send's score (and rated in the mail). */
export function primaryScale(questions: readonly SurveyQuestion[]): ScaleQuestion | null {
  const first = questions[0];
  return first && isScaleQuestion(first) ? first : null;
}

/** The metric reports count a send under: its headline scale's, if CSAT, CES or NPS. */
export function metricOf(questions: readonly SurveyQuestion[]): SurveyMetric | null {
  const primary = primaryScale(questions);
  return primary && primary.type !== "yes_no" ? primary.type : null;
}

/** Labels for each point of a scale, for the mail, the page and screen readers. */
export function scaleLabels(question: ScaleQuestion): { value: number; label: string; symbol: string }[] {
  switch (question.type) {
    case "csat": {
      const words = ["Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"];
      const faces = ["😠", "🙁", "😐", "🙂", "😄"];
      return words.map((label, i) => ({
        value: i + 1,
        label,
        symbol: question.style === "stars" ? "★".repeat(i + 1) : faces[i],
      }));
    }
    case "ces": {
      const words: Record<number, string> = {
        1: "Very difficult",
        4: "Neither easy nor difficult",
        7: "Very easy",
      };
      return [1, 2, 3, 4, 5, 6, 7].map((value) => ({
        value,
        label: words[value] ? `${value} – ${words[value]}` : String(value),
        symbol: String(value),
      }));
    }
    case "nps": {
      const words: Record<number, string> = { 0: "Not at all likely", 10: "Extremely likely" };
      return Array.from({ length: 11 }, (_, value) => ({
        value,
        label: words[value] ? `${value} – ${words[value]}` : String(value),
        symbol: String(value),
      }));
    }
    case "yes_no":
      return [
        { value: 1, label: "Yes, all good", symbol: "Yes, all good" },
        { value: 0, label: "No, something is wrong", symbol: "No, something is wrong" },
      ];
  }
}

export type ParsedAnswers = {
  answers: SurveyAnswers;
  /** The headline scale's score, when it has one. */
  score: number | null;
  comment: string | null;
};

export type AnswerProblem = { questionId: string; message: string };

/**
 * Reads submitted answers against a send's questions. Values may come as text (a form) or numbers (JSON). The
 * headline scale and required questions must be answered; unknown question ids are ignored.
 */
export function parseAnswers(
  questions: readonly SurveyQuestion[],
  raw: Record<string, unknown>,
): { ok: true; value: ParsedAnswers } | { ok: false; problems: AnswerProblem[] } {
  const answers: SurveyAnswers = {};
  const problems: AnswerProblem[] = [];
  const primary = primaryScale(questions);
  for (const question of questions) {
    const value = raw[question.id];
    const text = typeof value === "string" ? value.trim() : typeof value === "number" ? String(value) : "";
    if (isScaleQuestion(question)) {
      if (text === "") {
        if (question === primary) problems.push({ questionId: question.id, message: "Choose a score." });
        continue;
      }
      const { min, max } = scaleRange(question);
      const score = /^-?\d{1,2}$/.test(text) ? Number(text) : Number.NaN;
      if (!Number.isInteger(score) || score < min || score > max) {
        problems.push({ questionId: question.id, message: `Choose a score from ${min} to ${max}.` });
        continue;
      }
      answers[question.id] = score;
    } else if (question.type === "choice") {
      if (text === "") {
        if (question.required) problems.push({ questionId: question.id, message: "Choose an answer." });
        continue;
      }
      if (!question.options.includes(text)) {
        problems.push({ questionId: question.id, message: "Choose one of the answers shown." });
        continue;
      }
      answers[question.id] = text;
    } else {
      if (text === "") {
        if (question.required) problems.push({ questionId: question.id, message: "Please fill this in." });
        continue;
      }
      answers[question.id] = text.slice(0, 5000);
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  const score = primary && typeof answers[primary.id] === "number" ? (answers[primary.id] as number) : null;
  const commentValue = answers[commentQuestionId];
  const firstText = questions.find((q) => q.type === "text" && typeof answers[q.id] === "string");
  const comment =
    typeof commentValue === "string" ? commentValue : firstText ? (answers[firstText.id] as string) : null;
  return { ok: true, value: { answers, score, comment } };
}
