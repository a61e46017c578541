/**
 * Wraps an async refresh so bursts of calls (a flood of live events) run it at most once at a time: a call while
 * it runs queues exactly one more run afterwards, so the last change is always fetched.
 */
export function coalesce(run: () => Promise<void>): () => void {
  let running = false;
  let again = false;
  const start = async () => {
    running = true;
    try {
      do {
        again = false;
        await run().catch(() => undefined);
      } while (again);
    } finally {
      running = false;
    }
  };
  return () => {
    if (running) again = true;
    else void start();
  };
}
