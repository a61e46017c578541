import { useEffect, useRef, useState } from "react";
import type { TendEvent } from "./api-types.ts";

const eventTypes: TendEvent["type"][] = [
  "ticket.created",
  "ticket.updated",
  "message.created",
  "message.updated",
  "chat.typing",
  "chat.conversation.updated",
  "sla.warning",
  "sla.breached",
  "notification.created",
];

export type LiveState = "connecting" | "live" | "reconnecting";

/**
 * Listens to /api/v1/events (Server-Sent Events on the session cookie) and calls `onEvent` for each TendEvent.
 * EventSource reconnects by itself (the server sends `retry: 3000`); `onReconnect` lets the caller refetch what it
 * may have missed while the stream was down.
 */
export function useTendEvents(onEvent: (event: TendEvent) => void, onReconnect: () => void): LiveState {
  const handlers = useRef({ onEvent, onReconnect });
  handlers.current = { onEvent, onReconnect };
  const [state, setState] = useState<LiveState>("connecting");

  useEffect(() => {
    const source = new EventSource("/api/v1/events", { withCredentials: true });
    let wasDown = false;
    const handle = (message: MessageEvent<string>) => {
      try {
        handlers.current.onEvent(JSON.parse(message.data) as TendEvent);
      } catch {
        // A malformed event is ignored; the next one or a refetch brings the truth.
      }
    };
    for (const type of eventTypes) source.addEventListener(type, handle);
    source.onopen = () => {
      setState("live");
      if (wasDown) handlers.current.onReconnect();
      wasDown = false;
    };
    source.onerror = () => {
      wasDown = true;
      setState("reconnecting");
    };
    return () => {
      for (const type of eventTypes) source.removeEventListener(type, handle);
      source.close();
    };
  }, []);

  return state;
}
