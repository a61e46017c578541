import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import type { ServiceContext } from "../../context.ts";
import { orderStatusEnum } from "../../db/schema.ts";
import { withTransaction } from "../../db/transaction.ts";
import { validationFailed } from "../../errors.ts";
import { formatMoney } from "../orders/orders.service.ts";
import { recordTimelineEvents } from "../timeline/timeline.service.ts";
import { readCustomerCells, resolveCustomers } from "./import-customers.ts";
import { type DateFormat, minorDigitsOf, parseAmountMinor, parseImportDate } from "./import-values.ts";
import { type RowError, readCsvRows } from "./retention-csv.reader.ts";
import {
  addImportedIdentities,
  countImportTuples,
  insertImportedOrders,
  selectMaxTicketId,
  startImportTuples,
  updateImportedCustomerNames,
} from "./retention-import.repo.ts";
import { readTicketRow, type TicketRowInput, writeTicketBatch } from "./ticket-import.ts";

export type ImportKind = "orders" | "customers" | "tickets";

/** The fields each import reads; a file's columns are mapped onto them (by default a column named like the field). */
export const IMPORT_FIELDS: Record<ImportKind, { required: string[]; optional: string[] }> = {
  orders: {
    required: ["placed_at", "amount"],
    optional: ["customer_id", "email", "name", "order_id", "currency", "status"],
  },
  customers: { required: [], optional: ["customer_id", "email", "name"] },
  tickets: {
    required: ["subject", "created_at"],
    optional: [
      "customer_id",
      "email",
      "name",
      "ticket_id",
      "status",
      "solved_at",
      "channel",
      "priority",
      "tags",
      "body",
      "sent_at",
      "author",
    ],
  },
};

export interface ImportOptions {
  kind: ImportKind;
  file: string;
  /** Field -> column header, e.g. { placed_at: "Date" }. */
  map: Record<string, string>;
  /** Currency of amounts when there is no currency column (ISO 4217). */
  currency: string;
  dateFormat: DateFormat;
  decimalComma: boolean;
  /** Import the good rows even when some rows are bad (default: any bad row imports nothing). */
  partial: boolean;
  batchSize?: number;
  onProgress?: (progress: ImportProgress) => void;
  /** Every row error as it is found (the summary keeps only the first ones). */
  onRowError?: (error: RowError) => void;
}

export interface ImportProgress {
  bytesRead: number;
  totalBytes: number;
  rows: number;
}

export interface ImportSummary {
  kind: ImportKind;
  file: string;
  /** Data rows read (header excluded). */
  rows: number;
  /** Orders or tickets inserted, or customers created plus updated. */
  imported: number;
  /** Messages stored with imported tickets (a tickets file with a body column). */
  messages: number;
  /**
   * Rows skipped as already imported, left as they are: orders or tickets whose id is stored, and orders without an
   * id whose customer, date, amount and currency (and their count in the file) match an imported row.
   */
  alreadyPresent: number;
  customersCreated: number;
  customersUpdated: number;
  rowErrors: number;
  /** The first row errors, by line number. */
  errors: RowError[];
  /** Whether anything was written: false when rows were bad and --partial was not given. */
  committed: boolean;
  partial: boolean;
}

const KEPT_ERRORS = 100;
const STATUSES = new Set<string>(orderStatusEnum.enumValues);

interface OrderRowInput {
  line: number;
  customerKey: string | null;
  email: string | null;
  name: string | null;
  orderId: string | null;
  placedAt: Date;
  amountMinor: number;
  currency: string;
  status: (typeof orderStatusEnum.enumValues)[number];
}

class RolledBack extends Error {}

/**
 * Imports orders or customers from a CSV file, streamed in batches inside one transaction. A bad row (unreadable
 * date or amount, unknown customer, ...) is reported with its line number; unless `partial` is set, any bad row
 * rolls the whole import back, so a failed import changes nothing. Orders with an order id already stored are
 * skipped, and so are rows without one whose key (see importKeysOf) is stored, so importing the same file twice adds
 * nothing the second time.
 */
