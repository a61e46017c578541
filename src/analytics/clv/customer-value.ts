import { bgNbdConditionalExpectedPurchases, fitBgNbd } from "./bg-nbd.model.ts";
import { discountedLifetimeValue, TIME_UNITS_PER_MONTH } from "./customer-lifetime-value.ts";
import { summarizeTransactions, type Transaction } from "./customer-summary.ts";
import {
  fitGammaGamma,
  gammaGammaConditionalExpectedValue,
  selectSpendObservations,
} from "./gamma-gamma.model.ts";

/**
 * Each customer's predicted discounted value over the next `months`: BG/NBD expected purchases (weeks) times
 * Gamma-Gamma expected spend per purchase, discounted monthly. Customers whose first purchase is after `asOf` are
 * left out. When Gamma-Gamma cannot be fitted (too few repeat buyers, or q <= 1), the customer's own mean order
 * value stands in for the expected spend.
 */
export function predictCustomerValues(
  transactions: readonly Transaction[],
  asOf: Date,
  options: { months: number; monthlyDiscountRate: number },
): Map<string, number> {
  const summaries = summarizeTransactions(transactions, { calibrationEnd: asOf, timeUnit: "week" });
  const result = new Map<string, number>();
  if (summaries.length < 20) return result;
  const bgnbd = fitBgNbd(summaries).params;
  const spend = selectSpendObservations(summaries);
  let gammaGamma: ReturnType<typeof fitGammaGamma> | null = null;
  try {
    gammaGamma = spend.length >= 20 ? fitGammaGamma(spend) : null;
    if (gammaGamma && !(gammaGamma.params.q > 1)) gammaGamma = null;
  } catch {
    gammaGamma = null;
  }
  const meanByCustomer = new Map<string, { total: number; count: number }>();
  for (const t of transactions) {
    if (t.date > asOf) continue;
    const entry = meanByCustomer.get(t.customerId) ?? { total: 0, count: 0 };
    entry.total += t.amount;
    entry.count += 1;
    meanByCustomer.set(t.customerId, entry);
  }
  for (const s of summaries) {
    const own = meanByCustomer.get(s.customerId);
    const perPurchase = gammaGamma
      ? gammaGammaConditionalExpectedValue(gammaGamma.params, s.valuedRepeatCount, s.meanRepeatValue)
      : own && own.count > 0
        ? own.total / own.count
        : 0;
    result.set(
      s.customerId,
      discountedLifetimeValue((t) => bgNbdConditionalExpectedPurchases(bgnbd, t, s), perPurchase, {
        months: options.months,
        monthlyDiscountRate: options.monthlyDiscountRate,
        timeUnitsPerMonth: TIME_UNITS_PER_MONTH.week,
      }),
    );
  }
  return result;
}
