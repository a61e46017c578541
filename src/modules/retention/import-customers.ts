import type { ServiceContext } from "../../context.ts";
import { normalizeEmail } from "../customers/identities.ts";
import type { RowError } from "./retention-csv.reader.ts";
import {
  addImportedIdentities,
  insertImportedCustomers,
  selectCustomersByKeys,
} from "./retention-import.repo.ts";
import type { ImportSummary } from "./retention-import.service.ts";

// The customer side of `tend import`: reading a row's customer columns and finding or creating the customers.

/** A row's customer columns: an external id and/or a normalised email, and a name; or why they cannot be used. */
export function readCustomerCells(
  text: (field: string) => string | null,
): { customerKey: string | null; email: string | null; name: string | null } | { error: string } {
  const customerKey = text("customer_id");
  const emailText = text("email");
  if (customerKey === null && emailText === null)
    return { error: "no customer: customer_id and email are both empty" };
  const email = emailText === null ? null : normalizeEmail(emailText);
  if (email !== null && !/^[^\s@]+@[^\s@]+$/.test(email))
    return { error: `email "${emailText}" is not an email address` };
  return { customerKey, email, name: text("name") };
}

/**
 * Finds the customers of a batch by external id, then email; creates the missing ones that have an email (or, for
 * a customers import, an external id) and links an external id to a customer found by email.
 */
export async function resolveCustomers(
  ctx: ServiceContext,
  rows: readonly { line: number; customerKey: string | null; email: string | null; name: string | null }[],
  options: { createWithoutEmail: boolean },
  summary: Pick<ImportSummary, "customersCreated">,
  rowError: (e: RowError) => void,
): Promise<Map<number, { customerId: number; created: boolean }>> {
  const externalIds = [...new Set(rows.flatMap((r) => (r.customerKey === null ? [] : [r.customerKey])))];
  const emails = [...new Set(rows.flatMap((r) => (r.email === null ? [] : [r.email])))];
  const byExternal = new Map<string, number>();
  const byEmail = new Map<string, number>();
  for (const identity of await selectCustomersByKeys(ctx.db, { externalIds, emails })) {
    (identity.kind === "external" ? byExternal : byEmail).set(identity.value, identity.customerId);
  }
  const now = ctx.clock.now();
  const result = new Map<number, { customerId: number; created: boolean }>();
  const toCreate: {
    key: string;
    name: string | null;
    identities: { kind: "email" | "external"; value: string }[];
  }[] = [];
  const pendingKey = new Map<number, string>();
  const creating = new Map<string, number>();
  const links: { customerId: number; kind: "external"; value: string }[] = [];
  for (const row of rows) {
    const found =
      (row.customerKey !== null ? byExternal.get(row.customerKey) : undefined) ??
      (row.email !== null ? byEmail.get(row.email) : undefined);
    if (found !== undefined) {
      result.set(row.line, { customerId: found, created: false });
      if (row.customerKey !== null && !byExternal.has(row.customerKey)) {
        links.push({ customerId: found, kind: "external", value: row.customerKey });
        byExternal.set(row.customerKey, found);
      }
      continue;
    }
    if (row.email === null && !options.createWithoutEmail) {
      rowError({
        line: row.line,
        reason: `no customer with customer_id "${row.customerKey}" (import customers first, or add an email column)`,
      });
      continue;
    }
    // One new customer per key, even when the batch has several rows for them.
    const key = row.customerKey !== null ? `x:${row.customerKey}` : `e:${row.email}`;
    if (!creating.has(key)) {
      creating.set(key, toCreate.length);
      const identities: { kind: "email" | "external"; value: string }[] = [];
      if (row.email !== null) identities.push({ kind: "email", value: row.email });
      if (row.customerKey !== null) identities.push({ kind: "external", value: row.customerKey });
      toCreate.push({ key, name: row.name, identities });
    }
    pendingKey.set(row.line, key);
  }
  const ids = await insertImportedCustomers(ctx.db, toCreate, now);
  summary.customersCreated += ids.length;
  for (const [line, key] of pendingKey) {
    result.set(line, { customerId: ids[creating.get(key) as number], created: true });
  }
  await addImportedIdentities(ctx.db, links, now);
  return result;
}
