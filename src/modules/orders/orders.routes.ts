import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { encodeCursor, errorResponses } from "../../http/api-common.schemas.ts";
import { presentOrder } from "./orders.presenter.ts";
import { createOrderBodySchema, orderListQuerySchema, orderSchema } from "./orders.schemas.ts";
import { createOrder, listOrders } from "./orders.service.ts";

/** Orders from shops and integrations; money is integer minor units with an ISO currency. */
export async function registerOrderRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const ctx = app.tend;

  app.post(
    "/api/v1/orders",
    {
      config: { access: "agent" },
      schema: {
        tags: ["orders"],
        summary: "Record an order for a customer (by id, or found/created by email)",
        body: createOrderBodySchema,
        response: { 201: orderSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const order = await createOrder(ctx, { ...request.body, placedAt: new Date(request.body.placedAt) });
      return reply.status(201).send(presentOrder(order));
    },
  );

  app.get(
    "/api/v1/orders",
    {
      config: { access: "agent" },
      schema: {
        tags: ["orders"],
        summary: "Orders, most recently placed first",
        querystring: orderListQuerySchema,
        response: {
          200: z.object({ items: z.array(orderSchema), nextCursor: z.string().nullable() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { rows, next } = await listOrders(
        ctx,
        { customerId: request.query.customerId },
        { limit: request.query.limit, after: request.query.cursor },
      );
      return {
        items: rows.map(presentOrder),
        nextCursor: next ? encodeCursor(next.atMicros, next.id) : null,
      };
    },
  );
}
