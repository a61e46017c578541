import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError, conflict, notFound, validationFailed } from "../../errors.ts";
import { errorResponses } from "../../http/api-common.schemas.ts";
import {
  answerSurvey,
  commentOnSurvey,
  unsubscribeFromSend,
} from "../../workflows/survey-answer.workflow.ts";
import { resolveSupportSender } from "../email/outbound-mail.service.ts";
import {
  type PageBrand,
  renderClosed,
  renderInvalidLink,
  renderSurveyForm,
  renderThanks,
  renderUnsubscribe,
  type SurveyPage,
  surveyPageContentSecurityPolicy,
} from "./survey-pages.ts";
import { primaryScale, type SurveyQuestion, scaleLabels } from "./survey-questions.ts";
import {
  publicResponseBodySchema,
  publicResponseResultSchema,
  publicSurveySchema,
} from "./surveys.schemas.ts";
import {
  findSendByToken,
  findSendResponse,
  type SurveyResponseRow,
  type SurveySendRow,
  sendAnswerState,
} from "./surveys.service.ts";

export const surveyPublicApiPrefix = "/api/v1/surveys/public";

/** Per client address; the store is per process (see registerAuth). */
export const surveyRateLimits = {
  page: { max: 60, timeWindowMs: 60_000 },
  answer: { max: 20, timeWindowMs: 60_000 },
};

function rateLimit(name: keyof typeof surveyRateLimits) {
  const limit = surveyRateLimits[name];
  return {
    max: limit.max,
    timeWindow: limit.timeWindowMs,
    keyGenerator: (request: FastifyRequest) => `survey-${name}:${request.ip}`,
    errorResponseBuilder: (_request: FastifyRequest, context: { after: string; ttl: number }) =>
      new AppError("rate_limited", `Too many requests; try again in ${context.after}`, {
        retryAfterSeconds: Math.ceil(context.ttl / 1000),
      }),
  };
}

const titles: Record<SurveySendRow["kind"], string> = {
  csat: "How did we do?",
  ces: "How easy was it?",
  nps: "A quick question",
  check_in: "Is everything as expected?",
  custom: "A few questions",
};

/** "4 of 5 – Satisfied", "Yes, all good": the recorded score as the customer chose it. */
function describeAnswer(questions: readonly SurveyQuestion[], score: number | null): string | null {
  const primary = primaryScale(questions);
  if (!primary || score === null) return null;
  const point = scaleLabels(primary).find((p) => p.value === score);
  if (primary.type === "yes_no") return point?.label ?? null;
  const max = primary.type === "csat" ? 5 : primary.type === "ces" ? 7 : 10;
  const words = point?.label.replace(/^\d+( – )?/, "");
  return `${score} of ${max}${words ? ` – ${words}` : ""}`;
}

const answerSource = { page: "page", api: "api" } as const;

/** Form fields `q_<question id>` as answers by question id. */
function formAnswers(body: unknown): Record<string, string> {
  const answers: Record<string, string> = {};
  if (body && typeof body === "object") {
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (key.startsWith("q_") && typeof value === "string") answers[key.slice(2)] = value;
    }
  }
  return answers;
}

/**
 * The public side of surveys, reached by signed links without login: server-rendered pages for people
 * (/survey/:token, /survey/unsubscribe/:token) and a JSON API for the chat widget and integrations
 * (/api/v1/surveys/public/:token). Links in mail are fetched by scanners and prefetchers, so a GET never records
 * anything: the mail's score link opens the form with that score chosen, and the answer is recorded by the POST.
 */
