import { createHash, randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import type { ServiceContext } from "../../context.ts";
import { AppError, conflict, validationFailed } from "../../errors.ts";
import {
  deleteSession,
  insertApiToken,
  insertSession,
  insertTeam,
  insertUser,
  type Role,
  revokeApiTokenById,
  selectActiveApiTokenByHash,
  selectApiTokens,
  selectLeadIds,
  selectSessionWithUser,
  selectTeamByName,
  selectTeamsWithMembers,
  selectUserByEmail,
  selectUsers,
  type UserRow,
  updateApiTokenLastUsed,
  updateSessionExpiry,
  updateUserStatus,
} from "./users.repo.ts";

type Ctx = Pick<ServiceContext, "db" | "clock">;

export type { Role } from "./users.repo.ts";
export const roles: Role[] = ["agent", "lead", "admin"];
const roleRank: Record<Role, number> = { agent: 0, lead: 1, admin: 2 };

/** True when `role` is at least `required` (agent < lead < admin). */
export function hasRole(role: Role, required: Role): boolean {
  return roleRank[role] >= roleRank[required];
}

export type PublicUser = { id: number; email: string; name: string; role: Role };

export function toPublicUser(user: UserRow): PublicUser {
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/** Recognisable prefix so leaked tokens can be found by secret scanners and told apart from session ids. */
export const apiTokenPrefix = "tend_";
export const sessionLifetimeMs = 14 * 24 * 60 * 60 * 1000;
// Sliding expiry is only written when at least this much of the lifetime has been used, to avoid a write per request.
const sessionRefreshAfterMs = 24 * 60 * 60 * 1000;
const tokenTouchIntervalMs = 60 * 1000;

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** Argon2id with the library's defaults (19 MiB, t=2, p=1: the OWASP baseline). */
export async function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    // A malformed stored hash is a failed login, not a crash.
    return false;
  }
}

/** 24 characters from 144 random bits: strong and still typeable from a terminal. */
export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}

export type CreateUserInput = { email: string; name: string; role: Role; password?: string };

/** Creates an agent account; generates and returns a strong password when none is given. */
export async function createUser(
  ctx: Ctx,
  input: CreateUserInput,
): Promise<{ user: PublicUser; password: string }> {
  const email = input.email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw validationFailed(`"${input.email}" is not an email address`);
  const name = input.name.trim();
  if (!name) throw validationFailed("A user needs a name");
  if (!roles.includes(input.role)) throw validationFailed(`Unknown role "${input.role}"`);
  const password = input.password ?? generatePassword();
  if (password.length < 8) throw validationFailed("Passwords need at least 8 characters");
  const existing = await selectUserByEmail(ctx.db, email);
  if (existing) throw conflict(`A user with email ${email} already exists`);
  const row = await insertUser(ctx.db, {
    email,
    name,
    role: input.role,
    passwordHash: await hashPassword(password),
    createdAt: ctx.clock.now(),
  });
  if (!row) throw conflict(`A user with email ${email} already exists`);
  return { user: toPublicUser(row), password };
}

export type AgentStatus = UserRow["status"];

/**
 * Stores whether an agent is there: "online" agents get routed work and make the chat widget offer live chat.
 * Publishes user.status_changed so open widgets update at once. Routing's setAgentStatus wraps this with the
 * hand-back of unstarted work; call that one.
 */
export async function recordAgentStatus(
  ctx: ServiceContext,
  userId: number,
  status: AgentStatus,
): Promise<UserRow> {
  const user = await updateUserStatus(ctx.db, userId, status, ctx.clock.now());
  if (!user) throw new AppError("not_found", `User ${userId} not found`);
  ctx.events.publish({ type: "user.status_changed", userId, status });
  return user;
}

export async function listUsers(ctx: Pick<ServiceContext, "db">): Promise<UserRow[]> {
  return selectUsers(ctx.db);
}

/** Who hears about a team's escalations: its leads, or every lead and admin when it has none (or no team). */
export async function listLeadIds(ctx: Pick<ServiceContext, "db">, teamId: number | null): Promise<number[]> {
  return selectLeadIds(ctx.db, teamId);
}

/** The team with this name (any case), created when missing. */
export async function findOrCreateTeam(
  ctx: Pick<ServiceContext, "db" | "clock">,
  name: string,
): Promise<{ id: number; name: string; created: boolean }> {
  const existing = await selectTeamByName(ctx.db, name);
  if (existing) return { id: existing.id, name: existing.name, created: false };
  const inserted = await insertTeam(ctx.db, { name, createdAt: ctx.clock.now() });
  if (inserted) return { id: inserted.id, name: inserted.name, created: true };
  // Another process created it between the look-up and the insert.
  const raced = await selectTeamByName(ctx.db, name);
  if (!raced) throw new Error(`Team ${name} neither exists nor could be created`);
  return { id: raced.id, name: raced.name, created: false };
}

