import { useEffect, useState } from "react";

/**
 * The current time at each render, with a re-render every `intervalMs` so relative times ("breached 5m ago") stay
 * true while nothing else changes.
 */
export function useNow(intervalMs = 30_000): Date {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = window.setInterval(() => setTick((n) => n + 1), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return new Date();
}
