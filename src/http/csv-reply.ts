import { stringify } from "csv-stringify/sync";
import type { FastifyReply } from "fastify";

export type CsvColumn<Row> = {
  header: string;
  value: (row: Row) => string | number | boolean | null | undefined;
};

/**
 * A table as RFC 4180 CSV (csv-stringify): a header row, CRLF line ends, quotes where needed, empty cells for
 * null. A text cell a spreadsheet would run as a formula (=, +, -, @, tab or CR first, or their full-width forms)
 * gets a leading ' so an exported customer name cannot execute; numbers, negative ones too, are written as they are.
 */
export function formatCsv<Row>(columns: readonly CsvColumn<Row>[], rows: readonly Row[]): string {
  const records = rows.map((row) => columns.map((column) => column.value(row) ?? ""));
  return stringify(records, {
    header: true,
    columns: columns.map((column) => column.header),
    record_delimiter: "windows",
    // With an explicit record delimiter csv-stringify stops quoting a bare \n or \r inside a cell unless told to.
    quote_record_delimiter: true,
    escape_formulas: true,
    // csv-stringify writes true as 1 and false as an empty cell; a reader of the file wants the words.
    cast: { boolean: (value) => String(value) },
  });
}

/** Sends a table as a CSV download (see formatCsv); never cached, as exports carry customer data. */
export function sendCsv<Row>(
  reply: FastifyReply,
  filename: string,
  columns: readonly CsvColumn<Row>[],
  rows: readonly Row[],
) {
  return reply
    .header("content-type", "text/csv; charset=utf-8")
    .header("content-disposition", `attachment; filename="${filename.replace(/[^\w.-]/g, "_")}"`)
    .header("cache-control", "private, no-store")
    .send(formatCsv(columns, rows));
}
