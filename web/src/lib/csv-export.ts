// CSV for "Download CSV" buttons on tables the API has no CSV for: RFC 4180 quoting, CRLF line ends, and text
// cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR) defused with a leading apostrophe, because
// customer names and emails come from outside.

export type CsvCell = string | number | boolean | null | undefined;

const formulaStart = /^[=+\-@\t\r]/;

/** One cell as CSV text: numbers as they are, text quoted when it holds a comma, quote or line break. */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  const text = formulaStart.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole CSV document: the header row, then one line per row (every line ends with CRLF). */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((row) => `${row.map(csvCell).join(",")}\r\n`).join("");
}

/** A file name safe on every OS: lowercase words joined by dashes, with the date, ending in .csv. */
export function csvFileName(title: string, date: Date): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return `${slug || "table"}-${date.toISOString().slice(0, 10)}.csv`;
}
