import { createHash, timingSafeEqual } from "node:crypto";
import cookie from "@fastify/cookie";
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AppError, forbidden } from "../errors.ts";
import type { UserRow } from "../modules/users/users.repo.ts";
import { hasRole, type Role, resolveApiToken, resolveSession } from "../modules/users/users.service.ts";

export const sessionCookieName = "tend_session";
export const csrfHeaderName = "x-csrf-token";

/**
 * Who may call a route. Every /api/v1 route must say so in `config.access` (registration fails otherwise):
 * "public" = no authentication; a role = that role or a higher one (agent < lead < admin).
 */
export type Access = "public" | Role;

export type Principal =
  | { kind: "session"; role: Role; user: UserRow; csrfToken: string; sessionId: string }
  | { kind: "token"; role: Role; tokenId: number; tokenName: string; createdByUserId: number | null };

declare module "fastify" {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** Every /api/v1 route seen by the auth hook with its access rule, so tests can prove none is unguarded. */
    apiRouteAccess: { method: string; url: string; access: Access }[];
  }
}

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function safeEqual(a: string, b: string): boolean {
  // Hashing first gives equal lengths, so the comparison time does not depend on where the strings differ.
  const ha = createHash("sha256").update(a).digest();
  const hb = createHash("sha256").update(b).digest();
  return timingSafeEqual(ha, hb);
}

export function setSessionCookie(
  app: FastifyInstance,
  reply: FastifyReply,
  sessionId: string,
  expiresAt: Date,
) {
  reply.setCookie(sessionCookieName, sessionId, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: app.tend.config.secureCookies,
    expires: expiresAt,
  });
}

export function clearSessionCookie(app: FastifyInstance, reply: FastifyReply) {
  reply.clearCookie(sessionCookieName, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: app.tend.config.secureCookies,
  });
}

async function authenticate(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
  const ctx = app.tend;
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const token = match ? await resolveApiToken(ctx, match[1]) : null;
    // A wrong token is an error even when a cookie is present too: the caller meant to use the token.
    if (!token) throw new AppError("unauthenticated", "The API token is invalid or revoked");
    return {
      kind: "token",
      role: token.role,
      tokenId: token.id,
      tokenName: token.name,
      createdByUserId: token.createdByUserId,
    } satisfies Principal;
  }
  const sessionId = request.cookies[sessionCookieName];
  if (!sessionId) return null;
  const session = await resolveSession(ctx, sessionId);
  if (!session) {
    clearSessionCookie(app, reply);
    return null;
  }
  if (session.refreshed) setSessionCookie(app, reply, sessionId, session.expiresAt);
  return {
    kind: "session",
    role: session.user.role,
    user: session.user,
    csrfToken: session.csrfToken,
    sessionId,
  } satisfies Principal;
}

/**
 * Cookies, sessions, bearer tokens, roles and CSRF for every /api/v1 route. Call before registering routes:
 * the onRoute hook refuses any /api/v1 route without an explicit `config.access`.
 */
export async function registerAuth(app: FastifyInstance) {
  await app.register(cookie);
  // Only routes that ask for it (login) are limited; the store is per process, which suits one API process.
  await app.register(rateLimit, { global: false });
  app.decorateRequest("principal", null);
  const seen: { method: string; url: string; access: Access }[] = [];
  app.decorate("apiRouteAccess", seen);

  app.addHook("onRoute", (route) => {
    if (!route.url.startsWith("/api/v1/")) return;
    const access = route.config?.access;
    if (access !== "public" && !(typeof access === "string" && ["agent", "lead", "admin"].includes(access))) {
      throw new Error(
        `Route ${String(route.method)} ${route.url} has no access rule; set config.access to "public" or a role`,
      );
    }
    for (const method of [route.method].flat()) seen.push({ method, url: route.url, access });
  });

  app.addHook("onRequest", async (request, reply) => {
    const access = request.routeOptions.config.access;
    if (access === undefined || access === "public") return;
    const principal = await authenticate(app, request, reply);
    if (!principal) throw new AppError("unauthenticated", "Sign in or send an API token");
    request.principal = principal;
    if (principal.kind === "session" && unsafeMethods.has(request.method)) {
      const header = request.headers[csrfHeaderName];
      if (typeof header !== "string" || !safeEqual(header, principal.csrfToken)) {
        throw new AppError(
          "csrf_failed",
          `Missing or wrong ${csrfHeaderName} header; send the csrfToken from /api/v1/auth/session`,
        );
      }
    }
    if (!hasRole(principal.role, access)) {
      throw forbidden(`This action needs the ${access} role; you are ${principal.role}`);
    }
  });
}

/** The authenticated caller; only for routes whose access is a role (the hook guarantees it is set). */
export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError("unauthenticated", "Sign in or send an API token");
  return request.principal;
}

/** The agent acting: the session's user; API tokens act as no particular user (null). */
export function actorUserId(request: FastifyRequest): number | null {
  const principal = requirePrincipal(request);
  return principal.kind === "session" ? principal.user.id : null;
}

/** Whose "mine" view and assignee=me filter apply: the session's user, or the user who created the API token. */
export function meUserId(request: FastifyRequest): number | null {
  const principal = requirePrincipal(request);
  return principal.kind === "session" ? principal.user.id : principal.createdByUserId;
}
