import type { z } from "zod";
import type { OrderRow } from "./orders.repo.ts";
import type { orderSchema } from "./orders.schemas.ts";

export function presentOrder(row: OrderRow): z.infer<typeof orderSchema> {
  return {
    id: row.id,
    customerId: row.customerId,
    externalId: row.externalId,
    placedAt: row.placedAt.toISOString(),
    amountMinor: row.amountMinor,
    currency: row.currency,
    items: row.items,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
  };
}
