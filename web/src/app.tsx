import { lazy, Suspense, useCallback, useEffect, useState } from "react";
import { ApiError, api, setCsrfToken, setUnauthenticatedHandler } from "./api/api-client.ts";
import type { SessionInfo } from "./api/api-types.ts";
import { findAdminPage } from "./lib/admin-pages.ts";
import { InboxRoute } from "./routes/inbox-route.tsx";
import { LoginRoute } from "./routes/login-route.tsx";
import { isRetentionPath, RetentionEntry } from "./routes/retention-entry.tsx";

// Reports pull in the charting library: load the lead/admin screens only when one is opened.
const AdminRoute = lazy(() =>
  import("./routes/admin-route.tsx").then((module) => ({ default: module.AdminRoute })),
);

type SessionState =
  | { kind: "loading" }
  | { kind: "signedOut"; notice?: string }
  | { kind: "signedIn"; session: SessionInfo };

/** Finds out whether this browser has a session; shows the login page or the inbox. */
export function App() {
  const [state, setState] = useState<SessionState>({ kind: "loading" });

  const signIn = useCallback((session: SessionInfo) => {
    setCsrfToken(session.csrfToken);
    setState({ kind: "signedIn", session });
  }, []);

  const signOut = useCallback((notice?: string) => {
    setCsrfToken(null);
    setState({ kind: "signedOut", notice });
  }, []);

  useEffect(() => {
    setUnauthenticatedHandler(() => signOut("Your session ended. Sign in again."));
    let cancelled = false;
    api
      .session()
      .then((session) => {
        if (!cancelled) signIn(session);
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        const offline = error instanceof ApiError && error.status === 0;
        signOut(offline ? error.message : undefined);
      });
    return () => {
      cancelled = true;
      setUnauthenticatedHandler(null);
    };
  }, [signIn, signOut]);

  if (state.kind === "loading") {
    return (
      <main className="splash" aria-busy="true">
        <p>Loading Tend…</p>
      </main>
    );
  }
  if (state.kind === "signedIn" && isRetentionPath(window.location.pathname))
    return <RetentionEntry me={state.session.user} />;
  if (state.kind === "signedOut") return <LoginRoute notice={state.notice} onSignedIn={signIn} />;
  const leaveSession = async () => {
    await api.logout().catch(() => undefined);
    signOut("You are signed out.");
  };
  if (findAdminPage(window.location.pathname))
    return (
      <Suspense
        fallback={
          <main className="splash" aria-busy="true">
            <p>Loading Tend…</p>
          </main>
        }
      >
        <AdminRoute me={state.session.user} onSignOut={() => void leaveSession()} />
      </Suspense>
    );
  return <InboxRoute me={state.session.user} onSignOut={leaveSession} />;
}
