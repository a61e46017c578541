/**
 * A process's short memory of settings that change rarely and are read on hot paths (SLA policies and calendars
 * on every ticket change). Entries live `ttlMs`; a write through the owning service drops its key at once, so this
 * process sees its own edits immediately and other processes within `ttlMs`. Real time, not ctx.clock: this is
 * freshness of a copy, not business time.
 */
export type SettingsCache = {
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
  invalidate(key: string): void;
};

export function createSettingsCache(ttlMs = 5_000, now: () => number = Date.now): SettingsCache {
  const entries = new Map<string, { value: Promise<unknown>; expires: number }>();
  return {
    get<T>(key: string, load: () => Promise<T>): Promise<T> {
      const entry = entries.get(key);
      if (entry && entry.expires > now()) return entry.value as Promise<T>;
      const value = load();
      entries.set(key, { value, expires: now() + ttlMs });
      // A failed load is not remembered.
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      return value;
    },
    invalidate(key: string) {
      entries.delete(key);
    },
  };
}
