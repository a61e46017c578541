import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";

/**
 * A seeded source of the distributions the demo generator needs. Everything derives from pure-rand's
 * xoroshiro128+, so one seed always gives the same numbers on every platform (no Math.random, no float
 * functions whose last bits differ between engines beyond Math.log/exp/sqrt/cos, which V8 computes identically).
 */
export type DemoRandom = {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [from, to], both included. */
  int(from: number, to: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks by relative weights. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  normal(mean?: number, sd?: number): number;
  exponential(rate: number): number;
  /** Gamma with shape k and scale theta (mean k·theta). */
  gamma(shape: number, scale: number): number;
  logNormal(median: number, sigma: number): number;
  shuffle<T>(items: T[]): T[];
  hex(length: number): string;
  /** An independent stream for a sub-task, so adding draws in one place does not shift every other one. */
  fork(label: string): DemoRandom;
};

export function createDemoRandom(seed: number): DemoRandom {
  return wrap(xoroshiro128plus(seed | 0), seed | 0);
}

function hashLabel(seed: number, label: string): number {
  // FNV-1a over the label, started from the seed: a stable 32-bit seed per (seed, label).
  let hash = (0x811c9dc5 ^ seed) | 0;
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

function wrap(rng: RandomGenerator, seed: number): DemoRandom {
  const next = () => uniformFloat64(rng);
  const normal = (mean = 0, sd = 1) => {
    // Box-Muller; 1 - u keeps log away from 0.
    const u = 1 - next();
    const v = next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const gamma = (shape: number, scale: number): number => {
    // Marsaglia & Tsang (2000); shape < 1 boosted with the U^(1/shape) trick.
    if (shape < 1) return gamma(shape + 1, scale) * (1 - next()) ** (1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - next();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v * scale;
    }
  };
  const self: DemoRandom = {
    next,
    int: (from, to) => uniformInt(rng, from, to),
    chance: (p) => next() < p,
    pick: (items) => items[uniformInt(rng, 0, items.length - 1)],
    weighted: (items) => {
      const total = items.reduce((sum, [, w]) => sum + w, 0);
      let x = next() * total;
      for (const [item, w] of items) {
        x -= w;
        if (x < 0) return item;
      }
      return items[items.length - 1][0];
    },
    normal,
    exponential: (rate) => -Math.log(1 - next()) / rate,
    gamma,
    logNormal: (median, sigma) => median * Math.exp(sigma * normal()),
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = uniformInt(rng, 0, i);
        [items[i], items[j]] = [items[j], items[i]];
      }
      return items;
    },
    hex: (length) => {
      let out = "";
      while (out.length < length) out += (uniformInt(rng, 0, 0xffff) | 0x10000).toString(16).slice(1);
      return out.slice(0, length);
    },
    fork: (label) => createDemoRandom(hashLabel(seed, label)),
  };
  return self;
}
