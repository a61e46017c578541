import { EventEmitter } from "node:events";

/** Changes other parts of Tend may want to see live (the inbox, later rules and playbooks). */
export type TendEvent =
  | { type: "ticket.created"; ticketId: number; customerId: number }
  | { type: "ticket.updated"; ticketId: number; customerId: number; changes: string[] }
  | {
      type: "message.created";
      ticketId: number;
      messageId: number;
      direction: "inbound" | "outbound";
      isInternal: boolean;
    }
  /** A message changed after it was created, e.g. its mail delivery state (sent, retrying, failed). */
  | { type: "message.updated"; ticketId: number; messageId: number; changes: string[] }
  /** An SLA clock passed its warning share or its target. */
  | { type: "sla.warning" | "sla.breached"; ticketId: number; metric: string }
  | { type: "notification.created"; userId: number; ticketId: number | null; kind: string }
  /** A job was added to the durable queue (after its transaction committed); wakes job workers at once. */
  | { type: "job.enqueued"; name: string }
  /** Someone is typing in a live chat: the visitor (shown to agents) or an agent (shown in the widget). */
  | {
      type: "chat.typing";
      ticketId: number;
      conversationId: number;
      from: "visitor" | "agent";
      isTyping: boolean;
      /** The agent's name, for "Maria is typing"; absent for visitors. */
      name?: string;
    }
  /** A chat conversation got its ticket, switched to email replies, or was closed. */
  | { type: "chat.conversation.updated"; conversationId: number; ticketId: number | null; changes: string[] }
  /** An agent went online, away or offline (the widget shows whether anyone is there to chat). */
  | { type: "user.status_changed"; userId: number; status: "online" | "away" | "offline" };

export type EventBus = {
  publish(event: TendEvent): void;
  subscribe(listener: (event: TendEvent) => void): () => void;
};

/** In-process bus. With several processes on PostgreSQL, a LISTEN/NOTIFY bridge feeds the same interface. */
export function createEventBus(): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish(event) {
      emitter.emit("event", event);
    },
    subscribe(listener) {
      emitter.on("event", listener);
      return () => emitter.off("event", listener);
    },
  };
}
