import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { ApiError, api } from "../api/api-client.ts";
import type {
  AgentStatus,
  PublicUser,
  TendEvent,
  TicketCounts,
  TicketDetail,
  TicketUpdate,
  UserListItem,
} from "../api/api-types.ts";
import { useTendEvents } from "../api/use-tend-events.ts";
import { CustomerPanel } from "../features/customer/customer-panel.tsx";
import { InboxSidebar, viewLabels } from "../features/inbox/inbox-sidebar.tsx";
import { SearchFilters } from "../features/inbox/search-filters.tsx";
import { TicketList } from "../features/inbox/ticket-list.tsx";
import { useTicketList } from "../features/inbox/use-ticket-list.ts";
import { NotificationBell } from "../features/notifications/notification-bell.tsx";
import type { ShortcutAction } from "../features/shortcuts/keyboard-shortcuts.ts";
import { ShortcutsHelp } from "../features/shortcuts/shortcuts-help.tsx";
import { useKeyboardShortcuts } from "../features/shortcuts/use-keyboard-shortcuts.ts";
import type { ComposerRequest } from "../features/ticket/reply-composer.tsx";
import { TicketPane } from "../features/ticket/ticket-pane.tsx";
import { type AppRoute, parseRoute, routeToUrl } from "../lib/app-route.ts";
import { coalesce } from "../lib/coalesce.ts";