export async function registerSurveyPublicRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const ctx = app.tend;

  const brand = async (): Promise<PageBrand> => {
    const sender = await resolveSupportSender(ctx);
    return { businessName: sender.name ?? "Support", supportAddress: sender.address };
  };
  const sendPage = (reply: FastifyReply, page: SurveyPage) =>
    reply
      .status(page.status)
      .type("text/html; charset=utf-8")
      .header("content-security-policy", surveyPageContentSecurityPolicy)
      .header("x-frame-options", "DENY")
      .header("x-content-type-options", "nosniff")
      .header("referrer-policy", "no-referrer")
      .header("cache-control", "no-store")
      .send(page.html);

  const thanksPage = async (
    token: string,
    send: SurveySendRow,
    response: SurveyResponseRow,
    flags: { justAnswered: boolean; commentSaved: boolean },
  ) => {
    const comment = send.questions.find((q) => q.id === "comment");
    return renderThanks({
      brand: await brand(),
      token,
      justAnswered: flags.justAnswered,
      commentSaved: flags.commentSaved,
      scoreText: describeAnswer(send.questions, response.score),
      comment: response.comment,
      canComment: Boolean(send.expiresAt && ctx.clock.now() < send.expiresAt),
      commentPrompt: comment?.prompt ?? "Anything you would like to add?",
      openedTicketId: response.openedTicketId,
    });
  };

  // Pages post plain HTML forms (and RFC 8058 one-click unsubscribes); only this plugin reads form bodies.
  await app.register(async (plugin) => {
    const pages = plugin.withTypeProvider<ZodTypeProvider>();
    const parseForm = (
      _request: FastifyRequest,
      body: string,
      done: (error: Error | null, value?: unknown) => void,
    ) => done(null, Object.fromEntries(new URLSearchParams(body)));
    pages.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string", bodyLimit: 64 * 1024 },
      parseForm,
    );
    // One-click unsubscribes may come as multipart; the body's content does not matter for them.
    pages.addContentTypeParser(
      "multipart/form-data",
      { parseAs: "string", bodyLimit: 16 * 1024 },
      (_r, body, done) => done(null, { raw: body }),
    );

    const tokenParams = z.object({ token: z.string().max(100) });

    pages.get(
      "/survey/:token",
      {
        config: { rateLimit: rateLimit("page") },
        schema: {
          hide: true,
          params: tokenParams,
          querystring: z.object({
            score: z.string().max(3).optional(),
            thanks: z.string().max(1).optional(),
            saved: z.string().max(1).optional(),
          }),
        },
      },
      async (request, reply) => {
        const { token } = request.params;
        const send = await findSendByToken(ctx, "respond", token);
        if (!send) return sendPage(reply, renderInvalidLink(await brand()));
        const response = await findSendResponse(ctx, send.id);
        const state = sendAnswerState(send, response, ctx.clock.now());
        if (response) {
          return sendPage(
            reply,
            await thanksPage(token, send, response, {
              justAnswered: request.query.thanks === "1",
              commentSaved: request.query.saved === "1",
            }),
          );
        }
        if (state === "closed") return sendPage(reply, renderClosed(await brand()));
        const primary = primaryScale(send.questions);
        const chosen = request.query.score;
        const values =
          primary && chosen !== undefined && scaleLabels(primary).some((p) => String(p.value) === chosen)
            ? { [primary.id]: Number(chosen) }
            : {};
        return sendPage(
          reply,
          renderSurveyForm({
            brand: await brand(),
            token,
            title: titles[send.kind],
            about: send.mailAbout,
            questions: send.questions,
            values,
          }),
        );
      },
    );

    pages.post(
      "/survey/:token",
      { config: { rateLimit: rateLimit("answer") }, schema: { hide: true, params: tokenParams } },
      async (request, reply) => {
        const { token } = request.params;
        const found = await findSendByToken(ctx, "respond", token);
        if (!found) return sendPage(reply, renderInvalidLink(await brand()));
        const raw = formAnswers(request.body);
        const result = await answerSurvey(ctx, found.id, raw, answerSource.page);
        switch (result.outcome) {
          case "recorded":
            return reply.redirect(`/survey/${token}?thanks=1`, 303);
          case "already_answered":
            return reply.redirect(`/survey/${token}`, 303);
          case "closed":
            return sendPage(reply, renderClosed(await brand()));
          case "invalid":
            return sendPage(
              reply,
              renderSurveyForm({
                brand: await brand(),
                token,
                title: titles[result.send.kind],
                about: result.send.mailAbout,
                questions: result.send.questions,
                values: raw,
                problems: result.problems,
              }),
            );
        }
      },
    );

    pages.post(
      "/survey/:token/comment",
      { config: { rateLimit: rateLimit("answer") }, schema: { hide: true, params: tokenParams } },
      async (request, reply) => {
        const { token } = request.params;
        const send = await findSendByToken(ctx, "respond", token);
        if (!send) return sendPage(reply, renderInvalidLink(await brand()));
        const body = request.body as Record<string, unknown> | undefined;
        const comment = typeof body?.comment === "string" ? body.comment : "";
        const saved = await commentOnSurvey(ctx, send.id, comment);
        if (!saved) {
          const response = await findSendResponse(ctx, send.id);
          if (!response) return reply.redirect(`/survey/${token}`, 303);
          return sendPage(reply, renderClosed(await brand()));
        }
        return reply.redirect(`/survey/${token}?saved=1`, 303);
      },
    );

    const purposeLabel = (send: SurveySendRow) =>
      send.purpose === "follow_ups" ? "follow-up emails" : "surveys";

    pages.get(
      "/survey/unsubscribe/:token",
      { config: { rateLimit: rateLimit("page") }, schema: { hide: true, params: tokenParams } },
      async (request, reply) => {
        const send = await findSendByToken(ctx, "unsubscribe", request.params.token);
        if (!send) return sendPage(reply, renderInvalidLink(await brand()));
        return sendPage(
          reply,
          renderUnsubscribe(await brand(), {
            token: request.params.token,
            purposeLabel: purposeLabel(send),
            done: false,
          }),
        );
      },
    );

    // The page's button and mail clients' one-click unsubscribe (RFC 8058: POST "List-Unsubscribe=One-Click").
    pages.post(
      "/survey/unsubscribe/:token",
      { config: { rateLimit: rateLimit("answer") }, schema: { hide: true, params: tokenParams } },
      async (request, reply) => {
        const send = await findSendByToken(ctx, "unsubscribe", request.params.token);
        if (!send) return sendPage(reply, renderInvalidLink(await brand()));
        const body = (request.body ?? {}) as Record<string, unknown>;
        const oneClick =
          body["List-Unsubscribe"] === "One-Click" || String(body.raw ?? "").includes("One-Click");
        await unsubscribeFromSend(ctx, send, oneClick ? "one_click" : "unsubscribe_page");
        return sendPage(
          reply,
          renderUnsubscribe(await brand(), {
            token: request.params.token,
            purposeLabel: purposeLabel(send),
            done: true,
          }),
        );
      },
    );
  });

  // ---- the JSON API for the chat widget and integrations -----------------------------------------------------------

  app.addHook("onSend", async (request, reply) => {
    if (request.url.startsWith(`${surveyPublicApiPrefix}/`)) {
      reply.header("access-control-allow-origin", "*");
      reply.header("cache-control", "no-store");
    }
  });

  app.options(
    `${surveyPublicApiPrefix}/*`,
    { config: { access: "public" }, schema: { hide: true } },
    async (_request, reply) =>
      reply
        .status(204)
        .header("access-control-allow-methods", "GET, POST")
        .header("access-control-allow-headers", "content-type")
        .header("access-control-max-age", "600")
        .send(),
  );

  const tags = ["surveys (public)"];
  const tokenParams = z.object({ token: z.string().max(100) });
  const requireSend = async (token: string) => {
    const send = await findSendByToken(ctx, "respond", token);
    // Forged and unknown tokens look the same: a token tells nothing about other sends.
    if (!send) throw notFound("Survey");
    return send;
  };

  app.get(
    `${surveyPublicApiPrefix}/:token`,
    {
      config: { access: "public", rateLimit: rateLimit("page") },
      schema: {
        tags,
        summary: "A survey by its signed token: its questions and whether it can still be answered",
        params: tokenParams,
        response: { 200: publicSurveySchema, ...errorResponses },
      },
    },
    async (request) => {
      const send = await requireSend(request.params.token);
      const response = await findSendResponse(ctx, send.id);
      return {
        state: sendAnswerState(send, response, ctx.clock.now()),
        kind: send.kind,
        questions: send.questions,
        expiresAt: send.expiresAt?.toISOString() ?? null,
        response: response
          ? { score: response.score, answers: response.answers, comment: response.comment }
          : null,
      };
    },
  );

  app.post(
    `${surveyPublicApiPrefix}/:token/response`,
    {
      config: { access: "public", rateLimit: rateLimit("answer") },
      schema: {
        tags,
        summary:
          "Answer a survey (one answer per send). A low score starts a recovery; a check-in reporting a problem opens a ticket",
        params: tokenParams,
        body: publicResponseBodySchema,
        response: { 201: publicResponseResultSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const send = await requireSend(request.params.token);
      const raw: Record<string, unknown> = { ...request.body.answers };
      const primary = primaryScale(send.questions);
      if (request.body.score !== undefined && primary) raw[primary.id] = request.body.score;
      if (request.body.comment !== undefined) raw.comment = request.body.comment;
      const result = await answerSurvey(
        ctx,
        send.id,
        raw,
        send.channel === "chat" ? "chat" : answerSource.api,
      );
      switch (result.outcome) {
        case "recorded":
          return reply.status(201).send({
            state: "answered" as const,
            score: result.response.score,
            comment: result.response.comment,
            openedTicketId: result.openedTicketId,
          });
        case "already_answered":
          throw conflict("This survey has already been answered", { reason: "answered" });
        case "closed":
          throw conflict("This survey can no longer be answered", { reason: "closed" });
        case "invalid":
          throw validationFailed(
            result.problems[0]?.message ?? "Invalid answer",
            result.problems.map((problem) => ({
              path: `body.answers.${problem.questionId}`,
              message: problem.message,
            })),
          );
      }
    },
  );

  app.post(
    `${surveyPublicApiPrefix}/:token/comment`,
    {
      config: { access: "public", rateLimit: rateLimit("answer") },
      schema: {
        tags,
        summary: "Add or change the comment of an answered survey while it is open",
        params: tokenParams,
        body: z.strictObject({ comment: z.string().trim().min(1).max(5000) }),
        response: { 200: publicResponseResultSchema, ...errorResponses },
      },
    },
    async (request) => {
      const send = await requireSend(request.params.token);
      const saved = await commentOnSurvey(ctx, send.id, request.body.comment);
      if (!saved) throw conflict("Answer the survey first, within its window", { reason: "not_open" });
      return {
        state: "answered" as const,
        score: saved.score,
        comment: saved.comment,
        openedTicketId: saved.openedTicketId,
      };
    },
  );
}
