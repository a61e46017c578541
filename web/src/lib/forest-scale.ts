// A forest plot's x axis: hazard ratios on a log scale, symmetric around 1 (no effect), wide enough for every
// interval, with round ticks (0.25, 0.5, 1, 2, 4 ...).

export type ForestScale = { min: number; max: number; ticks: number[]; x: (ratio: number) => number };

const candidates = [0.1, 0.2, 0.25, 0.5, 1, 2, 4, 5, 10];

/** Maps hazard ratios to 0..width on a log axis covering all intervals (at least 0.5..2). */
export function forestScale(
  intervals: readonly { lower: number; upper: number }[],
  width: number,
): ForestScale {
  const finite = intervals.flatMap((i) => [i.lower, i.upper]).filter((v) => Number.isFinite(v) && v > 0);
  const spread = Math.max(Math.log(2), ...finite.map((v) => Math.abs(Math.log(v))));
  // Capped at 10x either way: a wider interval says "too thin" and is drawn running off the edge.
  const half = Math.min(Math.log(10), spread * 1.1);
  const min = Math.exp(-half);
  const max = Math.exp(half);
  const x = (ratio: number) => {
    const clamped = Math.min(max, Math.max(min, ratio));
    return ((Math.log(clamped) + half) / (2 * half)) * width;
  };
  const ticks = candidates.filter((t) => t >= min * 0.999 && t <= max * 1.001);
  return { min, max, ticks, x };
}
