import type {
  AgentStatus,
  ApiErrorBody,
  ChatSettings,
  ChatWidgetSettings,
  CustomerDetail,
  Message,
  Page,
  SessionInfo,
  TicketChat,
  TicketCounts,
  TicketDetail,
  TicketListPage,
  TicketSummary,
  TicketUpdate,
  TicketView,
  TimelineItem,
  UserListItem,
} from "./api-types.ts";

/** An error answer from the API (or the network), with the server's code and message kept for the UI. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

// The CSRF token lives in memory only: it comes from login or /auth/session and goes out on every unsafe request.
let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

/** Called when any request answers 401 (the session ended elsewhere), so the app can show the login page. */
export function setUnauthenticatedHandler(handler: (() => void) | null) {
  onUnauthenticated = handler;
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== "object" || value === null || !("error" in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === "object" && error !== null && "message" in error;
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (unsafeMethods.has(method) && csrfToken) headers["x-csrf-token"] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError(0, "network", "Cannot reach Tend; check your connection and try again");
  }
  const payload: unknown = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    if (response.status === 401 && path !== "/api/v1/auth/login" && path !== "/api/v1/auth/session") {
      onUnauthenticated?.();
    }
    if (isErrorBody(payload)) {
      throw new ApiError(response.status, payload.error.code, payload.error.message, payload.error.details);
    }
    throw new ApiError(response.status, "http_error", `The server answered ${response.status}`);
  }
  return payload as T;
}

export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

export const api = {
  login: (email: string, password: string) =>
    request<SessionInfo>("POST", "/api/v1/auth/login", { email, password }),
  logout: () => request<{ ok: true }>("POST", "/api/v1/auth/logout"),
  session: () => request<SessionInfo>("GET", "/api/v1/auth/session"),

  /** The inbox list, or with `q` a ranked search (filters apply to both). */
  listTickets: (params: {
    view: TicketView;
    q?: string;
    prefix?: boolean;
    status?: string;
    assignee?: string;
    channel?: string;
    tag?: string;
    createdFrom?: string;
    createdTo?: string;
    cursor?: string | null;
    limit?: number;
  }) =>
    request<TicketListPage>(
      "GET",
      `/api/v1/tickets${query({ ...params, prefix: params.prefix ? "true" : undefined })}`,
    ),
  ticketCounts: () => request<TicketCounts>("GET", "/api/v1/tickets/counts"),
  getTicket: (id: number) => request<TicketDetail>("GET", `/api/v1/tickets/${id}`),
  updateTicket: (id: number, update: TicketUpdate) =>
    request<TicketSummary>("PATCH", `/api/v1/tickets/${id}`, update),
  addMessage: (id: number, input: { text: string; isInternal: boolean }) =>
    request<Message>("POST", `/api/v1/tickets/${id}/messages`, input),

  getCustomer: (id: number) => request<CustomerDetail>("GET", `/api/v1/customers/${id}`),
  customerTimeline: (id: number, cursor?: string | null) =>
    request<Page<TimelineItem>>("GET", `/api/v1/customers/${id}/timeline${query({ cursor })}`),

  listUsers: () => request<{ items: UserListItem[] }>("GET", "/api/v1/users"),
  setMyStatus: (status: AgentStatus) =>
    request<{ id: number; status: AgentStatus }>("PATCH", "/api/v1/me/status", { status }),

  ticketChat: (ticketId: number) => request<TicketChat>("GET", `/api/v1/tickets/${ticketId}/chat`),
  sendTyping: (ticketId: number, isTyping: boolean) =>
    request<{ ok: true }>("POST", `/api/v1/tickets/${ticketId}/typing`, { isTyping }),
  chatSettings: () => request<ChatSettings>("GET", "/api/v1/chat/settings"),
  saveChatSettings: (widget: ChatWidgetSettings) =>
    request<ChatSettings>("PUT", "/api/v1/chat/settings", { widget }),
  rotateChatIdentitySecret: () => request<ChatSettings>("POST", "/api/v1/chat/settings/identity-secret"),
};

/** Words for the login form: what went wrong and what to do. */
export function describeLoginError(error: unknown): string {
  if (!(error instanceof ApiError)) return "Something went wrong; try again.";
  if (error.status === 401) return "Wrong email or password.";
  if (error.status === 429) {
    const details = error.details as { retryAfterSeconds?: unknown } | undefined;
    const seconds = typeof details?.retryAfterSeconds === "number" ? details.retryAfterSeconds : null;
    if (seconds === null) return "Too many sign-in attempts. Wait a while, then try again.";
    const minutes = Math.ceil(seconds / 60);
    return `Too many sign-in attempts. Try again in ${minutes <= 1 ? "a minute" : `${minutes} minutes`}.`;
  }
  if (error.status === 400) return "Enter your email and password.";
  return error.message;
}
