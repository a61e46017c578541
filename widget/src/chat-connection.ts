import type {
  ChatSurveyPromptDto,
  ServerFrame,
  VisitorConversationDto,
  VisitorMessageDto,
} from "../../src/modules/chat/chat.schemas.ts";

export type { ChatSurveyPromptDto, ServerFrame, VisitorConversationDto, VisitorMessageDto };

export type PrechatField = { enabled: boolean; required: boolean };
export type WidgetConfig = {
  greeting: string;
  offlineMessage: string;
  prechat: { name: PrechatField; email: PrechatField; question: PrechatField };
  agentsOnline: boolean;
};
export type StartAnswer = {
  conversation: VisitorConversationDto;
  visitorToken: string;
  visitorId: string;
  agentsOnline: boolean;
  messages: VisitorMessageDto[];
};
export type Identity = { email: string; name?: string; signature: string };

/** An error answer from Tend, with the field it is about when there is one. */
export class ChatApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly path: string | null,
  ) {
    super(message);
  }
}

/** The visitor API over fetch: no cookies (the token goes in a header), so it works from any site. */
export function createChatApi(baseUrl: string, widgetKey: string) {
  async function call<T>(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
    prefix = "/api/v1/chat/visitor",
  ): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers["content-type"] = "application/json";
    if (token) headers["x-tend-visitor-token"] = token;
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${prefix}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "omit",
      });
    } catch {
      throw new ChatApiError(0, "network", "Can't reach the chat right now. Check your connection.", null);
    }
    const payload = (await response.json().catch(() => null)) as {
      error?: { code: string; message: string; details?: { path?: string } };
    } | null;
    if (!response.ok) {
      const error = payload?.error;
      throw new ChatApiError(
        response.status,
        error?.code ?? "http_error",
        error?.message ?? "Something went wrong. Try again.",
        error?.details?.path ?? null,
      );
    }
    return payload as T;
  }
  return {
    config: () => call<WidgetConfig>("GET", `/config?key=${encodeURIComponent(widgetKey)}`),
    start: (body: {
      visitorId?: string;
      name?: string;
      email?: string;
      question?: string;
      identity?: Identity;
    }) => call<StartAnswer>("POST", "/conversations", { key: widgetKey, ...body }),
    send: (id: number, token: string, text: string) =>
      call<VisitorMessageDto>("POST", `/conversations/${id}/messages`, { text }, token),
    askForEmail: (id: number, token: string, email?: string) =>
      call<{ conversation: VisitorConversationDto }>("POST", `/conversations/${id}/email`, { email }, token),
    close: (id: number, token: string) =>
      call<{ ok: true; survey: ChatSurveyPromptDto | null }>("POST", `/conversations/${id}/close`, {}, token),
    /** The end-of-chat survey, by its signed token (not the chat's). */
    answerSurvey: (surveyToken: string, body: { score?: number; comment?: string }) =>
      call(
        "POST",
        `/${surveyToken}/${body.score === undefined ? "comment" : "response"}`,
        body,
        undefined,
        "/api/v1/surveys/public",
      ),
  };
}

export type SocketHandlers = {
  onFrame(frame: ServerFrame): void;
  /** The socket is up (true) or down and retrying (false). */
  onLive(live: boolean): void;
  /** The token no longer opens anything: ended, or unknown. */
  onRejected(ended: boolean): void;
};

/**
 * The conversation's WebSocket: says hello with the token, and after any drop reconnects with exponential backoff
 * (1 s doubling to 30 s, with jitter so a restarted server is not hit by every widget at once).
 */
export function openChatSocket(baseUrl: string, token: string, handlers: SocketHandlers) {
  const url = `${baseUrl.replace(/^http/, "ws")}/api/v1/chat/visitor/socket`;
  let socket: WebSocket | null = null;
  let attempt = 0;
  let stopped = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const connect = () => {
    if (stopped) return;
    const current = new WebSocket(url);
    socket = current;
    current.onopen = () => {
      attempt = 0;
      current.send(JSON.stringify({ type: "hello", token }));
    };
    current.onmessage = (event) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(event.data)) as ServerFrame;
      } catch {
        return;
      }
      if (frame.type === "ready") handlers.onLive(true);
      handlers.onFrame(frame);
    };
    current.onclose = (event) => {
      if (socket !== current) return;
      socket = null;
      handlers.onLive(false);
      if (event.code === 4401 || event.code === 4410) {
        stopped = true;
        handlers.onRejected(event.code === 4410);
        return;
      }
      if (stopped) return;
      const delay = Math.min(30_000, 1000 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
      attempt += 1;
      retryTimer = setTimeout(connect, delay);
    };
  };

  const onOnline = () => {
    // Back online: try now instead of waiting out the backoff.
    if (!socket && !stopped) {
      clearTimeout(retryTimer);
      attempt = 0;
      connect();
    }
  };
  window.addEventListener("online", onOnline);
  connect();

  return {
    /** Sends a frame when the socket is up; false when it is not (the caller uses HTTP instead). */
    send(frame: object): boolean {
      if (!socket || socket.readyState !== WebSocket.OPEN) return false;
      socket.send(JSON.stringify(frame));
      return true;
    },
    stop() {
      stopped = true;
      clearTimeout(retryTimer);
      window.removeEventListener("online", onOnline);
      socket?.close(1000);
      socket = null;
    },
  };
}
