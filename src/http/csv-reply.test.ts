import { expect, it } from "vitest";
import { formatCsv } from "./csv-reply.ts";

type Row = { name: string | null; amount: number; partial: boolean; note?: string };
const columns = [
  { header: "name", value: (row: Row) => row.name },
  { header: "amount", value: (row: Row) => row.amount },
  { header: "partial", value: (row: Row) => row.partial },
  { header: "note", value: (row: Row) => row.note },
];

it("writes RFC 4180 CSV with CRLF line ends, quoting only where needed", () => {
  const csv = formatCsv(columns, [
    { name: "Ada", amount: 12.5, partial: false },
    { name: 'Lee "the lead", Jr', amount: 0, partial: true, note: "two\nlines" },
    { name: null, amount: 3, partial: false },
  ]);
  expect(csv).toBe(
    'name,amount,partial,note\r\nAda,12.5,false,\r\n"Lee ""the lead"", Jr",0,true,"two\nlines"\r\n,3,false,\r\n',
  );
});

it("defuses text a spreadsheet would run as a formula, but writes negative numbers as numbers", () => {
  const csv = formatCsv(columns, [
    { name: "=HYPERLINK(1)", amount: -4, partial: false, note: "-2+3" },
    { name: "@SUM(A1)", amount: -0.5, partial: false, note: "+1" },
  ]);
  expect(csv.split("\r\n").slice(1, 3)).toEqual([
    "'=HYPERLINK(1),-4,false,'-2+3",
    "'@SUM(A1),-0.5,false,'+1",
  ]);
});
