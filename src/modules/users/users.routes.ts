import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorResponses, publicUserSchema, roleSchema } from "../../http/api-common.schemas.ts";
import { actorUserId } from "../../http/auth.ts";
import { createApiToken, createUser, listApiTokens, listTeams, listUsers } from "./users.service.ts";

const agentStatusSchema = z.enum(["online", "away", "offline"]);

const userListItem = z.object({
  id: z.number(),
  name: z.string(),
  email: z.string(),
  role: roleSchema,
  status: agentStatusSchema,
  active: z.boolean(),
});

/**
 * Users, teams and API tokens. Any agent may list users and teams (for assignment); only admins create users
 * and tokens, because a token or account can carry any role up to admin.
 */
export async function registerUserRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const ctx = app.tend;

  app.get(
    "/api/v1/users",
    {
      config: { access: "agent" },
      schema: {
        tags: ["users"],
        summary: "Agents, for assignment pickers",
        response: { 200: z.object({ items: z.array(userListItem) }), ...errorResponses },
      },
    },
    async () => {
      const users = await listUsers(ctx);
      return {
        items: users.map((u) => ({
          id: u.id,
          name: u.name,
          email: u.email,
          role: u.role,
          status: u.status,
          active: u.active,
        })),
      };
    },
  );

  app.get(
    "/api/v1/teams",
    {
      config: { access: "agent" },
      schema: {
        tags: ["users"],
        summary: "Teams with their member ids",
        response: {
          200: z.object({
            items: z.array(z.object({ id: z.number(), name: z.string(), memberIds: z.array(z.number()) })),
          }),
          ...errorResponses,
        },
      },
    },
    async () => ({ items: await listTeams(ctx) }),
  );

  app.get(
    "/api/v1/admin/users",
    {
      config: { access: "admin" },
      schema: {
        tags: ["admin"],
        summary: "All user accounts (admin)",
        response: { 200: z.object({ items: z.array(userListItem) }), ...errorResponses },
      },
    },
    async () => {
      const users = await listUsers(ctx);
      return {
        items: users.map((u) => ({
          id: u.id,
          name: u.name,
          email: u.email,
          role: u.role,
          status: u.status,
          active: u.active,
        })),
      };
    },
  );

  app.post(
    "/api/v1/admin/users",
    {
      config: { access: "admin" },
      schema: {
        tags: ["admin"],
        summary: "Create a user; the password is generated and returned once when none is given (admin)",
        body: z.strictObject({
          email: z.email().max(320),
          name: z.string().trim().min(1).max(200),
          role: roleSchema,
          password: z.string().min(8).max(1024).optional(),
        }),
        response: { 201: z.object({ user: publicUserSchema, password: z.string() }), ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await createUser(ctx, request.body)),
  );

  app.get(
    "/api/v1/admin/tokens",
    {
      config: { access: "admin" },
      schema: {
        tags: ["admin"],
        summary: "API tokens (never the token itself) (admin)",
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.number(),
                name: z.string(),
                role: roleSchema,
                prefix: z.string(),
                createdByUserId: z.number().nullable(),
                lastUsedAt: z.string().nullable(),
                revokedAt: z.string().nullable(),
                createdAt: z.string(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async () => ({
      items: (await listApiTokens(ctx)).map((t) => ({
        ...t,
        lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
        revokedAt: t.revokedAt?.toISOString() ?? null,
        createdAt: t.createdAt.toISOString(),
      })),
    }),
  );

  app.post(
    "/api/v1/admin/tokens",
    {
      config: { access: "admin" },
      schema: {
        tags: ["admin"],
        summary: "Create an API token; it is shown once in this response (admin)",
        body: z.strictObject({ name: z.string().trim().min(1).max(200), role: roleSchema }),
        response: {
          201: z.object({ id: z.number(), name: z.string(), role: roleSchema, token: z.string() }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const created = await createApiToken(ctx, { ...request.body, createdByUserId: actorUserId(request) });
      return reply
        .status(201)
        .send({ id: created.id, name: request.body.name, role: request.body.role, token: created.token });
    },
  );
}
