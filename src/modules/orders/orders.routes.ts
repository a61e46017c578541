import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { encodeCursor, errorResponses, idParams } from "../../http/api-common.schemas.ts";
import { recordOrder, updateOrderStatus } from "../../workflows/record-order.workflow.ts";
import { presentOrder } from "./orders.presenter.ts";
import {
  createOrderBodySchema,
  orderListQuerySchema,
  orderSchema,
  updateOrderBodySchema,
} from "./orders.schemas.ts";
import { listOrders } from "./orders.service.ts";

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
      const order = await recordOrder(ctx, { ...request.body, placedAt: new Date(request.body.placedAt) });
      return reply.status(201).send(presentOrder(order));
    },
  );

  app.patch(
    "/api/v1/orders/:id",
    {
      config: { access: "agent" },
      schema: {
        tags: ["orders"],
        summary: "Move an order to a new status (paid, fulfilled, delivered, cancelled, refunded)",
        params: idParams,
        body: updateOrderBodySchema,
        response: { 200: orderSchema, ...errorResponses },
      },
    },
    async (request) => presentOrder(await updateOrderStatus(ctx, request.params.id, request.body.status)),
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
