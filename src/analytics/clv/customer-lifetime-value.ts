/**
 * Model time units in one month, as lifetimes counts them (`customer_lifetime_value`'s freq): 30 days, 4.345 weeks.
 * Use the unit the purchase model was fitted in.
 */
export const TIME_UNITS_PER_MONTH = { day: 30, week: 4.345, month: 1 } as const;

export interface LifetimeValueOptions {
  /** Horizon in months. */
  months: number;
  /** Discount rate per month (0.01 = 1 % a month). */
  monthlyDiscountRate: number;
  /** How many of the purchase model's time units make a month (see TIME_UNITS_PER_MONTH). */
  timeUnitsPerMonth: number;
}

/**
 * Discounted customer lifetime value over a horizon: sum over months k of
 * value × (E[purchases by month k] - E[purchases by month k-1]) / (1 + d)^k, where `expectedPurchasesBy(t)`
 * is the purchase model's conditional expected purchases in (T, T + t] (model time units) and `valuePerPurchase`
 * the expected spend per purchase (e.g. Gamma-Gamma's conditional expectation). Matches lifetimes'
 * `customer_lifetime_value`.
 */
export function discountedLifetimeValue(
  expectedPurchasesBy: (t: number) => number,
  valuePerPurchase: number,
  options: LifetimeValueOptions,
): number {
  const { months, monthlyDiscountRate, timeUnitsPerMonth } = options;
  if (!(Number.isInteger(months) && months >= 0))
    throw new RangeError("months must be a non-negative integer");
  if (!(monthlyDiscountRate > -1 && timeUnitsPerMonth > 0))
    throw new RangeError("invalid discount rate or time unit");
  let value = 0;
  let previous = 0;
  for (let k = 1; k <= months; k++) {
    const cumulative = expectedPurchasesBy(k * timeUnitsPerMonth);
    value += (valuePerPurchase * (cumulative - previous)) / (1 + monthlyDiscountRate) ** k;
    previous = cumulative;
  }
  return value;
}
