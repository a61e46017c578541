import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, api } from "../../api/api-client.ts";
import type { NotificationList } from "../../api/api-types.ts";
import { formatDateTime, formatRelativeTime } from "../../lib/format.ts";

type Props = {
  /** Bumped when a live event says a notification for this agent arrived. */
  refreshNonce: number;
  onOpenTicket: (ticketId: number) => void;
};

/** The bell: unread count, and a panel of the agent's notifications (SLA warnings, breaches, assignments). */
export function NotificationBell({ refreshNonce, onOpenTicket }: Props) {
  const [list, setList] = useState<NotificationList | null>(null);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);

  const load = useCallback(async () => {
    try {
      setList(await api.notifications());
      setError(null);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : "Could not load notifications");
    }
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshNonce is the signal to reload
  useEffect(() => {
    void load();
  }, [load, refreshNonce]);

  useEffect(() => {
    if (!open) return;
    panelRef.current?.querySelector<HTMLElement>("button, a")?.focus();
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!panelRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [open]);

  const close = () => {
    setOpen(false);
    buttonRef.current?.focus();
  };

  const markRead = async (ids?: number[]) => {
    await api.markNotificationsRead(ids).catch(() => undefined);
    await load();
  };

  const unread = list?.unread ?? 0;
  return (
    <div className="notifications">
      <button
        ref={buttonRef}
        type="button"
        className="bell"
        aria-expanded={open}
        aria-haspopup="dialog"
        aria-label={unread > 0 ? `Notifications, ${unread} unread` : "Notifications"}
        onClick={() => setOpen((value) => !value)}
      >
        <svg aria-hidden="true" viewBox="0 0 24 24" width="18" height="18">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z"
          />
        </svg>
        {unread > 0 && (
          <span className="bell-count" data-testid="notification-count" aria-hidden="true">
            {unread > 99 ? "99+" : unread}
          </span>
        )}
      </button>
      {open && (
        <div
          ref={panelRef}
          className="notification-panel"
          role="dialog"
          aria-label="Notifications"
          onKeyDown={(event) => {
            if (event.key === "Escape") {
              event.preventDefault();
              close();
            }
          }}
        >
          <div className="notification-head">
            <h2>Notifications</h2>
            <button
              type="button"
              className="link-button"
              disabled={unread === 0}
              onClick={() => void markRead()}
            >
              Mark all read
            </button>
          </div>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          {list && list.items.length === 0 && <p className="muted">Nothing yet.</p>}
          <ul className="notification-list">
            {list?.items.map((item) => (
              <li key={item.id} className={item.read ? "is-read" : "is-unread"}>
                <button
                  type="button"
                  onClick={() => {
                    if (!item.read) void markRead([item.id]);
                    if (item.ticketId !== null) {
                      onOpenTicket(item.ticketId);
                      setOpen(false);
                    }
                  }}
                >
                  {!item.read && <span className="visually-hidden">Unread: </span>}
                  <span className="notification-text">{item.text}</span>
                  <time dateTime={item.createdAt} title={formatDateTime(item.createdAt)}>
                    {formatRelativeTime(item.createdAt)}
                  </time>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
