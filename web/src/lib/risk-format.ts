// The customer's value and churn risk in words, for the inbox chip and the customer panel.
import type { TicketSummary } from "../api/api-types.ts";

export type CustomerRisk = NonNullable<TicketSummary["customerRisk"]>;

const bandLabels: Record<CustomerRisk["band"], string> = { low: "low", medium: "medium", high: "high" };

/** Whole currency units, rounded ("€1,235"): a chip needs the size of the sum, not its cents. */
export function formatMoneyRounded(amountMinor: number, currency: string, locale?: string): string {
  try {
    const format = new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      maximumFractionDigits: 0,
    });
    const digits =
      new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ??
      2;
    return format.format(Math.round(amountMinor / 10 ** digits));
  } catch {
    return `${Math.round(amountMinor / 100)} ${currency}`;
  }
}

export function riskBandLabel(band: CustomerRisk["band"]): string {
  return bandLabels[band];
}

/** "€420 at risk · high" for an inbox row, or null when there is no value at risk to show. */
export function describeRiskChip(
  risk: TicketSummary["customerRisk"],
  locale?: string,
): { text: string; label: string; band: CustomerRisk["band"] } | null {
  if (!risk || risk.valueAtRiskMinor === null || risk.currency === null || risk.valueAtRiskMinor <= 0)
    return null;
  const money = formatMoneyRounded(risk.valueAtRiskMinor, risk.currency, locale);
  return {
    text: `${money} at risk · ${bandLabels[risk.band]}`,
    label: `${money} of predicted customer value at risk; churn risk ${bandLabels[risk.band]} (${risk.score} of 100)`,
    band: risk.band,
  };
}
