import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { buildTestContext } from "../../../test/app.ts";
import { describeDb, useTestDatabase } from "../../../test/db.ts";
import { apiTokens, users } from "../../db/schema.ts";
import {
  authenticateWithPassword,
  createApiToken,
  createSession,
  createUser,
  resolveApiToken,
  resolveSession,
  sessionLifetimeMs,
} from "./users.service.ts";

describeDb("users service", () => {
  const database = useTestDatabase();

  it("creates a user with an argon2id hash and a generated strong password", async () => {
    const ctx = buildTestContext(database.current);
    const { user, password } = await createUser(ctx, { email: "Lee@Example.com", name: "Lee", role: "lead" });
    expect(user).toMatchObject({ email: "lee@example.com", name: "Lee", role: "lead" });
    expect(password.length).toBeGreaterThanOrEqual(20);
    const [row] = await ctx.db.select().from(users).where(eq(users.id, user.id));
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.passwordHash).not.toContain(password);
    expect(await authenticateWithPassword(ctx, "LEE@example.com", password)).toMatchObject({ id: user.id });
    expect(await authenticateWithPassword(ctx, "lee@example.com", "wrong-password")).toBeNull();
    expect(await authenticateWithPassword(ctx, "nobody@example.com", password)).toBeNull();
  });

  it("refuses a duplicate email whatever its case", async () => {
    const ctx = buildTestContext(database.current);
    await createUser(ctx, {
      email: "dup@example.com",
      name: "One",
      role: "agent",
      password: "correct horse",
    });
    await expect(
      createUser(ctx, { email: "DUP@example.com", name: "Two", role: "agent" }),
    ).rejects.toMatchObject({ code: "conflict" });
  });

  it("stores only the SHA-256 of API tokens and ignores revoked ones", async () => {
    const ctx = buildTestContext(database.current);
    const { id, token } = await createApiToken(ctx, { name: "ci", role: "agent" });
    expect(token).toMatch(/^tend_/);
    const [row] = await ctx.db.select().from(apiTokens).where(eq(apiTokens.id, id));
    expect(row.tokenHash).not.toContain(token);
    expect(await resolveApiToken(ctx, token)).toMatchObject({ id, role: "agent" });
    await ctx.db.update(apiTokens).set({ revokedAt: ctx.clock.now() }).where(eq(apiTokens.id, id));
    expect(await resolveApiToken(ctx, token)).toBeNull();
  });

  it("expires sessions after 14 days of inactivity and slides while used", async () => {
    const ctx = buildTestContext(database.current);
    const { user } = await createUser(ctx, { email: "s@example.com", name: "S", role: "agent" });
    const session = await createSession(ctx, user.id);
    ctx.clock.advance(sessionLifetimeMs - 60_000);
    expect(await resolveSession(ctx, session.sessionId)).not.toBeNull();
    ctx.clock.advance(sessionLifetimeMs - 60_000);
    expect(await resolveSession(ctx, session.sessionId)).not.toBeNull();
    ctx.clock.advance(sessionLifetimeMs + 1);
    expect(await resolveSession(ctx, session.sessionId)).toBeNull();
  });
});