export async function importCsv(ctx: ServiceContext, options: ImportOptions): Promise<ImportSummary> {
  if (!/^[A-Z]{3}$/.test(options.currency))
    throw validationFailed("currency must be an ISO 4217 code like EUR");
  const fields = IMPORT_FIELDS[options.kind];
  for (const field of Object.keys(options.map)) {
    if (!fields.required.includes(field) && !fields.optional.includes(field)) {
      throw validationFailed(
        `--map ${field}=...: ${options.kind} have no field ${field}; they have ${[...fields.required, ...fields.optional].join(", ")}`,
      );
    }
  }
  const column = (field: string) => options.map[field] ?? field;
  const totalBytes = statSync(options.file, { throwIfNoEntry: false })?.size ?? 0;
  const summary: ImportSummary = {
    kind: options.kind,
    file: options.file,
    rows: 0,
    imported: 0,
    messages: 0,
    alreadyPresent: 0,
    customersCreated: 0,
    customersUpdated: 0,
    rowErrors: 0,
    errors: [],
    committed: false,
    partial: options.partial,
  };
  const rowError = (error: RowError) => {
    summary.rowErrors++;
    if (summary.errors.length < KEPT_ERRORS) summary.errors.push(error);
    options.onRowError?.(error);
  };
  let bytesRead = 0;
  const batchSize = options.batchSize ?? 1000;
  try {
    await withTransaction(ctx, async (tx) => {
      if (options.kind === "orders") await startImportTuples(tx.db);
      const ticketsBefore = options.kind === "tickets" ? await selectMaxTicketId(tx.db) : 0;
      let batch: OrderRowInput[] = [];
      let customerBatch: CustomerRowInput[] = [];
      let ticketBatch: TicketRowInput[] = [];
      let checkedColumns = false;
      for await (const row of readCsvRows(options.file, {
        required: fields.required.map((field) => ({ name: column(field), flag: `--map ${field}=` })),
        onRowError: (e) => {
          summary.rows++;
          rowError(e);
        },
        onBytesRead: (bytes) => {
          bytesRead = bytes;
        },
      })) {
        summary.rows++;
        if (!checkedColumns) {
          checkedColumns = true;
          if (row.cells[column("customer_id")] === undefined && row.cells[column("email")] === undefined) {
            throw validationFailed(
              `${options.file}: no customer column; name one with --map customer_id=NAME or --map email=NAME`,
            );
          }
        }
        const text = (field: string) => {
          const value = row.cells[column(field)]?.trim();
          return value === undefined || value === "" ? null : value;
        };
        if (options.kind === "customers") {
          const input = readCustomerRow(row.line, text, rowError);
          if (input) customerBatch.push(input);
          if (customerBatch.length >= batchSize) {
            await writeCustomerBatch(tx, customerBatch, summary, rowError);
            customerBatch = [];
            options.onProgress?.({ bytesRead, totalBytes, rows: summary.rows });
          }
          continue;
        }
        if (options.kind === "tickets") {
          const input = readTicketRow(row.line, text, options.dateFormat, rowError);
          if (input) ticketBatch.push(input);
          if (ticketBatch.length >= batchSize) {
            await writeTicketBatch(tx, ticketBatch, summary, rowError, ticketsBefore);
            ticketBatch = [];
            options.onProgress?.({ bytesRead, totalBytes, rows: summary.rows });
          }
          continue;
        }
        const input = readOrderRow(row.line, text, options, rowError);
        if (input) batch.push(input);
        if (batch.length >= batchSize) {
          await writeOrderBatch(tx, batch, summary, rowError);
          batch = [];
          options.onProgress?.({ bytesRead, totalBytes, rows: summary.rows });
        }
      }
      await writeOrderBatch(tx, batch, summary, rowError);
      await writeCustomerBatch(tx, customerBatch, summary, rowError);
      await writeTicketBatch(tx, ticketBatch, summary, rowError, ticketsBefore);
      options.onProgress?.({ bytesRead: totalBytes, totalBytes, rows: summary.rows });
      if (summary.rowErrors > 0 && !options.partial) throw new RolledBack();
    });
    summary.committed = true;
  } catch (error) {
    if (!(error instanceof RolledBack)) throw error;
    // Rolled back: nothing of this file is stored, so report nothing as imported.
    summary.imported = 0;
    summary.messages = 0;
    summary.alreadyPresent = 0;
    summary.customersCreated = 0;
    summary.customersUpdated = 0;
  }
  return summary;
}

function readOrderRow(
  line: number,
  text: (field: string) => string | null,
  options: ImportOptions,
  rowError: (e: RowError) => void,
): OrderRowInput | null {
  const fail = (reason: string) => {
    rowError({ line, reason });
    return null;
  };
  const customer = readCustomerCells(text);
  if ("error" in customer) return fail(customer.error);
  const dateText = text("placed_at");
  if (dateText === null) return fail("placed_at is empty");
  const placedAt = parseImportDate(dateText, options.dateFormat);
  if (placedAt === undefined) {
    const formats = { iso: "yyyy-mm-dd", dmy: "dd/mm/yyyy", mdy: "mm/dd/yyyy" }[options.dateFormat];
    return fail(`placed_at "${dateText}" is not a date (expected ${formats} or an ISO timestamp)`);
  }
  const currency = (text("currency") ?? options.currency).toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) return fail(`currency "${currency}" is not an ISO 4217 code like EUR`);
  const amountText = text("amount");
  if (amountText === null) return fail("amount is empty");
  const amount = parseAmountMinor(amountText, minorDigitsOf(currency), {
    decimalComma: options.decimalComma,
  });
  if ("error" in amount) return fail(`amount "${amountText}" ${amount.error}`);
  if (amount.minor < 0) return fail(`amount "${amountText}" is negative (import refunds as status refunded)`);
  const status = (text("status") ?? "placed").toLowerCase();
  if (!STATUSES.has(status)) return fail(`status "${status}" is not one of ${[...STATUSES].join(", ")}`);
  return {
    line,
    ...customer,
    orderId: text("order_id"),
    placedAt,
    amountMinor: amount.minor,
    currency,
    status: status as OrderRowInput["status"],
  };
}

