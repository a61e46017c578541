// Cell parsers for imports: dates in the formats shops export, amounts into integer minor units.

export type DateFormat = "iso" | "dmy" | "mdy";

const ISO =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const SLASHED = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[T ,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * Parses a date or timestamp: ISO 8601 (yyyy-mm-dd, with an optional time and offset; no offset means UTC) and
 * yyyymmdd always; dd/mm/yyyy (or with . or -) with "dmy", mm/dd/yyyy with "mdy". Undefined when it is not one.
 */
export function parseImportDate(text: string, format: DateFormat): Date | undefined {
  const iso = ISO.exec(text);
  let y: number;
  let mo: number;
  let d: number;
  let h = 0;
  let mi = 0;
  let s = 0;
  let offsetMinutes = 0;
  if (iso) {
    [y, mo, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    if (iso[4] !== undefined) [h, mi, s] = [Number(iso[4]), Number(iso[5]), Number(iso[6] ?? 0)];
    if (iso[7] && iso[7].toUpperCase() !== "Z") {
      const m = /^([+-])(\d{2}):?(\d{2})$/.exec(iso[7]);
      if (!m) return undefined;
      offsetMinutes = (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
    }
  } else if (COMPACT.test(text)) {
    const m = COMPACT.exec(text) as RegExpExecArray;
    [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  } else {
    const m = SLASHED.exec(text);
    if (!m || format === "iso") return undefined;
    [d, mo] = format === "dmy" ? [Number(m[1]), Number(m[2])] : [Number(m[2]), Number(m[1])];
    y = Number(m[3]);
    if (m[4] !== undefined) [h, mi, s] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  }
  if (h > 23 || mi > 59 || s > 59) return undefined;
  const local = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (local.getUTCFullYear() !== y || local.getUTCMonth() !== mo - 1 || local.getUTCDate() !== d)
    return undefined;
  return new Date(local.getTime() - offsetMinutes * 60_000);
}

/** Digits after the decimal point in a currency's minor unit (EUR 2, JPY 0, KWD 3). */
export function minorDigitsOf(currency: string): number {
  try {
    return (
      new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}

/**
 * Parses a money amount into integer minor units, exactly (no floating point): "1234.5", "1,234.50", "€12.00",
 * "12.00 EUR"; with decimalComma "1.234,50". Returns an error message instead when it cannot.
 */
export function parseAmountMinor(
  text: string,
  digits: number,
  options: { decimalComma?: boolean } = {},
): { minor: number } | { error: string } {
  let t = text
    .trim()
    .replace(/^[A-Z]{3}\s*|\s*[A-Z]{3}$/g, "")
    .replace(/[€$£¥\s]/g, "");
  let negative = false;
  if (/^\(.*\)$/.test(t)) {
    negative = true;
    t = t.slice(1, -1);
  }
  if (t.startsWith("-")) {
    negative = !negative;
    t = t.slice(1);
  } else if (t.startsWith("+")) t = t.slice(1);
  const [thousands, decimal] = options.decimalComma ? [".", ","] : [",", "."];
  const pattern = new RegExp(
    `^(\\d{1,3}(?:\\${thousands}\\d{3})+|\\d+)(?:\\${decimal}(\\d+))?$|^\\${decimal}(\\d+)$`,
  );
  const m = pattern.exec(t);
  if (!m) return { error: "is not an amount" };
  const whole = (m[1] ?? "0").split(thousands).join("");
  const fraction = m[2] ?? m[3] ?? "";
  if (fraction.length > digits && /[1-9]/.test(fraction.slice(digits))) {
    return { error: `has more than ${digits} decimal places` };
  }
  const minor = Number(whole) * 10 ** digits + Number((fraction.slice(0, digits) || "0").padEnd(digits, "0"));
  if (!Number.isSafeInteger(minor) || minor > 1_000_000_000_000) return { error: "is too large" };
  return { minor: negative ? -minor : minor };
}
