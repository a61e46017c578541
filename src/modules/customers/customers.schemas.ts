import { z } from "zod";
import { cursorSchema, limitSchema } from "../../http/api-common.schemas.ts";
import { orderSchema } from "../orders/orders.schemas.ts";
import { ticketSummarySchema } from "../tickets/tickets.schemas.ts";

export const identityKindSchema = z.enum(["email", "phone", "chat", "external", "social"]);

export const customerListItemSchema = z.object({
  id: z.number(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  organization: z.object({ id: z.number(), name: z.string() }).nullable(),
  tier: z.string().nullable(),
  tags: z.array(z.string()),
  createdAt: z.string(),
});

export const customerDetailSchema = z.object({
  id: z.number(),
  name: z.string().nullable(),
  organization: z.object({ id: z.number(), name: z.string() }).nullable(),
  tier: z.string().nullable(),
  tags: z.array(z.string()),
  identities: z.array(z.object({ kind: identityKindSchema, value: z.string() })),
  orders: z.object({
    count: z.number(),
    totals: z.array(z.object({ currency: z.string(), amountMinor: z.number() })),
    recent: z.array(orderSchema),
  }),
  tickets: z.array(ticketSummarySchema),
  createdAt: z.string(),
});

export const customerListQuerySchema = z.object({
  q: z.string().max(200).optional(),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});

export const createCustomerBodySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    email: z.email().max(320).optional(),
    phone: z.string().trim().min(3).max(50).optional(),
    identities: z
      .array(z.strictObject({ kind: identityKindSchema, value: z.string().trim().min(1).max(320) }))
      .max(20)
      .optional(),
    tier: z.string().trim().max(50).optional(),
    tags: z.array(z.string().trim().min(1).max(64)).max(50).optional(),
  })
  .refine((body) => body.name || body.email || body.phone || (body.identities?.length ?? 0) > 0, {
    message: "give at least a name, email, phone or identity",
    path: ["name"],
  });

export const timelineQuerySchema = z.object({ limit: limitSchema, cursor: cursorSchema.optional() });

export const timelineResponseSchema = z.object({
  items: z.array(
    z.object({
      id: z.number(),
      kind: z.string(),
      summary: z.string(),
      ticketId: z.number().nullable(),
      occurredAt: z.string(),
      data: z.record(z.string(), z.unknown()),
    }),
  ),
  nextCursor: z.string().nullable(),
});
