import { z } from "zod";
import { bodyIdSchema, cursorSchema, idSchema, limitSchema } from "../../http/api-common.schemas.ts";

export const orderStatusSchema = z.enum([
  "placed",
  "paid",
  "fulfilled",
  "delivered",
  "cancelled",
  "refunded",
]);
const moneyMinor = z.number().int().min(-1_000_000_000_000).max(1_000_000_000_000);
export const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, "must be an ISO 4217 code of 3 upper-case letters, e.g. EUR");

export const orderItemSchema = z.strictObject({
  sku: z.string().max(100).optional(),
  name: z.string().min(1).max(500),
  quantity: z.number().int().min(1).max(1_000_000),
  unitAmountMinor: moneyMinor,
});

export const orderSchema = z.object({
  id: z.number(),
  customerId: z.number(),
  externalId: z.string().nullable(),
  placedAt: z.string(),
  amountMinor: z.number().describe("Integer minor units (cents)"),
  currency: z.string(),
  items: z.array(
    z.object({
      sku: z.string().optional(),
      name: z.string(),
      quantity: z.number(),
      unitAmountMinor: z.number(),
    }),
  ),
  status: orderStatusSchema,
  createdAt: z.string(),
});

export const createOrderBodySchema = z
  .strictObject({
    customerId: bodyIdSchema.optional(),
    customer: z
      .strictObject({ email: z.email().max(320), name: z.string().trim().max(200).optional() })
      .optional(),
    externalId: z.string().trim().min(1).max(200).optional(),
    placedAt: z.iso.datetime({ offset: true }),
    amountMinor: moneyMinor,
    currency: currencySchema,
    items: z.array(orderItemSchema).max(500).optional(),
    status: orderStatusSchema.optional(),
  })
  .refine((body) => (body.customer === undefined) !== (body.customerId === undefined), {
    message: "give either customer or customerId",
    path: ["customer"],
  });

export const updateOrderBodySchema = z.strictObject({ status: orderStatusSchema });

export const orderListQuerySchema = z.object({
  customerId: idSchema.optional(),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});
