/** A customer's repeat-purchase record: x repeat purchases, last at t_x, observed for T since the first. */
export interface RfmObservation {
  x: number;
  tx: number;
  T: number;
}

/** Customers with identical (x, t_x, T), stored column-wise with a count, so likelihoods cost one term per group. */
export interface RfmGroups {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  count: Float64Array;
  size: number;
}

/** Groups observations with identical (x, t_x, T); rejects values a purchase model cannot have. */
export function groupRfmObservations(observations: readonly RfmObservation[]): RfmGroups {
  const index = new Map<string, number>();
  const x: number[] = [];
  const tx: number[] = [];
  const T: number[] = [];
  const count: number[] = [];
  for (const o of observations) {
    if (!(Number.isInteger(o.x) && o.x >= 0 && o.tx >= 0 && o.T >= o.tx && (o.x > 0 || o.tx === 0))) {
      throw new RangeError(`invalid observation x=${o.x} t_x=${o.tx} T=${o.T}`);
    }
    const key = `${o.x}|${o.tx}|${o.T}`;
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, x.length);
      x.push(o.x);
      tx.push(o.tx);
      T.push(o.T);
      count.push(1);
    } else {
      count[at]++;
    }
  }
  return {
    x: Float64Array.from(x),
    tx: Float64Array.from(tx),
    T: Float64Array.from(T),
    count: Float64Array.from(count),
    size: x.length,
  };
}
