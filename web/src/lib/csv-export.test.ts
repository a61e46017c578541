import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvCell, csvFileName, toCsv } from "./csv-export.ts";

/** A small RFC 4180 reader, to prove that what toCsv writes reads back as the same cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  return rows;
}

describe("CSV for download", () => {
  it("writes a header and rows with CRLF line ends, numbers plain and empty cells for missing values", () => {
    expect(
      toCsv(
        ["Cohort", "Customers", "Share"],
        [
          ["2025-01", 120, 0.25],
          ["2025-02", 80, null],
        ],
      ),
    ).toBe("Cohort,Customers,Share\r\n2025-01,120,0.25\r\n2025-02,80,\r\n");
  });

  it("quotes commas, quotes and line breaks", () => {
    expect(csvCell('Jo "The Roaster", Portland')).toBe('"Jo ""The Roaster"", Portland"');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
  });

  it("defuses text a spreadsheet would run as a formula, but leaves negative numbers alone", () => {
    expect(csvCell("=1+2")).toBe("'=1+2");
    expect(csvCell('=HYPERLINK("http://x.example","x")')).toBe('"\'=HYPERLINK(""http://x.example"",""x"")"');
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("-5")).toBe("'-5");
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell(Number.NaN)).toBe("");
  });

  it("reads back as the same cells for any text without a formula start", () => {
    const safeText = fc.string().filter((s) => !/^[=+\-@\t\r]/.test(s));
    fc.assert(
      fc.property(fc.array(fc.array(safeText, { minLength: 2, maxLength: 2 }), { maxLength: 5 }), (rows) => {
        expect(parseCsv(toCsv(["a", "b"], rows))).toEqual([["a", "b"], ...rows]);
      }),
    );
  });

  it("names files after the table and the day", () => {
    expect(csvFileName("Cohort retention (shares)", new Date("2026-12-04T13:00:00Z"))).toBe(
      "cohort-retention-shares-2026-12-04.csv",
    );
  });
});
