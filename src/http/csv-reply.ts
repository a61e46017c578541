import { stringify } from "csv-stringify/sync";
import type { FastifyReply } from "fastify";

/** Sends a table as a CSV download (RFC 4180 quoting by csv-stringify), with a header row. */
export function sendCsv<Row>(
  reply: FastifyReply,
  filename: string,
  columns: readonly { header: string; value: (row: Row) => string | number | boolean | null | undefined }[],
  rows: readonly Row[],
) {
  const records = rows.map((row) => columns.map((column) => column.value(row) ?? ""));
  const body = stringify(records, { header: true, columns: columns.map((column) => column.header) });
  return reply
    .header("content-type", "text/csv; charset=utf-8")
    .header("content-disposition", `attachment; filename="${filename.replace(/[^\w.-]/g, "_")}"`)
    .send(body);
}
