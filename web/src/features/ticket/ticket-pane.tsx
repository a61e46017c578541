import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, api } from "../../api/api-client.ts";
import type { TicketChat, TicketDetail, TicketUpdate, UserListItem } from "../../api/api-types.ts";
import { statusLabel } from "../../lib/format.ts";
import { describeMacroActions } from "../../lib/macro-format.ts";
import { FrustrationBadge } from "./frustration-badge.tsx";
import { LogCallDialog } from "./log-call-dialog.tsx";
import { MessageItem } from "./message-item.tsx";
import { type ComposerRequest, ReplyComposer } from "./reply-composer.tsx";
import { SlaPanel } from "./sla-panel.tsx";
import { TicketControls } from "./ticket-controls.tsx";

type Props = {
  ticketId: number;
  /** The signed-in agent: their own messages are not announced back to them. */
  meId: number;
  /** Bumped by the inbox when a live event touches this ticket. */
  refreshNonce: number;
  users: UserListItem[];
  composerRequest: ComposerRequest | null;
  /** Bumped by the "c" shortcut: open the "Log call" dialog. */
  logCallRequest: number;
  onLoaded: (ticket: TicketDetail) => void;
  onAnnounce: (text: string) => void;
  onUpdate: (update: TicketUpdate) => Promise<void>;
  /** The chat visitor on this ticket is typing (from live events). */
  visitorTyping?: boolean;
};

function ChatInfo({ chat }: { chat: NonNullable<TicketChat["conversation"]> }) {
  const who = chat.identityVerified ? "verified by the website" : "not verified";
  return (
    <p className="chat-info" data-testid="chat-info">
      Live chat from {chat.origin ?? "the website"} · visitor {who}
      {chat.status === "closed" ? " · the visitor ended the chat" : ""}
      {chat.replyChannel === "email"
        ? ` · replies go by email to ${chat.contactEmail}`
        : chat.contactEmail
          ? ` · contact email: ${chat.contactEmail}`
          : ""}
    </p>
  );
}

export function TicketPane(props: Props) {
  const { ticketId, meId, refreshNonce, onLoaded, onAnnounce } = props;
  const [ticket, setTicket] = useState<TicketDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const threadRef = useRef<HTMLElement>(null);
  const shownMessageIds = useRef<Set<number> | null>(null);
  const loadedFor = useRef<number | null>(null);
  const [chat, setChat] = useState<TicketChat["conversation"]>(null);
  const [logCallOpen, setLogCallOpen] = useState(false);
  useEffect(() => {
    if (props.logCallRequest > 0) setLogCallOpen(true);
  }, [props.logCallRequest]);
  const isChat = ticket?.id === ticketId && ticket.channel === "chat";

  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshNonce is the signal to reload
  useEffect(() => {
    if (!isChat) {
      setChat(null);
      return;
    }
    let cancelled = false;
    api
      .ticketChat(ticketId)
      .then((answer) => {
        if (!cancelled) setChat(answer.conversation);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [isChat, ticketId, refreshNonce]);

  const load = useCallback(async () => {
    try {
      const detail = await api.getTicket(ticketId);
      const isFirstLoad = loadedFor.current !== ticketId;
      const previous = shownMessageIds.current;
      if (!isFirstLoad && previous) {
        const fresh = detail.messages.filter(
          (message) =>
            !previous.has(message.id) && !(message.author.type === "agent" && message.author.id === meId),
        );
        for (const message of fresh) {
          const what = message.isInternal
            ? "Internal note"
            : message.direction === "inbound"
              ? "New message"
              : "Reply";
          onAnnounce(`${what} from ${message.author.name} on ticket #${ticketId}`);
        }
      }
      loadedFor.current = ticketId;
      shownMessageIds.current = new Set(detail.messages.map((message) => message.id));
      setTicket(detail);
      setError(null);
      onLoaded(detail);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : "Could not load the ticket");
    }
  }, [ticketId, meId, onLoaded, onAnnounce]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshNonce is the signal to reload
  useEffect(() => {
    void load();
  }, [load, refreshNonce]);

  useEffect(() => {
    if (loadedFor.current !== ticketId) {
      setTicket(null);
      setActionError(null);
    }
  }, [ticketId]);

  const messageCount = ticket?.id === ticketId ? ticket.messages.length : 0;
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll when the number of messages changes
  useEffect(() => {
    const thread = threadRef.current;
    if (thread) thread.scrollTop = thread.scrollHeight;
  }, [messageCount, ticketId]);

  const update = async (change: TicketUpdate) => {
    setActionError(null);
    try {
      await props.onUpdate(change);
      await load();
    } catch (caught) {
      setActionError(caught instanceof ApiError ? caught.message : "Could not save the change");
    }
  };

  if (error && !ticket) {
    return (
      <section className="ticket-pane" aria-label="Ticket">
        <p className="form-error" role="alert">
          {error}
        </p>
      </section>
    );
  }
  if (!ticket || ticket.id !== ticketId) {
    return (
      <section className="ticket-pane" aria-label="Ticket" aria-busy="true">
        <p className="empty">Loading ticket…</p>
      </section>
    );
  }

  return (
    <section className="ticket-pane" aria-labelledby="ticket-title">
      <header className="ticket-head">
        <div className="ticket-title-row">
          <h2 id="ticket-title">{ticket.subject}</h2>
          <span className={`badge status-${ticket.status}`}>{statusLabel(ticket.status)}</span>
          <FrustrationBadge frustration={ticket.frustration} />
          <button
            type="button"
            className="button button-quiet log-call-button"
            onClick={() => setLogCallOpen(true)}
          >
            Log call <kbd>c</kbd>
          </button>
        </div>
        <p className="muted ticket-sub">
          #{ticket.id} · {ticket.channel} · {ticket.customer.name}
          {ticket.customer.email ? ` <${ticket.customer.email}>` : ""}
        </p>
        {chat && <ChatInfo chat={chat} />}
        <SlaPanel sla={ticket.sla} />
        <TicketControls ticket={ticket} users={props.users} onUpdate={(change) => void update(change)} />
        {actionError && (
          <p className="form-error" role="alert">
            {actionError}
          </p>
        )}
      </header>
      <section className="thread" ref={threadRef} aria-label="Conversation">
        {ticket.messages.map((message) => (
          <MessageItem key={message.id} message={message} />
        ))}
      </section>
      {isChat && (
        <p className="typing-indicator" aria-live="polite" data-testid="visitor-typing">
          {props.visitorTyping ? `${ticket.customer.name} is typing…` : ""}
        </p>
      )}
      {logCallOpen && (
        <LogCallDialog
          ticketId={ticket.id}
          customerName={ticket.customer.name}
          onClose={() => setLogCallOpen(false)}
          onLogged={() => {
            setLogCallOpen(false);
            onAnnounce(`Call logged on ticket #${ticket.id}`);
            void load();
          }}
        />
      )}
      <ReplyComposer
        ticketId={ticket.id}
        customerName={ticket.customer.name}
        request={props.composerRequest}
        onSent={() => void load()}
        onMacroApplied={(macro) => {
          const changes = describeMacroActions(macro.actions);
          onAnnounce(
            `Macro “${macro.title}” applied${changes ? ` (${changes})` : ""}; review the reply and send it`,
          );
          void load();
        }}
        onTyping={
          chat && chat.status === "active"
            ? (isTyping) => void api.sendTyping(ticket.id, isTyping).catch(() => undefined)
            : undefined
        }
      />
    </section>
  );
}
