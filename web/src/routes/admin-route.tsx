import { type MouseEvent, useEffect, useState } from "react";
import type { PublicUser } from "../api/api-types.ts";
import { MacrosPage } from "../features/admin/macros-page.tsx";
import { RulesPage } from "../features/admin/rules-page.tsx";
import { SlaReportPage } from "../features/admin/sla-report-page.tsx";
import { SlaSettingsPage } from "../features/admin/sla-settings-page.tsx";
import { SurveyReportPage } from "../features/admin/survey-report-page.tsx";
import { SurveySettingsPage } from "../features/admin/survey-settings-page.tsx";
import { TeamPage } from "../features/admin/team-page.tsx";
import { ThemesReportPage } from "../features/admin/themes-report-page.tsx";
import { type AdminPage, findAdminPage, hasRole, visibleAdminPages } from "../lib/admin-pages.ts";
import { ChatSettingsRoute } from "./chat-settings-route.tsx";
import "../features/admin/admin.css";

function PageBody({ page, me }: { page: AdminPage; me: PublicUser }) {
  switch (page.id) {
    case "team":
      return <TeamPage me={me} />;
    case "reports-sla":
      return <SlaReportPage />;
    case "reports-surveys":
      return <SurveyReportPage me={me} />;
    case "reports-themes":
      return <ThemesReportPage />;
    case "settings-sla":
      return <SlaSettingsPage me={me} />;
    case "settings-macros":
      return <MacrosPage me={me} />;
    case "settings-rules":
      return <RulesPage me={me} />;
    case "settings-chat":
      return <ChatSettingsRoute me={me} />;
    case "settings-surveys":
      return <SurveySettingsPage me={me} />;
  }
}

/** Team, reports and settings: a navigation column and the page; links between them do not reload the app. */
export function AdminRoute({ me, onSignOut }: { me: PublicUser; onSignOut: () => void }) {
  const [pathname, setPathname] = useState(window.location.pathname);
  useEffect(() => {
    const onPop = () => setPathname(window.location.pathname);
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);

  const page = findAdminPage(pathname);
  const pages = visibleAdminPages(me.role);
  const sections = [...new Set(pages.map((item) => item.section))];

  useEffect(() => {
    if (page)
      document.title = `${page.section === page.title ? page.title : `${page.title} · ${page.section}`} · Tend`;
  }, [page]);

  const go = (event: MouseEvent<HTMLAnchorElement>, path: string) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    if (path !== window.location.pathname) window.history.pushState(null, "", path);
    setPathname(path);
    window.scrollTo(0, 0);
  };

  return (
    <div className="admin-shell">
      <a className="skip-link" href="#admin-main">
        Skip to content
      </a>
      <nav className="sidebar admin-nav" aria-label="Team, reports and settings">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            T
          </span>
          Tend
        </div>
        <a className="sidebar-link" href="/inbox/mine">
          ← Inbox
        </a>
        {sections.map((section) => (
          <div key={section} className="admin-nav-section">
            <h2 className="admin-nav-title">{section}</h2>
            <ul className="view-list">
              {pages
                .filter((item) => item.section === section)
                .map((item) => (
                  <li key={item.id}>
                    <a
                      href={item.path}
                      className="view-link"
                      aria-current={item.id === page?.id ? "page" : undefined}
                      onClick={(event) => go(event, item.path)}
                    >
                      {item.section === "Team" ? "Agents and teams" : item.title}
                    </a>
                  </li>
                ))}
            </ul>
          </div>
        ))}
        <div className="sidebar-footer">
          <p className="me" title={me.email}>
            Signed in as <strong>{me.name}</strong> ({me.role})
          </p>
          <button type="button" className="button button-quiet" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </nav>
      <div className="admin-content" id="admin-main">
        {!page ? (
          <main className="admin-page">
            <h1>Page not found</h1>
          </main>
        ) : hasRole(me.role, page.minRole) ? (
          <PageBody key={page.id} page={page} me={me} />
        ) : (
          <main className="admin-page">
            <h1>{page.title}</h1>
            <p className="form-error" role="alert">
              Only {page.minRole === "lead" ? "team leads and admins" : "admins"} can open this page.
            </p>
          </main>
        )}
      </div>
    </div>
  );
}
