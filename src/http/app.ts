import swagger from "@fastify/swagger";
import websocket from "@fastify/websocket";
import Fastify, { type FastifyInstance } from "fastify";
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { registerJobRoutes } from "../jobs/jobs.routes.ts";
import { registerCallRoutes } from "../modules/calls/calls.routes.ts";
import { registerChatRoutes } from "../modules/chat/chat.routes.ts";
import { registerChatVisitorRoutes } from "../modules/chat/chat-visitor.routes.ts";
import { registerCustomerRoutes } from "../modules/customers/customers.routes.ts";
import { registerInsightRoutes } from "../modules/insights/insights.routes.ts";
import { registerMacroRoutes } from "../modules/macros/macros.routes.ts";
import { registerMessageRoutes } from "../modules/messages/messages.routes.ts";
import { registerNotificationRoutes } from "../modules/notifications/notifications.routes.ts";
import { registerOrderRoutes } from "../modules/orders/orders.routes.ts";
import { registerImportRoutes } from "../modules/retention/imports.routes.ts";
import { registerRetentionRoutes } from "../modules/retention/retention.routes.ts";
import { registerRiskRoutes } from "../modules/risk/risk.routes.ts";
import { registerRoutingRoutes } from "../modules/routing/routing.routes.ts";
import { registerRuleRoutes } from "../modules/rules/rules.routes.ts";
import { registerSlaRoutes } from "../modules/sla/sla.routes.ts";
import { registerSurveyPublicRoutes } from "../modules/surveys/survey-public.routes.ts";
import { registerSurveyRoutes } from "../modules/surveys/surveys.routes.ts";
import { registerTicketRoutes } from "../modules/tickets/tickets.routes.ts";
import { registerUserRoutes } from "../modules/users/users.routes.ts";
import { registerAuthRoutes } from "./auth.routes.ts";
import { registerAuth } from "./auth.ts";
import { registerErrorHandler } from "./error-handler.ts";
import { registerEventRoutes } from "./events.routes.ts";
import { registerWebStatic } from "./web-static.ts";

export type AppOptions = {
  context: AppContext;
  /** Reports whether the SMTP listener is up, for /healthz. */
  isSmtpReady?: () => boolean;
  logger?: boolean;
  /** The built chat widget served at /widget.js; defaults to widget/dist/widget.js in this checkout. */
  widgetScriptFile?: string;
};

declare module "fastify" {
  interface FastifyInstance {
    tend: AppContext;
  }
}

/** Builds the HTTP app: API under /api/v1, OpenAPI at /api/openapi.json, the web app at /. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { context } = options;
  const app = Fastify({
    logger: options.logger
      ? { level: context.config.logLevel, redact: ["req.headers.authorization", "req.headers.cookie"] }
      : false,
    bodyLimit: 10 * 1024 * 1024,
    trustProxy: true,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate("tend", context);
  registerErrorHandler(app);

  await app.register(swagger, {
    openapi: {
      info: { title: "Tend API", version: "1" },
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer" },
          session: { type: "apiKey", in: "cookie", name: "tend_session" },
        },
      },
    },
    transform: jsonSchemaTransform,
  });

  app.get(
    "/healthz",
    { schema: { hide: true, response: { 200: z.object({ ok: z.literal(true) }), 503: z.unknown() } } },
    async (_request, reply) => {
      const smtpReady = options.isSmtpReady ? options.isSmtpReady() : true;
      await context.database.query("select 1 from tickets limit 1");
      if (!smtpReady) {
        return reply
          .status(503)
          .send({ error: { code: "unavailable", message: "SMTP listener is not up yet" } });
      }
      return { ok: true as const };
    },
  );

  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  // Chat frames are small; a bigger one is a misbehaving client.
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  // Auth first: its onRoute hook refuses any /api/v1 route registered without config.access.
  await registerAuth(app);
  await registerAuthRoutes(app);
  await registerUserRoutes(app);
  await registerTicketRoutes(app);
  await registerCustomerRoutes(app);
  await registerOrderRoutes(app);
  await registerRetentionRoutes(app);
  await registerImportRoutes(app);
  await registerMessageRoutes(app);
  await registerSlaRoutes(app);
  await registerRoutingRoutes(app);
  await registerNotificationRoutes(app);
  await registerMacroRoutes(app);
  await registerCallRoutes(app);
  await registerRuleRoutes(app);
  await registerRiskRoutes(app);
  await registerInsightRoutes(app);
  await registerJobRoutes(app);
  await registerEventRoutes(app);
  await registerChatRoutes(app, { widgetScriptFile: options.widgetScriptFile });
  await registerChatVisitorRoutes(app);
  await registerSurveyRoutes(app);
  await registerSurveyPublicRoutes(app);
  await registerWebStatic(app);

  return app;
}
