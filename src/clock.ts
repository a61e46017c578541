/** Time source. Everything that reads "now" takes a Clock so tests can move time without sleeping. */
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };

/** A clock for tests: starts at `start` and moves only when told. */
export function createManualClock(start: Date | string = "2026-01-05T09:00:00Z") {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    set(to: Date | string) {
      current = new Date(to).getTime();
    },
    advance(ms: number) {
      current += ms;
    },
  };
}
export type ManualClock = ReturnType<typeof createManualClock>;