export async function listTeams(ctx: Pick<ServiceContext, "db">) {
  return selectTeamsWithMembers(ctx.db);
}

let dummyHash: Promise<string> | undefined;

/**
 * The active user with this email and password, or null. Unknown emails are verified against a dummy hash so
 * the response time does not reveal which emails have accounts.
 */
export async function authenticateWithPassword(
  ctx: Pick<ServiceContext, "db">,
  email: string,
  password: string,
): Promise<UserRow | null> {
  const user = await selectUserByEmail(ctx.db, email);
  if (!user?.passwordHash || !user.active) {
    dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
    await verifyPassword(await dummyHash, password);
    return null;
  }
  return (await verifyPassword(user.passwordHash, password)) ? user : null;
}

export type SessionInfo = { user: UserRow; csrfToken: string; expiresAt: Date; refreshed: boolean };

/** Starts a browser session; the returned id goes in the cookie and only its SHA-256 is stored. */
export async function createSession(
  ctx: Ctx,
  userId: number,
): Promise<{ sessionId: string; csrfToken: string; expiresAt: Date }> {
  const sessionId = randomBytes(32).toString("base64url");
  const csrfToken = randomBytes(32).toString("base64url");
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + sessionLifetimeMs);
  await insertSession(ctx.db, { idHash: sha256Hex(sessionId), userId, csrfToken, expiresAt, createdAt: now });
  return { sessionId, csrfToken, expiresAt };
}

/** The live session for a cookie value, extending its expiry (sliding); null when unknown, expired or disabled. */
export async function resolveSession(ctx: Ctx, sessionId: string): Promise<SessionInfo | null> {
  const idHash = sha256Hex(sessionId);
  const found = await selectSessionWithUser(ctx.db, idHash);
  if (!found) return null;
  const now = ctx.clock.now();
  if (found.session.expiresAt.getTime() <= now.getTime() || !found.user.active) {
    await deleteSession(ctx.db, idHash);
    return null;
  }
  let expiresAt = found.session.expiresAt;
  let refreshed = false;
  if (expiresAt.getTime() - now.getTime() < sessionLifetimeMs - sessionRefreshAfterMs) {
    expiresAt = new Date(now.getTime() + sessionLifetimeMs);
    refreshed = true;
    await updateSessionExpiry(ctx.db, idHash, expiresAt);
  }
  return { user: found.user, csrfToken: found.session.csrfToken, expiresAt, refreshed };
}

export async function endSession(ctx: Pick<ServiceContext, "db">, sessionId: string): Promise<void> {
  await deleteSession(ctx.db, sha256Hex(sessionId));
}

export type CreateApiTokenInput = { name: string; role: Role; createdByUserId?: number | null };

/** Creates an API token; the token is returned once and only its SHA-256 is stored. */
export async function createApiToken(
  ctx: Ctx,
  input: CreateApiTokenInput,
): Promise<{ id: number; token: string }> {
  const name = input.name.trim();
  if (!name) throw validationFailed("A token needs a name");
  if (!roles.includes(input.role)) throw validationFailed(`Unknown role "${input.role}"`);
  const token = `${apiTokenPrefix}${randomBytes(32).toString("base64url")}`;
  const row = await insertApiToken(ctx.db, {
    name,
    role: input.role,
    tokenHash: sha256Hex(token),
    prefix: token.slice(0, apiTokenPrefix.length + 6),
    createdByUserId: input.createdByUserId ?? null,
    createdAt: ctx.clock.now(),
  });
  return { id: row.id, token };
}

export type ApiTokenPrincipal = { id: number; name: string; role: Role; createdByUserId: number | null };

/** The unrevoked token for a bearer value, or null. lastUsedAt is written at most once a minute per token. */
export async function resolveApiToken(ctx: Ctx, token: string): Promise<ApiTokenPrincipal | null> {
  if (!token.startsWith(apiTokenPrefix)) return null;
  const row = await selectActiveApiTokenByHash(ctx.db, sha256Hex(token));
  if (!row) return null;
  const now = ctx.clock.now();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= tokenTouchIntervalMs) {
    await updateApiTokenLastUsed(ctx.db, row.id, now);
  }
  return { id: row.id, name: row.name, role: row.role, createdByUserId: row.createdByUserId };
}

export async function listApiTokens(ctx: Pick<ServiceContext, "db">) {
  const rows = await selectApiTokens(ctx.db);
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: row.prefix,
    createdByUserId: row.createdByUserId,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
    createdAt: row.createdAt,
  }));
}

export async function revokeApiToken(ctx: Ctx, tokenId: number): Promise<void> {
  const revoked = await revokeApiTokenById(ctx.db, tokenId, ctx.clock.now());
  if (!revoked) throw new AppError("not_found", `Active API token ${tokenId} not found`);
}
