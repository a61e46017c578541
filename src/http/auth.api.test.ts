import Fastify from "fastify";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildTestApp } from "../../test/app.ts";
import { describeDb, useTestDatabase } from "../../test/db.ts";
import { createUser } from "../modules/users/users.service.ts";
import { loginRateLimit } from "./auth.routes.ts";
import { registerAuth } from "./auth.ts";
import { bearerFor, signInAs } from "./auth-test-helpers.ts";

describeDb("auth, sessions, CSRF and roles", () => {
  const database = useTestDatabase();
  let app: Awaited<ReturnType<typeof buildTestApp>>;
  beforeAll(async () => {
    app = await buildTestApp(database.current, { config: { secureCookies: true } });
  });
  afterAll(async () => app.close());

  it("signs in with a password and sets an HttpOnly, SameSite=Lax, Secure session cookie", async () => {
    await createUser(app.context, {
      email: "ana@tend.test",
      name: "Ana",
      role: "agent",
      password: "s3cret-pass",
    });
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "ANA@tend.test", password: "s3cret-pass" },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.user).toMatchObject({ email: "ana@tend.test", name: "Ana", role: "agent" });
    expect(body.csrfToken).toMatch(/.{20,}/);
    const cookie = response.cookies.find((c) => c.name === "tend_session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: true, path: "/" });
    const days = (new Date(cookie?.expires ?? 0).getTime() - app.context.clock.now().getTime()) / 86_400_000;
    expect(days).toBeCloseTo(14, 0);

    const session = await app.inject({
      method: "GET",
      url: "/api/v1/auth/session",
      headers: { cookie: `tend_session=${cookie?.value}` },
    });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toEqual({ user: body.user, csrfToken: body.csrfToken });
  });

  it("refuses a wrong password or unknown email with the same 401", async () => {
    await createUser(app.context, {
      email: "bo@tend.test",
      name: "Bo",
      role: "agent",
      password: "right-password",
    });
    const wrong = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "bo@tend.test", password: "wrong-password" },
    });
    const unknown = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: "nobody@tend.test", password: "wrong-password" },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.cookies.find((c) => c.name === "tend_session")).toBeUndefined();
  });

  it("rate-limits sign-in attempts per IP and email and says when to retry", async () => {
    const attempt = (email: string) =>
      app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email, password: "guess-guess" } });
    for (let i = 0; i < loginRateLimit.max; i++)
      expect((await attempt("victim@tend.test")).statusCode).toBe(401);
    const limited = await attempt("victim@tend.test");
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe("rate_limited");
    expect(limited.json().error.message).toMatch(/try again in \d+ minutes?/);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    // Another account from the same address is not locked out by it.
    expect((await attempt("other@tend.test")).statusCode).toBe(401);
  });

  it("needs a session or token on API routes", async () => {
    const response = await app.inject({ method: "GET", url: "/api/v1/tickets" });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe("unauthenticated");
    const bad = await app.inject({
      method: "GET",
      url: "/api/v1/tickets",
      headers: { authorization: "Bearer tend_not-a-real-token" },
    });
    expect(bad.statusCode).toBe(401);
  });

  it("requires the session's CSRF token on cookie-authenticated writes", async () => {
    const agent = await signInAs(app, "agent");
    const payload = { channel: "phone", customer: { phone: "+44 20 7946 0001" }, text: "Called about order" };
    const missing = await app.inject({
      method: "POST",
      url: "/api/v1/messages",
      headers: { cookie: agent.cookie },
      payload,
    });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().error.code).toBe("csrf_failed");
    const wrong = await app.inject({
      method: "POST",
      url: "/api/v1/messages",
      headers: { cookie: agent.cookie, "x-csrf-token": `${agent.csrfToken}x` },
      payload,
    });
    expect(wrong.statusCode).toBe(403);
    const ok = await app.inject({ method: "POST", url: "/api/v1/messages", headers: agent.headers, payload });
    expect(ok.statusCode).toBe(201);
    // Reads need no CSRF token.
    const read = await app.inject({
      method: "GET",
      url: "/api/v1/tickets",
      headers: { cookie: agent.cookie },
    });
    expect(read.statusCode).toBe(200);
  });

  it("lets bearer tokens write without CSRF, within their role", async () => {
    const agentToken = await bearerFor(app.context, "agent");
    const adminToken = await bearerFor(app.context, "admin");
    const created = await app.inject({
      method: "POST",
      url: "/api/v1/messages",
      headers: agentToken,
      payload: { channel: "sms", customer: { phone: "+15550000001" }, text: "hi" },
    });
    expect(created.statusCode).toBe(201);
    const newUser = { email: "new-agent@tend.test", name: "New", role: "agent" };
    const denied = await app.inject({
      method: "POST",
      url: "/api/v1/admin/users",
      headers: agentToken,
      payload: newUser,
    });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe("forbidden");
    const deniedToken = await app.inject({
      method: "POST",
      url: "/api/v1/admin/tokens",
      headers: agentToken,
      payload: { name: "escalate", role: "admin" },
    });
    expect(deniedToken.statusCode).toBe(403);
    const allowed = await app.inject({
      method: "POST",
      url: "/api/v1/admin/users",
      headers: adminToken,
      payload: newUser,
    });
    expect(allowed.statusCode).toBe(201);
    expect(allowed.json().password.length).toBeGreaterThanOrEqual(20);
    // The generated password works for signing in.
    const login = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: newUser.email, password: allowed.json().password },
    });
    expect(login.statusCode).toBe(200);
  });

  it("lets a lead work tickets but not administer users; admins create tokens shown once", async () => {
    const lead = await signInAs(app, "lead");
    const leadCreate = await app.inject({
      method: "POST",
      url: "/api/v1/admin/users",
      headers: lead.headers,
      payload: { email: "x@tend.test", name: "X", role: "admin" },
    });
    expect(leadCreate.statusCode).toBe(403);
    expect(
      (await app.inject({ method: "GET", url: "/api/v1/tickets", headers: lead.headers })).statusCode,
    ).toBe(200);

    const admin = await signInAs(app, "admin");
    const token = await app.inject({
      method: "POST",
      url: "/api/v1/admin/tokens",
      headers: admin.headers,
      payload: { name: "shop integration", role: "agent" },
    });
    expect(token.statusCode).toBe(201);
    expect(token.json().token).toMatch(/^tend_/);
    const list = await app.inject({ method: "GET", url: "/api/v1/admin/tokens", headers: admin.headers });
    expect(list.body).not.toContain(token.json().token);
    expect(list.json().items.some((t: { name: string }) => t.name === "shop integration")).toBe(true);
    const use = await app.inject({
      method: "GET",
      url: "/api/v1/users",
      headers: { authorization: `Bearer ${token.json().token}` },
    });
    expect(use.statusCode).toBe(200);
    expect(use.json().items.some((u: { email: string }) => u.email === admin.user.email)).toBe(true);
  });

  it("ends the session on logout", async () => {
    const agent = await signInAs(app, "agent");
    const out = await app.inject({ method: "POST", url: "/api/v1/auth/logout", headers: agent.headers });
    expect(out.statusCode).toBe(200);
    const after = await app.inject({
      method: "GET",
      url: "/api/v1/auth/session",
      headers: { cookie: agent.cookie },
    });
    expect(after.statusCode).toBe(401);
  });

  it("gives every /api/v1 route an explicit access rule", () => {
    const guarded = new Set(app.apiRouteAccess.map((r) => `${r.method} ${r.url}`));
    const document = app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(document.paths)
      .filter(([path]) => path.startsWith("/api/v1/"))
      .flatMap(([path, methods]) =>
        Object.keys(methods).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`),
      );
    expect(documented.length).toBeGreaterThan(15);
    // Every documented route went through the auth hook (none was registered before it) ...
    for (const route of documented) expect(guarded, route).toContain(route);
    // ... and each says who may call it; only sign-in, the chat widget's visitor API (which answers only to a
    // conversation's own token) and survey answers (which answer only to a send's signed token) are public.
    for (const route of app.apiRouteAccess) {
      expect(["public", "agent", "lead", "admin"], `${route.method} ${route.url}`).toContain(route.access);
      if (route.access === "public" && route.url !== "/api/v1/auth/login") {
        expect(route.url).toMatch(/^\/api\/v1\/(chat\/visitor|surveys\/public)\//);
      }
    }
    expect(app.apiRouteAccess.find((r) => r.url === "/api/v1/admin/users")?.access).toBe("admin");
  });

  it("refuses to register an /api/v1 route without an access rule", async () => {
    const bare = Fastify();
    await registerAuth(bare);
    expect(() => bare.get("/api/v1/forgotten", async () => ({}))).toThrow(/no access rule/);
    await bare.close();
  });
});
