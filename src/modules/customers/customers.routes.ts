import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { encodeCursor, errorResponses, idParams } from "../../http/api-common.schemas.ts";
import {
  createCustomerChecked,
  getCustomerProfile,
  listCustomers,
  listCustomerTimeline,
} from "./customer-profile.service.ts";
import { presentCustomerDetail, presentCustomerListItem } from "./customers.presenter.ts";
import {
  createCustomerBodySchema,
  customerDetailSchema,
  customerListItemSchema,
  customerListQuerySchema,
  timelineQuerySchema,
  timelineResponseSchema,
} from "./customers.schemas.ts";
import type { IdentityKind } from "./identities.ts";

const tags = ["customers"];

export async function registerCustomerRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const ctx = app.tend;

  app.get(
    "/api/v1/customers",
    {
      config: { access: "agent" },
      schema: {
        tags,
        summary: "Customers, newest first; q matches name, email, phone and other identities",
        querystring: customerListQuerySchema,
        response: {
          200: z.object({ items: z.array(customerListItemSchema), nextCursor: z.string().nullable() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { rows, next } = await listCustomers(
        ctx,
        { q: request.query.q },
        { limit: request.query.limit, after: request.query.cursor },
      );
      return {
        items: rows.map(presentCustomerListItem),
        nextCursor: next ? encodeCursor(next.atMicros, next.id) : null,
      };
    },
  );

  app.post(
    "/api/v1/customers",
    {
      config: { access: "agent" },
      schema: {
        tags,
        summary: "Create a customer; an email or phone that belongs to someone else is 409",
        body: createCustomerBodySchema,
        response: { 201: customerDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const identities: { kind: IdentityKind; value: string }[] = [
        ...(body.email ? [{ kind: "email" as const, value: body.email }] : []),
        ...(body.phone ? [{ kind: "phone" as const, value: body.phone }] : []),
        ...(body.identities ?? []),
      ];
      const customerId = await createCustomerChecked(ctx, {
        name: body.name ?? null,
        identities,
        tier: body.tier ?? null,
        tags: body.tags,
      });
      return reply.status(201).send(presentCustomerDetail(await getCustomerProfile(ctx, customerId)));
    },
  );

  app.get(
    "/api/v1/customers/:id",
    {
      config: { access: "agent" },
      schema: {
        tags,
        summary: "A customer with identities, orders (count, totals, recent) and recent tickets",
        params: idParams,
        response: { 200: customerDetailSchema, ...errorResponses },
      },
    },
    async (request) => presentCustomerDetail(await getCustomerProfile(ctx, request.params.id)),
  );

  app.get(
    "/api/v1/customers/:id/timeline",
    {
      config: { access: "agent" },
      schema: {
        tags,
        summary: "Everything that happened to a customer, newest first",
        params: idParams,
        querystring: timelineQuerySchema,
        response: { 200: timelineResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { rows, next } = await listCustomerTimeline(ctx, request.params.id, {
        limit: request.query.limit,
        after: request.query.cursor,
      });
      return {
        items: rows.map((row) => ({
          id: row.id,
          kind: row.kind,
          summary: row.summary,
          ticketId: row.ticketId,
          occurredAt: row.occurredAt.toISOString(),
          data: row.data,
        })),
        nextCursor: next ? encodeCursor(next.atMicros, next.id) : null,
      };
    },
  );
}
