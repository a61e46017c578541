import { createRequire } from "node:module";

// cephes ships its types beside the CommonJS build only, and its ES module build instantiates the WebAssembly
// asynchronously; the CommonJS build compiles synchronously in Node, so load that and name the one function used.
const cephes = createRequire(import.meta.url)("cephes") as {
  hyp2f1: (a: number, b: number, c: number, z: number) => number;
};

/**
 * Gauss hypergeometric function 2F1(a, b; c; z) for real arguments (cephes). Accurate for |z| < 1 away from 1;
 * as z -> 1 with c - a - b <= 0 the function diverges and cephes' transformed series loses digits, so models
 * keep their arguments small (Pareto/NBD's alpha/beta ordering) rather than trusting it there.
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  return cephes.hyp2f1(a, b, c, z);
}
