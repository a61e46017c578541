import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { validationFailed } from "../../errors.ts";
import { bodyIdSchema, errorResponses } from "../../http/api-common.schemas.ts";
import { meUserId } from "../../http/auth.ts";
import { listNotifications, markNotificationsRead } from "./notifications.service.ts";

const notificationSchema = z.object({
  id: z.number(),
  kind: z.string(),
  ticketId: z.number().nullable(),
  text: z.string(),
  read: z.boolean(),
  createdAt: z.string(),
});

/** The signed-in user's own notifications; an API token has no user and so none. */
export async function registerNotificationRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const ctx = app.tend;

  const userIdOf = (request: Parameters<typeof meUserId>[0]) => {
    const userId = meUserId(request);
    if (userId === null)
      throw validationFailed("Notifications belong to users; sign in, or use a token a user made");
    return userId;
  };

  app.get(
    "/api/v1/notifications",
    {
      config: { access: "agent" },
      schema: {
        tags: ["notifications"],
        summary: "My notifications (newest first) and how many are unread",
        querystring: z.object({ unread: z.enum(["true", "false"]).optional() }),
        response: {
          200: z.object({ items: z.array(notificationSchema), unread: z.number() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const result = await listNotifications(ctx, userIdOf(request), {
        unreadOnly: request.query.unread === "true",
      });
      return {
        unread: result.unread,
        items: result.items.map((row) => ({
          id: row.id,
          kind: row.kind,
          ticketId: row.ticketId,
          text: row.text,
          read: row.readAt !== null,
          createdAt: row.createdAt.toISOString(),
        })),
      };
    },
  );

  app.post(
    "/api/v1/notifications/read",
    {
      config: { access: "agent" },
      schema: {
        tags: ["notifications"],
        summary: "Mark notifications read (all of mine when no ids are given)",
        body: z.strictObject({ ids: z.array(bodyIdSchema).max(500).optional() }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await markNotificationsRead(ctx, userIdOf(request), request.body.ids);
      return reply.code(204).send(null);
    },
  );
}
