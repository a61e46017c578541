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
  /** The distinct purchase counts, and for each group the index of its x among them: terms that depend only on
   * (parameters, x) are computed once per distinct x instead of once per group. */
  distinctX: Float64Array;
  xIndex: Int32Array;
}

/** Groups observations with identical (x, t_x, T); rejects values a purchase model cannot have. */
export function groupRfmObservations(observations: readonly RfmObservation[]): RfmGroups {
  // Nested maps by x, then t_x, then T: cheaper than building a string key per customer.
  const index = new Map<number, Map<number, Map<number, number>>>();
  const x: number[] = [];
  const tx: number[] = [];
  const T: number[] = [];
  const count: number[] = [];
  for (const o of observations) {
    if (!(Number.isInteger(o.x) && o.x >= 0 && o.tx >= 0 && o.T >= o.tx && (o.x > 0 || o.tx === 0))) {
      throw new RangeError(`invalid observation x=${o.x} t_x=${o.tx} T=${o.T}`);
    }
    let byTx = index.get(o.x);
    if (!byTx) {
      byTx = new Map();
      index.set(o.x, byTx);
    }
    let byT = byTx.get(o.tx);
    if (!byT) {
      byT = new Map();
      byTx.set(o.tx, byT);
    }
    const at = byT.get(o.T);
    if (at === undefined) {
      byT.set(o.T, x.length);
      x.push(o.x);
      tx.push(o.tx);
      T.push(o.T);
      count.push(1);
    } else {
      count[at]++;
    }
  }
  const distinct = [...index.keys()].sort((p, q) => p - q);
  const slot = new Map(distinct.map((value, i) => [value, i]));
  return {
    x: Float64Array.from(x),
    tx: Float64Array.from(tx),
    T: Float64Array.from(T),
    count: Float64Array.from(count),
    size: x.length,
    distinctX: Float64Array.from(distinct),
    xIndex: Int32Array.from(x, (value) => slot.get(value)!),
  };
}
