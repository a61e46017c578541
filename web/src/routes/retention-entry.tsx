import { lazy, Suspense } from "react";
import type { PublicUser } from "../api/api-types.ts";

// Kept beside the entry so that app.tsx needs one import for the whole dashboard.
export { isRetentionPath } from "../lib/app-route.ts";

// The dashboard brings the charting library; agents who never open it do not download it.
const RetentionRoute = lazy(() =>
  import("./retention-route.tsx").then((module) => ({ default: module.RetentionRoute })),
);

/** /retention, loaded on demand. */
export function RetentionEntry({ me }: { me: PublicUser }) {
  return (
    <Suspense
      fallback={
        <main className="splash" aria-busy="true">
          <p>Loading the retention dashboard…</p>
        </main>
      }
    >
      <RetentionRoute me={me} />
    </Suspense>
  );
}
