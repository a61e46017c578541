import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError } from "../errors.ts";
import {
  authenticateWithPassword,
  createSession,
  endSession,
  toPublicUser,
} from "../modules/users/users.service.ts";
import { errorResponses, publicUserSchema } from "./api-common.schemas.ts";
import { clearSessionCookie, requirePrincipal, setSessionCookie } from "./auth.ts";

const sessionResponse = z.object({ user: publicUserSchema, csrfToken: z.string() });

export const loginRateLimit = { max: 10, timeWindowMs: 15 * 60 * 1000 };

/** Sign-in with a password into a session cookie, sign-out, and the current session (with its CSRF token). */
export async function registerAuthRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.post(
    "/api/v1/auth/login",
    {
      config: {
        access: "public",
        rateLimit: {
          max: loginRateLimit.max,
          timeWindow: loginRateLimit.timeWindowMs,
          // After parsing, so the key can include the email: one attacker cannot lock everybody out by IP alone.
          hook: "preHandler",
          keyGenerator: (request) => {
            const body = request.body as { email?: unknown } | undefined;
            const email = typeof body?.email === "string" ? body.email.trim().toLowerCase() : "";
            return `login:${request.ip}:${email}`;
          },
          errorResponseBuilder: (_request, context) =>
            new AppError("rate_limited", `Too many sign-in attempts; try again in ${context.after}`, {
              retryAfterSeconds: Math.ceil(context.ttl / 1000),
            }),
        },
      },
      schema: {
        tags: ["auth"],
        summary: "Sign in with email and password; sets the tend_session cookie",
        body: z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(1024) }),
        response: { 200: sessionResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const ctx = app.tend;
      const user = await authenticateWithPassword(ctx, request.body.email, request.body.password);
      if (!user) throw new AppError("unauthenticated", "Wrong email or password");
      const session = await createSession(ctx, user.id);
      setSessionCookie(app, reply, session.sessionId, session.expiresAt);
      return { user: toPublicUser(user), csrfToken: session.csrfToken };
    },
  );

  app.post(
    "/api/v1/auth/logout",
    {
      config: { access: "agent" },
      schema: {
        tags: ["auth"],
        summary: "Sign out: ends the session and clears the cookie",
        response: { 200: z.object({ ok: z.literal(true) }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      if (principal.kind === "session") {
        await endSession(app.tend, principal.sessionId);
        clearSessionCookie(app, reply);
      }
      return { ok: true as const };
    },
  );

  app.get(
    "/api/v1/auth/session",
    {
      config: { access: "agent" },
      schema: {
        tags: ["auth"],
        summary: "The signed-in user and the CSRF token to send as x-csrf-token",
        response: { 200: sessionResponse, ...errorResponses },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      if (principal.kind !== "session") {
        throw new AppError("unauthenticated", "API tokens have no session; sign in with a password");
      }
      return { user: toPublicUser(principal.user), csrfToken: principal.csrfToken };
    },
  );
}
