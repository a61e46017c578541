import type { WebSocket } from "ws";
import type { AppContext } from "../../context.ts";
import { AppError } from "../../errors.ts";
import type { TendEvent } from "../../events/event-bus.ts";
import { recordVisitorChatMessage } from "../../workflows/record-chat-message.workflow.ts";
import { offerEndOfChatSurvey } from "../../workflows/survey-follow-up.workflow.ts";
import { getTicketRow } from "../tickets/tickets.service.ts";
import { presentVisitorConversation } from "./chat.presenter.ts";
import { type ClientFrame, clientFrameSchema, type ServerFrame } from "./chat.schemas.ts";
import {
  areAgentsAvailable,
  type ChatConversationRow,
  expectedReplyAt,
  findConversationById,
  findVisitorMessage,
  listVisitorMessages,
  resolveVisitorConversation,
  switchConversationToEmail,
} from "./chat.service.ts";

/** The socket as the hub uses it (a `ws` WebSocket from @fastify/websocket). */
export type VisitorSocket = Pick<WebSocket, "send" | "close" | "terminate" | "ping" | "on" | "readyState">;

export const socketCloseCodes = {
  /** No hello frame in time, or a frame before hello. */
  helloExpected: 4400,
  /** The token is missing, unknown or forged. */
  unauthenticated: 4401,
  /** The conversation ended (closed by the visitor, or its ticket closed). */
  ended: 4410,
} as const;

export type ChatSocketHubOptions = {
  helloTimeoutMs?: number;
  pingIntervalMs?: number;
  /** Visitor messages one socket may send per minute. */
  messagesPerMinute?: number;
  onError?: (error: unknown) => void;
};

type Connection = {
  socket: VisitorSocket;
  conversation: ChatConversationRow | null;
  /** Messages this socket has been sent, so the sender's own message is not shown twice. */
  sentMessageIds: Set<number>;
  recentSends: number[];
  lastTypingAt: number;
  visitorTyping: boolean;
  alive: boolean;
  queue: Promise<void>;
};

/**
 * The visitors' WebSockets in this process. A socket opens exactly one conversation (its hello token's) and is only
 * ever sent that conversation's messages. Everything it shows arrives as TendEvents, so an agent's reply made in
 * another process reaches it through the LISTEN/NOTIFY bridge like any other event.
 */