interface CustomerRowInput {
  line: number;
  customerKey: string | null;
  email: string | null;
  name: string | null;
}

function readCustomerRow(
  line: number,
  text: (field: string) => string | null,
  rowError: (e: RowError) => void,
): CustomerRowInput | null {
  const customer = readCustomerCells(text);
  if ("error" in customer) {
    rowError({ line, reason: customer.error });
    return null;
  }
  return { line, ...customer };
}

/** The digest of an order row's (customer as the file names them, date, amount, currency): 128 bits, base64url. */
function orderTupleDigest(row: OrderRowInput): string {
  const customer = row.customerKey !== null ? `id:${row.customerKey}` : `email:${row.email}`;
  return createHash("sha256")
    .update(JSON.stringify([customer, row.placedAt.toISOString(), row.amountMinor, row.currency]))
    .digest("base64url")
    .slice(0, 22);
}

/**
 * Stable keys for the rows without an order id: the digest of (customer, date, amount, currency) and which
 * occurrence of that tuple in the file the row is (0 for the first). Two identical purchases in one file stay two
 * orders, and the same file imported again, in any row order, gives the same keys, so nothing is added twice.
 */
async function importKeysOf(
  ctx: ServiceContext,
  batch: readonly OrderRowInput[],
): Promise<Map<number, string>> {
  const digests = new Map<number, string>();
  const inBatch = new Map<string, number>();
  for (const row of batch) {
    if (row.orderId !== null) continue;
    const digest = orderTupleDigest(row);
    digests.set(row.line, digest);
    inBatch.set(digest, (inBatch.get(digest) ?? 0) + 1);
  }
  const totals = await countImportTuples(ctx.db, inBatch);
  // Occurrences before this batch = the running total less this batch's own rows.
  const next = new Map([...inBatch].map(([digest, n]) => [digest, (totals.get(digest) ?? n) - n]));
  const keys = new Map<number, string>();
  for (const [line, digest] of digests) {
    const occurrence = next.get(digest) ?? 0;
    next.set(digest, occurrence + 1);
    keys.set(line, `${digest}:${occurrence}`);
  }
  return keys;
}

async function writeOrderBatch(
  ctx: ServiceContext,
  batch: readonly OrderRowInput[],
  summary: ImportSummary,
  rowError: (e: RowError) => void,
): Promise<void> {
  if (batch.length === 0) return;
  const importKeys = await importKeysOf(ctx, batch);
  const customers = await resolveCustomers(ctx, batch, { createWithoutEmail: false }, summary, rowError);
  const now = ctx.clock.now();
  const rows = batch.flatMap((row) => {
    const customer = customers.get(row.line);
    if (customer === undefined) return [];
    return [
      {
        customerId: customer.customerId,
        externalId: row.orderId,
        importKey: importKeys.get(row.line) ?? null,
        placedAt: row.placedAt,
        amountMinor: row.amountMinor,
        currency: row.currency,
        items: [],
        status: row.status,
        createdAt: now,
      },
    ];
  });
  const inserted = await insertImportedOrders(ctx.db, rows);
  summary.imported += inserted.length;
  summary.alreadyPresent += rows.length - inserted.length;
  await recordTimelineEvents(
    ctx.db,
    inserted.map((order) => ({
      customerId: order.customerId,
      kind: "order.placed",
      summary: `Order ${order.externalId ?? `#${order.id}`} placed: ${formatMoney(order.amountMinor, order.currency)} (imported)`,
      data: { orderId: order.id, amountMinor: order.amountMinor, currency: order.currency, imported: true },
      occurredAt: order.placedAt,
    })),
  );
}

async function writeCustomerBatch(
  ctx: ServiceContext,
  batch: readonly CustomerRowInput[],
  summary: ImportSummary,
  rowError: (e: RowError) => void,
): Promise<void> {
  if (batch.length === 0) return;
  const customers = await resolveCustomers(ctx, batch, { createWithoutEmail: true }, summary, rowError);
  const renames: { id: number; name: string }[] = [];
  const emails: { customerId: number; kind: "email"; value: string }[] = [];
  for (const row of batch) {
    const customer = customers.get(row.line);
    if (customer === undefined || customer.created) continue;
    if (row.name !== null) renames.push({ id: customer.customerId, name: row.name });
    if (row.email !== null) emails.push({ customerId: customer.customerId, kind: "email", value: row.email });
  }
  const now = ctx.clock.now();
  await updateImportedCustomerNames(ctx.db, renames, now);
  await addImportedIdentities(ctx.db, emails, now);
  const created = new Set([...customers.values()].filter((c) => c.created).map((c) => c.customerId)).size;
  const updated = new Set([...customers.values()].filter((c) => !c.created).map((c) => c.customerId)).size;
  summary.customersUpdated += updated;
  summary.imported += created + updated;
}