function useRoute(): [AppRoute, (next: AppRoute, options?: { replace?: boolean }) => void] {
  const [route, setRoute] = useState(() => parseRoute(window.location.pathname, window.location.search));
  useEffect(() => {
    const onPop = () => setRoute(parseRoute(window.location.pathname, window.location.search));
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  const navigate = useCallback((next: AppRoute, options: { replace?: boolean } = {}) => {
    const url = routeToUrl(next);
    if (url !== window.location.pathname + window.location.search) {
      if (options.replace) window.history.replaceState(null, "", url);
      else window.history.pushState(null, "", url);
    }
    setRoute(next);
  }, []);
  return [route, navigate];
}

type Props = { me: PublicUser; onSignOut: () => void };

/** The agent's workspace: views and counts, the ticket list, the open ticket and its customer, all live. */
export function InboxRoute({ me, onSignOut }: Props) {
  const [route, navigate] = useRoute();
  const list = useTicketList(route.view, route.q, route.filters);
  const [counts, setCounts] = useState<TicketCounts | null>(null);
  const [users, setUsers] = useState<UserListItem[]>([]);
  const [cursorId, setCursorId] = useState<number | null>(route.ticketId);
  const [focusCursor, setFocusCursor] = useState(0);
  const [ticketNonce, setTicketNonce] = useState(0);
  const [openTicket, setOpenTicket] = useState<TicketDetail | null>(null);
  const [composerRequest, setComposerRequest] = useState<ComposerRequest | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  const [searchText, setSearchText] = useState(route.q);
  const searchRef = useRef<HTMLInputElement>(null);
  const newTicketIds = useRef(new Set<number>());
  const [visitorTyping, setVisitorTyping] = useState<number | null>(null);
  const visitorTypingTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const [myStatus, setMyStatus] = useState<AgentStatus | null>(null);
  const [notificationNonce, setNotificationNonce] = useState(0);
  const [logCallRequest, setLogCallRequest] = useState(0);

  const routeRef = useRef(route);
  routeRef.current = route;
  const listRef = useRef(list);
  listRef.current = list;

  const refreshCounts = useMemo(
    () =>
      coalesce(async () => {
        setCounts(await api.ticketCounts());
      }),
    [],
  );
  const refreshList = useMemo(() => coalesce(() => listRef.current.refresh()), []);

  useEffect(() => {
    refreshCounts();
    api
      .listUsers()
      .then((answer) => {
        setUsers(answer.items);
        const mine = answer.items.find((user) => user.id === me.id)?.status;
        if (mine === "online" || mine === "away" || mine === "offline") setMyStatus(mine);
      })
      .catch(() => setUsers([]));
  }, [refreshCounts, me.id]);

  const changeStatus = useCallback(async (status: AgentStatus) => {
    const answer = await api.setMyStatus(status);
    setMyStatus(answer.status);
  }, []);

  // Back/forward or a view link changes the route's q; typing changes it too, so only a real difference is copied
  // back (else the space the agent just typed would vanish).
  useEffect(() => setSearchText((text) => (text.trim() === route.q ? text : route.q)), [route.q]);

  // Search as you type: the list follows the box after a short pause; the history keeps one entry per search.
  useEffect(() => {
    const q = searchText.trim();
    if (q === routeRef.current.q) return;
    const timer = window.setTimeout(() => {
      const current = routeRef.current;
      navigate(
        { ...current, view: q ? "all" : current.view, ticketId: null, q },
        { replace: current.q !== "" },
      );
    }, 250);
    return () => window.clearTimeout(timer);
  }, [searchText, navigate]);

  useEffect(() => {
    const title = route.q ? `Search “${route.q}”` : viewLabels[route.view];
    document.title = openTicket && route.ticketId ? `${openTicket.subject} · Tend` : `${title} · Tend`;
  }, [route, openTicket]);

  const announce = useCallback((text: string) => {
    // The same text twice in a row would not be read again; a trailing no-break space makes it a change.
    setAnnouncement((previous) => (previous === text ? `${text}\u00a0` : text));
  }, []);

  const onEvent = useCallback(
    (event: TendEvent) => {
      if (event.type === "chat.typing") {
        if (event.from !== "visitor") return;
        clearTimeout(visitorTypingTimer.current);
        setVisitorTyping(event.isTyping ? event.ticketId : null);
        // A visitor who closed the page says nothing more: stop showing it after a while.
        if (event.isTyping) visitorTypingTimer.current = setTimeout(() => setVisitorTyping(null), 6000);
        return;
      }
      if (event.type === "chat.conversation.updated") {
        // The visitor asked for email replies or left: the open ticket's chat line changes.
        if (event.ticketId !== null && event.ticketId === routeRef.current.ticketId)
          setTicketNonce((n) => n + 1);
        return;
      }
      if (event.type === "notification.created") {
        // Every agent's stream carries every notification; only mine ring my bell.
        if (event.userId === me.id) setNotificationNonce((n) => n + 1);
        return;
      }
      if (event.type === "message.created" && event.direction === "inbound") setVisitorTyping(null);
      refreshCounts();
      refreshList();
      if (event.ticketId === routeRef.current.ticketId) setTicketNonce((n) => n + 1);
      if (event.type === "ticket.created") {
        // Its first message follows at once; "New ticket" is the news, not "New message".
        newTicketIds.current.add(event.ticketId);
        announce(`New ticket #${event.ticketId}`);
      } else if (event.type === "message.created") {
        const firstOfNewTicket = newTicketIds.current.delete(event.ticketId);
        const elsewhere = event.ticketId !== routeRef.current.ticketId;
        if (!firstOfNewTicket && elsewhere && event.direction === "inbound") {
          announce(`New message on ticket #${event.ticketId}`);
        }
      }
    },
    [refreshCounts, refreshList, announce, me.id],
  );
  const onReconnect = useCallback(() => {
    refreshCounts();
    refreshList();
    setTicketNonce((n) => n + 1);
    setNotificationNonce((n) => n + 1);
  }, [refreshCounts, refreshList]);
  const live = useTendEvents(onEvent, onReconnect);

  // SLA time left is business time the server computes; re-read it each minute so chips and the SLA line keep up
  // between events (warnings and breaches themselves arrive live from the sweep).
  useEffect(() => {
    const timer = window.setInterval(() => {
      if (document.visibilityState !== "visible") return;
      refreshList();
      if (routeRef.current.ticketId) setTicketNonce((n) => n + 1);
    }, 60_000);
    return () => window.clearInterval(timer);
  }, [refreshList]);

  const openTicketById = useCallback(
    (ticketId: number) => {
      setCursorId(ticketId);
      navigate({ ...routeRef.current, ticketId });
    },
    [navigate],
  );

  const updateTicket = useCallback(
    async (update: TicketUpdate) => {
      const ticketId = routeRef.current.ticketId;
      if (!ticketId) return;
      await api.updateTicket(ticketId, update);
      refreshCounts();
      refreshList();
    },
    [refreshCounts, refreshList],
  );

  const runShortcutUpdate = (update: TicketUpdate, done: string) => {
    updateTicket(update)
      .then(() => {
        setTicketNonce((n) => n + 1);
        announce(done);
      })
      .catch((error: unknown) =>
        announce(error instanceof ApiError ? error.message : "Could not save the change"),
      );
  };

  const moveCursor = (step: 1 | -1) => {
    const items = listRef.current.page.items;
    if (items.length === 0) return;
    const index = items.findIndex((item) => item.id === cursorId);
    const nextIndex = index === -1 ? 0 : Math.min(items.length - 1, Math.max(0, index + step));
    setCursorId(items[nextIndex].id);
    setFocusCursor((n) => n + 1);
  };

  useKeyboardShortcuts((action: ShortcutAction) => {
    if (helpOpen) return false;
    const ticketId = routeRef.current.ticketId;
    switch (action) {
      case "next":
        moveCursor(1);
        return true;
      case "previous":
        moveCursor(-1);
        return true;
      case "open":
        if (cursorId === null) return false;
        openTicketById(cursorId);
        return true;
      case "reply":
      case "note":
        if (!ticketId) return false;
        setComposerRequest({ mode: action, nonce: Date.now() });
        return true;
      case "macro":
        if (!ticketId) return false;
        setComposerRequest({ mode: "macro", nonce: Date.now() });
        return true;
      case "logCall":
        if (!ticketId) return false;
        setLogCallRequest((n) => n + 1);
        return true;
      case "solve":
        if (!ticketId) return false;
        runShortcutUpdate({ status: "solved" }, `Ticket #${ticketId} solved`);
        return true;
      case "assignToMe":
        if (!ticketId) return false;
        runShortcutUpdate({ assigneeId: me.id }, `Ticket #${ticketId} assigned to you`);
        return true;
      case "search":
        searchRef.current?.focus();
        searchRef.current?.select();
        return true;
      case "goInbox":
        navigate({ view: "mine", ticketId: null, q: "" });
        return true;
      case "help":
        setHelpOpen(true);
        return true;
      case "escape":
        if (document.activeElement instanceof HTMLElement && document.activeElement !== document.body) {
          document.activeElement.blur();
          return true;
        }
        return false;
      default:
        return false;
    }
  });

  const submitSearch = (event: FormEvent) => {
    event.preventDefault();
    const q = searchText.trim();
    navigate({ ...route, view: q ? "all" : route.view, ticketId: null, q });
  };

  const hrefFor = (ticketId: number) => routeToUrl({ ...route, ticketId });
  const listTitle = route.q ? `Search: “${route.q}”` : viewLabels[route.view];
  const customerId = openTicket && openTicket.id === route.ticketId ? openTicket.customer.id : null;

  return (
    <div className="workspace">
      <a className="skip-link" href="#main">
        Skip to tickets
      </a>
      <InboxSidebar
        me={me}
        view={route.q ? "all" : route.view}
        counts={counts}
        live={live}
        status={myStatus}
        onChangeStatus={changeStatus}
        onSelectView={(view) => navigate({ view, ticketId: null, q: "" })}
        onSignOut={onSignOut}
        onShowHelp={() => setHelpOpen(true)}
        bell={<NotificationBell refreshNonce={notificationNonce} onOpenTicket={openTicketById} />}
      />
      <main id="main" className={`main${route.ticketId ? "" : " no-ticket"}`}>
        <div className="list-column">
          <search className="search">
            <form onSubmit={submitSearch}>
              <label htmlFor="ticket-search" className="visually-hidden">
                Search tickets
              </label>
              <input
                id="ticket-search"
                ref={searchRef}
                type="search"
                placeholder="Search all tickets, notes, customers  ( / )"
                value={searchText}
                onChange={(event) => setSearchText(event.target.value)}
              />
            </form>
            {route.q && (
              <SearchFilters
                filters={route.filters ?? {}}
                onChange={(filters) => navigate({ ...route, ticketId: null, filters }, { replace: true })}
              />
            )}
          </search>
          <TicketList
            search={
              route.q
                ? {
                    q: route.q,
                    matches: list.page.search?.matches ?? null,
                    capped: list.page.search?.capped ?? false,
                    filtered: Object.keys(route.filters ?? {}).length > 0,
                  }
                : null
            }
            title={listTitle}
            order={list.page.order}
            items={list.page.items}
            status={list.status}
            error={list.error}
            hasMore={list.page.nextCursor !== null}
            loadingMore={list.loadingMore}
            cursorId={cursorId}
            openTicketId={route.ticketId}
            hrefFor={hrefFor}
            onOpen={openTicketById}
            onLoadMore={() => void list.loadMore()}
            focusCursor={focusCursor}
          />
        </div>
        {route.ticketId ? (
          <>
            <TicketPane
              ticketId={route.ticketId}
              meId={me.id}
              refreshNonce={ticketNonce}
              users={users}
              composerRequest={composerRequest}
              logCallRequest={logCallRequest}
              onLoaded={setOpenTicket}
              onAnnounce={announce}
              onUpdate={updateTicket}
              visitorTyping={visitorTyping === route.ticketId}
            />
            {customerId !== null && openTicket ? (
              <CustomerPanel
                customerId={customerId}
                currentTicketId={openTicket.id}
                risk={openTicket.customerRisk}
                refreshKey={`${openTicket.id}:${openTicket.updatedAt}:${openTicket.messages.length}`}
                hrefForTicket={hrefFor}
                onOpenTicket={openTicketById}
              />
            ) : (
              <aside className="customer-pane" aria-label="Customer" />
            )}
          </>
        ) : (
          <section className="ticket-pane ticket-empty" aria-label="Ticket">
            <p className="empty">
              Select a ticket to read it. Press <kbd>j</kbd>/<kbd>k</kbd> to move, <kbd>Enter</kbd> to open,{" "}
              <kbd>?</kbd> for all shortcuts.
            </p>
          </section>
        )}
      </main>
      <div className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="announcer">
        {announcement}
      </div>
      {helpOpen && <ShortcutsHelp onClose={() => setHelpOpen(false)} />}
    </div>
  );
}
