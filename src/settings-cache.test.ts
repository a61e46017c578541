import { describe, expect, it } from "vitest";
import { createSettingsCache } from "./settings-cache.ts";

describe("settings cache", () => {
  it("loads once within its lifetime, again after it or after invalidation, and forgets failures", async () => {
    let time = 0;
    let loads = 0;
    const cache = createSettingsCache(1000, () => time);
    const load = async () => ++loads;
    expect(await cache.get("k", load)).toBe(1);
    expect(await cache.get("k", load)).toBe(1);
    time = 1001;
    expect(await cache.get("k", load)).toBe(2);
    cache.invalidate("k");
    expect(await cache.get("k", load)).toBe(3);
    await expect(cache.get("bad", () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    expect(await cache.get("bad", load)).toBe(4);
  });
});