export function createChatSocketHub(ctx: AppContext, options: ChatSocketHubOptions = {}) {
  const helloTimeoutMs = options.helloTimeoutMs ?? 10_000;
  const messagesPerMinute = options.messagesPerMinute ?? 30;
  const reportError = options.onError ?? (() => undefined);
  const connections = new Set<Connection>();
  let agentsOnline: boolean | null = null;

  const send = (connection: Connection, frame: ServerFrame) => {
    if (connection.socket.readyState !== 1) return;
    if (frame.type === "message") connection.sentMessageIds.add(frame.message.id);
    connection.socket.send(JSON.stringify(frame));
  };

  const authenticated = () => [...connections].filter((c) => c.conversation !== null);
  const onTicket = (ticketId: number) => authenticated().filter((c) => c.conversation?.ticketId === ticketId);
  const onConversation = (id: number) => authenticated().filter((c) => c.conversation?.id === id);

  /** Ends a socket's chat, with the end-of-chat survey when there is one to ask. */
  const end = async (connection: Connection, message = "This chat has ended") => {
    const survey = connection.conversation
      ? await offerEndOfChatSurvey(ctx, connection.conversation).catch((error: unknown) => {
          reportError(error);
          return null;
        })
      : null;
    send(connection, { type: "ended", message, survey });
    connection.socket.close(socketCloseCodes.ended, "conversation ended");
  };

  const presentConversation = async (conversation: ChatConversationRow) => {
    const ticket = conversation.ticketId !== null ? await getTicketRow(ctx, conversation.ticketId) : null;
    const expected = conversation.replyChannel === "email" ? await expectedReplyAt(ctx, ticket) : null;
    return presentVisitorConversation(conversation, expected);
  };

  async function refreshAvailability() {
    const now = await areAgentsAvailable(ctx);
    if (now === agentsOnline) return;
    agentsOnline = now;
    for (const connection of authenticated()) send(connection, { type: "availability", agentsOnline: now });
  }

  async function onEvent(event: TendEvent) {
    switch (event.type) {
      case "message.created": {
        if (event.isInternal) return;
        const targets = onTicket(event.ticketId);
        if (targets.length === 0) return;
        const message = await findVisitorMessage(ctx, event.ticketId, event.messageId);
        if (!message) return;
        for (const connection of targets) {
          if (!connection.sentMessageIds.has(message.id)) send(connection, { type: "message", message });
        }
        return;
      }
      case "chat.typing": {
        if (event.from !== "agent") return;
        for (const connection of onTicket(event.ticketId)) {
          send(connection, { type: "typing", isTyping: event.isTyping, name: event.name ?? null });
        }
        return;
      }
      case "chat.conversation.updated": {
        const targets = onConversation(event.conversationId);
        if (targets.length === 0) return;
        const conversation = await findConversationById(ctx, event.conversationId);
        for (const connection of targets) {
          if (conversation?.status !== "active") {
            await end(connection);
            continue;
          }
          const hadTicket = connection.conversation?.ticketId ?? null;
          connection.conversation = conversation;
          if (hadTicket === null && conversation.ticketId !== null) {
            // The first message opened the ticket just before this event; it went by while the socket knew no
            // ticket (another tab, or the HTTP fallback), so send what this socket has not seen.
            for (const message of await listVisitorMessages(ctx, conversation)) {
              if (!connection.sentMessageIds.has(message.id)) send(connection, { type: "message", message });
            }
          }
          if (event.changes.includes("reply_channel")) {
            send(connection, { type: "conversation", conversation: await presentConversation(conversation) });
          }
        }
        return;
      }
      case "ticket.updated": {
        if (!event.changes.includes("status")) return;
        const targets = onTicket(event.ticketId);
        if (targets.length === 0) return;
        const ticket = await getTicketRow(ctx, event.ticketId).catch(() => null);
        if (!ticket || ticket.status === "closed") for (const connection of targets) await end(connection);
        return;
      }
      case "user.status_changed":
        await refreshAvailability();
        return;
      default:
        return;
    }
  }

  // One event at a time, so frames go out in the order things happened (a reply before the "stopped typing").
  let eventQueue = Promise.resolve();
  const unsubscribe = ctx.events.subscribe((event) => {
    if (connections.size === 0) {
      // Nobody to tell; the next hello reads availability afresh.
      if (event.type === "user.status_changed") agentsOnline = null;
      return;
    }
    eventQueue = eventQueue.then(() => onEvent(event)).catch(reportError);
  });

  async function handleFrame(connection: Connection, frame: ClientFrame) {
    if (frame.type === "ping") {
      send(connection, { type: "pong" });
      return;
    }
    if (frame.type === "hello") {
      if (connection.conversation) return;
      let conversation: ChatConversationRow;
      try {
        conversation = await resolveVisitorConversation(ctx, frame.token);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        const ended = (error.details as { reason?: string } | undefined)?.reason === "conversation_closed";
        send(connection, {
          type: "error",
          code: ended ? "conversation_closed" : error.code,
          message: error.message,
        });
        connection.socket.close(
          ended ? socketCloseCodes.ended : socketCloseCodes.unauthenticated,
          error.message,
        );
        return;
      }
      connection.conversation = conversation;
      agentsOnline = await areAgentsAvailable(ctx);
      const messages = await listVisitorMessages(ctx, conversation);
      for (const message of messages) connection.sentMessageIds.add(message.id);
      send(connection, {
        type: "ready",
        conversation: await presentConversation(conversation),
        messages,
        agentsOnline,
      });
      return;
    }
    const conversation = connection.conversation;
    if (!conversation) {
      connection.socket.close(socketCloseCodes.helloExpected, "send hello first");
      return;
    }
    try {
      if (frame.type === "message") {
        const now = ctx.clock.now().getTime();
        connection.recentSends = connection.recentSends.filter((at) => now - at < 60_000);
        if (connection.recentSends.length >= messagesPerMinute) {
          send(connection, {
            type: "error",
            code: "rate_limited",
            message: "You are sending messages too fast; wait a moment",
            clientId: frame.clientId,
          });
          return;
        }
        connection.recentSends.push(now);
        const recorded = await recordVisitorChatMessage(ctx, {
          conversationId: conversation.id,
          text: frame.text,
        });
        connection.conversation = recorded.conversation;
        const message = await findVisitorMessage(ctx, recorded.message.ticketId, recorded.message.id);
        if (message) send(connection, { type: "message", message, clientId: frame.clientId });
        connection.visitorTyping = false;
      } else if (frame.type === "typing") {
        if (conversation.ticketId === null) return;
        const now = ctx.clock.now().getTime();
        // Tell agents when typing starts or stops, and at most every 2 s while it goes on.
        if (
          frame.isTyping === connection.visitorTyping &&
          (!frame.isTyping || now - connection.lastTypingAt < 2000)
        ) {
          return;
        }
        connection.visitorTyping = frame.isTyping;
        connection.lastTypingAt = now;
        ctx.events.publish({
          type: "chat.typing",
          ticketId: conversation.ticketId,
          conversationId: conversation.id,
          from: "visitor",
          isTyping: frame.isTyping,
        });
      } else if (frame.type === "email") {
        const updated = await switchConversationToEmail(ctx, conversation, frame.email);
        connection.conversation = updated;
      }
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if ((error.details as { reason?: string } | undefined)?.reason === "conversation_closed") {
        await end(connection);
        return;
      }
      send(connection, {
        type: "error",
        code: error.code,
        message: error.message,
        ...(frame.type === "message" ? { clientId: frame.clientId } : {}),
      });
    }
  }

  const pingTimer = setInterval(() => {
    for (const connection of connections) {
      if (!connection.alive) {
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
  }, options.pingIntervalMs ?? 25_000);
  pingTimer.unref();

  return {
    /** Takes a new visitor socket; it must say hello with its token before anything else. */
    accept(socket: VisitorSocket) {
      const connection: Connection = {
        socket,
        conversation: null,
        sentMessageIds: new Set(),
        recentSends: [],
        lastTypingAt: 0,
        visitorTyping: false,
        alive: true,
        queue: Promise.resolve(),
      };
      connections.add(connection);
      const helloTimer = setTimeout(() => {
        if (!connection.conversation) socket.close(socketCloseCodes.helloExpected, "no hello in time");
      }, helloTimeoutMs);
      helloTimer.unref();
      socket.on("pong", () => {
        connection.alive = true;
      });
      socket.on("message", (data) => {
        connection.alive = true;
        let frame: ClientFrame;
        try {
          const parsed = clientFrameSchema.safeParse(JSON.parse(String(data)));
          if (!parsed.success) {
            send(connection, {
              type: "error",
              code: "validation_failed",
              message: parsed.error.issues[0]?.message ?? "Invalid frame",
            });
            return;
          }
          frame = parsed.data;
        } catch {
          send(connection, { type: "error", code: "validation_failed", message: "Frames are JSON" });
          return;
        }
        // One frame at a time per socket, so messages are recorded in the order they were sent.
        connection.queue = connection.queue
          .then(() => handleFrame(connection, frame))
          .catch((error: unknown) => {
            reportError(error);
            send(connection, {
              type: "error",
              code: "internal",
              message: "Something went wrong; try again",
              ...(frame.type === "message" ? { clientId: frame.clientId } : {}),
            });
          });
      });
      socket.on("close", () => {
        clearTimeout(helloTimer);
        connections.delete(connection);
        const conversation = connection.conversation;
        if (connection.visitorTyping && conversation?.ticketId) {
          ctx.events.publish({
            type: "chat.typing",
            ticketId: conversation.ticketId,
            conversationId: conversation.id,
            from: "visitor",
            isTyping: false,
          });
        }
      });
      socket.on("error", reportError);
    },
    /** How many visitor sockets are open here (for tests and health). */
    get size() {
      return connections.size;
    },
    close() {
      clearInterval(pingTimer);
      unsubscribe();
      for (const connection of connections) connection.socket.close(1001, "server shutting down");
      connections.clear();
    },
  };
}

export type ChatSocketHub = ReturnType<typeof createChatSocketHub>;
