import {
  ChatApiError,
  type ChatSurveyPromptDto,
  createChatApi,
  type Identity,
  openChatSocket,
  type ServerFrame,
  type VisitorConversationDto,
  type VisitorMessageDto,
  type WidgetConfig,
} from "./chat-connection.ts";
import { describeExpectedReply } from "./expected-reply.ts";
import { createVisitorStore } from "./visitor-store.ts";
import { widgetCss } from "./widget-styles.ts";

// Tend's live-chat widget. One <script src=".../widget.js" data-tend-key="..." async> puts a launcher on the page;
// everything renders in a shadow root. Optional: window.TendChat.identify({ email, name, signature }) with the
// HMAC the business's server computed, or window.TendChatSettings = { identity } before the script loads.

type Attrs = Record<string, string | boolean | ((event: Event) => void)>;

/** A tiny element builder: attributes, event handlers (on*), and text or element children. */
function h(tag: string, attrs: Attrs = {}, ...children: (Node | string | null | false)[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, "");
    else if (value !== false) element.setAttribute(name, value);
  }
  for (const child of children) if (child) element.append(child);
  return element;
}

const chatIcon =
  '<svg viewBox="0 0 24 24" aria-hidden="true" fill="currentColor"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';

type State = {
  config: WidgetConfig | null;
  conversation: VisitorConversationDto | null;
  messages: VisitorMessageDto[];
  pending: { clientId: string; text: string; failed: boolean }[];
  agentsOnline: boolean;
  live: boolean;
  agentTyping: string | null;
  ended: boolean;
  /** The question to ask once the chat has ended (from the server), or null. */
  survey: ChatSurveyPromptDto | null;
};

function boot() {
  const script =
    (document.currentScript as HTMLScriptElement | null) ??
    document.querySelector<HTMLScriptElement>("script[data-tend-key]");
  const widgetKey = script?.dataset.tendKey;
  if (!script || !widgetKey) {
    console.warn("Tend chat: add data-tend-key to the widget's <script> tag.");
    return;
  }
  const baseUrl = new URL(script.src, window.location.href).href.replace(/\/widget\.js(\?.*)?$/, "");
  const api = createChatApi(baseUrl, widgetKey);
  const store = createVisitorStore(widgetKey);
  const preset = (window as Window & { TendChatSettings?: { identity?: Identity } }).TendChatSettings;
  let identity: Identity | null = preset?.identity ?? null;

  const state: State = {
    config: null,
    conversation: null,
    messages: [],
    pending: [],
    agentsOnline: false,
    live: false,
    agentTyping: null,
    ended: false,
    survey: null,
  };
  let socket: ReturnType<typeof openChatSocket> | null = null;
  let agentTypingTimer: ReturnType<typeof setTimeout> | undefined;
  let typingSentAt = 0;
  let typingStopTimer: ReturnType<typeof setTimeout> | undefined;
  let clientCounter = 0;

  // --- the shell: launcher and panel in a shadow root ---------------------------------------------------------
  const host = document.createElement("div");
  host.setAttribute("data-tend-chat", "");
  const root = host.attachShadow({ mode: "open" });
  if (
    "adoptedStyleSheets" in root &&
    typeof CSSStyleSheet === "function" &&
    "replaceSync" in CSSStyleSheet.prototype
  ) {
    // A constructed sheet is not inline style, so a strict style-src on the host page does not block it.
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(widgetCss);
    root.adoptedStyleSheets = [sheet];
  } else {
    root.append(h("style", {}, widgetCss));
  }
  const statusText = h("span", {});
  const launcherLabel = () => (panel.hidden ? "Open chat" : "Close chat");
  const launcher = h("button", {
    type: "button",
    class: "launcher",
    "aria-expanded": "false",
    "aria-controls": "tc-panel",
    "aria-label": "Open chat",
    onclick: () => (panel.hidden ? openPanel() : closePanel()),
  });
  launcher.innerHTML = `${chatIcon}<span class="ldot"></span>`;
  const body = h("div", { class: "body" });
  const panel = h(
    "section",
    { id: "tc-panel", class: "panel", role: "dialog", "aria-labelledby": "tc-title", hidden: true },
    h(
      "header",
      {},
      h(
        "div",
        {},
        h("h2", { id: "tc-title" }, "Chat with us"),
        h("p", { class: "status" }, h("span", { class: "dot" }), statusText),
      ),
      h(
        "button",
        { type: "button", class: "x", "aria-label": "Close chat", onclick: () => closePanel() },
        "×",
      ),
    ),
    body,
  );
  const shell = h("div", { class: "tc" }, panel, launcher);
  root.append(shell);
  panel.addEventListener("keydown", (event) => {
    if ((event as KeyboardEvent).key === "Escape") {
      event.stopPropagation();
      closePanel();
    }
  });

  function openPanel(options: { focus?: boolean } = {}) {
    panel.hidden = false;
    shell.classList.add("open");
    launcher.setAttribute("aria-expanded", "true");
    launcher.setAttribute("aria-label", launcherLabel());
    store.update({ open: true });
    render();
    if (options.focus !== false) focusFirst();
  }

  function closePanel() {
    panel.hidden = true;
    shell.classList.remove("open");
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-label", launcherLabel());
    store.update({ open: false });
    launcher.focus();
  }

  function focusFirst() {
    const target = body.querySelector<HTMLElement>("textarea#tc-msg, input, textarea, button");
    target?.focus();
  }

  // --- rendering ------------------------------------------------------------------------------------------------
  function renderStatus() {
    const online = state.agentsOnline;
    shell.classList.toggle("on", online);
    statusText.textContent = online ? "We're online" : "We're away · we reply by email";
  }

  let shownView: "prechat" | "chat" | "ended" | null = null;
  let prechatKey = "";

  function render() {
    renderStatus();
    if (panel.hidden) return;
    const view = state.ended ? "ended" : state.conversation ? "chat" : "prechat";
    if (view === "chat") {
      // The chat's elements stay in place and are updated: live regions only announce changes inside elements
      // that were already there, and the visitor's draft, focus and scroll position are never disturbed.
      if (shownView !== "chat") body.replaceChildren(chatUi.root);
      chatUi.update();
    } else if (view === "ended") {
      if (shownView !== "ended") body.replaceChildren(endedView());
    } else {
      const key = JSON.stringify([Boolean(state.config), state.agentsOnline, identity?.email ?? null]);
      if (shownView !== "prechat" || key !== prechatKey) {
        prechatKey = key;
        replaceKeepingDrafts(prechatView());
      }
    }
    shownView = view;
  }

  /** Swaps the form for a new one without losing what the visitor typed, or their focus. */
  function replaceKeepingDrafts(next: HTMLElement) {
    const active = root.activeElement as HTMLInputElement | HTMLTextAreaElement | null;
    const keepFocus = active && body.contains(active) ? active.id : null;
    const drafts = new Map<string, string>();
    for (const input of Array.from(
      body.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>("input,textarea"),
    )) {
      if (input.id && input.value) drafts.set(input.id, input.value);
    }
    body.replaceChildren(next);
    for (const [id, value] of drafts) {
      const input = root.getElementById(id) as HTMLInputElement | HTMLTextAreaElement | null;
      if (input && !input.value) input.value = value;
    }
    if (keepFocus) root.getElementById(keepFocus)?.focus();
  }

  function field(id: string, label: string, required: boolean, input: HTMLElement) {
    input.id = id;
    if (required) input.setAttribute("required", "");
    input.setAttribute("aria-describedby", `${id}-err`);
    return h(
      "div",
      {},
      h("label", { for: id }, label, required ? "" : " (optional)"),
      input,
      h("p", { class: "err", id: `${id}-err`, role: "alert" }),
    );
  }

  function prechatView(): HTMLElement {
    const config = state.config;
    if (!config) return h("p", { class: "ended", role: "status" }, "Loading…");
    const offline = !state.agentsOnline;
    const fields = config.prechat;
    // With nobody online the reply goes by email, so an email is needed unless the business signed one.
    const emailRequired = !identity && (offline || fields.email.required);
    const showEmail = !identity && (fields.email.enabled || offline);
    const form = h(
      "form",
      {
        class: "pre",
        novalidate: true,
        onsubmit: (event) => void submitPrechat(event, form as HTMLFormElement),
      },
      h("p", {}, offline ? config.offlineMessage : config.greeting),
      fields.name.enabled && !identity
        ? field("tc-name", "Name", fields.name.required, h("input", { name: "name", autocomplete: "name" }))
        : null,
      showEmail
        ? field(
            "tc-email",
            "Email",
            emailRequired,
            h("input", { name: "email", type: "email", autocomplete: "email" }),
          )
        : null,
      fields.question.enabled
        ? field(
            "tc-question",
            "How can we help?",
            fields.question.required,
            h("textarea", { name: "question", rows: "3" }),
          )
        : null,
      h("p", { class: "err", id: "tc-form-err", role: "alert" }),
      h("button", { type: "submit", class: "primary" }, offline ? "Send" : "Start chat"),
    );
    return form;
  }

  async function submitPrechat(event: Event, form: HTMLFormElement) {
    event.preventDefault();
    const value = (name: string) =>
      (form.elements.namedItem(name) as HTMLInputElement | HTMLTextAreaElement | null)?.value.trim() ||
      undefined;
    const answers = { name: value("name"), email: value("email"), question: value("question") };
    for (const slot of Array.from(form.querySelectorAll(".err"))) slot.textContent = "";
    // The browser's own check, worded in our fields' error slots so screen readers hear which field is wrong.
    for (const input of Array.from(
      form.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>("input,textarea"),
    )) {
      input.removeAttribute("aria-invalid");
      if (!input.checkValidity()) {
        input.setAttribute("aria-invalid", "true");
        const slot = root.getElementById(`${input.id}-err`);
        if (slot)
          slot.textContent = input.validity.valueMissing ? "Please fill this in." : "Please check this.";
        input.focus();
        return;
      }
    }
    const button = form.querySelector("button[type=submit]") as HTMLButtonElement;
    button.disabled = true;
    try {
      const started = await api.start({
        ...answers,
        visitorId: store.read().visitorId,
        identity: identity ?? undefined,
      });
      store.update({
        visitorId: started.visitorId,
        conversation: {
          id: started.conversation.id,
          token: started.visitorToken,
          identityEmail: identity?.email ?? null,
        },
      });
      state.conversation = started.conversation;
      state.messages = started.messages;
      state.agentsOnline = started.agentsOnline;
      connect(started.visitorToken);
      render();
      focusFirst();
    } catch (error) {
      button.disabled = false;
      const message = error instanceof Error ? error.message : "Something went wrong. Try again.";
      const path = error instanceof ChatApiError ? error.path : null;
      if (error instanceof ChatApiError && error.path === "body.email" && state.agentsOnline) {
        // Everyone went offline meanwhile: show the offline form, which asks for an email.
        state.agentsOnline = false;
        render();
      }
      const slotId = path ? `tc-${path.replace(/^body\./, "")}-err` : "tc-form-err";
      const slot = root.getElementById(slotId) ?? root.getElementById("tc-form-err");
      if (slot) slot.textContent = message;
      const input = path ? root.getElementById(`tc-${path.replace(/^body\./, "")}`) : null;
      input?.setAttribute("aria-invalid", "true");
      input?.focus();
    }
  }

  function messageNode(message: { from: string; authorName: string; text: string }, extra = "") {
    const mine = message.from === "visitor";
    return h(
      "div",
      { class: `msg${mine ? " me" : ""}${extra}` },
      h("span", { class: "who" }, mine ? "You" : message.authorName),
      message.text,
    );
  }

  function createChatUi() {
    const log = h("div", {
      class: "log",
      role: "log",
      "aria-live": "polite",
      "aria-label": "Messages",
      tabindex: "0",
    });
    const typing = h("p", { class: "typing", "aria-live": "polite" });
    const notice = h("div", { "aria-live": "polite" });
    const connection = h("span", { role: "status" });
    const text = h("textarea", {
      id: "tc-msg",
      rows: "1",
      placeholder: "Write a message…",
      oninput: () => onVisitorTyping(),
      onkeydown: (event) => {
        const key = event as KeyboardEvent;
        if (key.key === "Enter" && !key.shiftKey && !key.isComposing) {
          event.preventDefault();
          composer.requestSubmit();
        }
      },
    }) as HTMLTextAreaElement;
    const composer = h(
      "form",
      {
        class: "composer",
        onsubmit: (event) => {
          event.preventDefault();
          const value = text.value.trim();
          if (!value) return;
          text.value = "";
          void sendMessage(value);
        },
      },
      h("label", { for: "tc-msg" }, "Message"),
      text,
      h("button", { type: "submit", class: "primary" }, "Send"),
    ) as HTMLFormElement;
    const view = h(
      "div",
      { class: "body" },
      log,
      typing,
      notice,
      composer,
      h(
        "p",
        { class: "foot" },
        connection,
        h("button", { type: "button", class: "link", onclick: () => void endChat() }, "End chat"),
      ),
    );
    // Messages on screen by key ("m<id>", or "p<clientId>" while sending), so updates only add what is new.
    const shown = new Map<string, HTMLElement>();
    let noticeKey = "";

    function noticeContent(conversation: VisitorConversationDto): HTMLElement | null {
      if (conversation.replyChannel === "email") {
        const expected = conversation.expectedReplyAt ? new Date(conversation.expectedReplyAt) : null;
        return h(
          "p",
          { class: "notice" },
          `${describeExpectedReply(expected, new Date())} We'll write to ${conversation.email}.`,
        );
      }
      if (state.agentsOnline) return null;
      const emailKnown = Boolean(conversation.email || identity);
      const emailForm = h(
        "form",
        { novalidate: true, onsubmit: (event) => void submitEmail(event, emailForm as HTMLFormElement) },
        h("label", { for: "tc-fallback-email" }, "Your email"),
        emailKnown
          ? null
          : h("input", {
              id: "tc-fallback-email",
              name: "email",
              type: "email",
              required: true,
              autocomplete: "email",
              placeholder: "you@example.com",
            }),
        h("button", { type: "submit", class: "primary" }, "Reply by email"),
      );
      return h(
        "div",
        { class: "notice" },
        h(
          "p",
          { style: "margin:0" },
          "Nobody is online right now. Leave your email and we'll reply by email.",
        ),
        emailForm,
        h("p", { class: "err", id: "tc-fallback-email-err", role: "alert" }),
      );
    }

    return {
      root: view,
      update() {
        const conversation = state.conversation as VisitorConversationDto;
        const wanted = new Map<string, { create: () => HTMLElement; sending: "" | "pending" | "failed" }>();
        for (const message of state.messages) {
          wanted.set(`m${message.id}`, { create: () => messageNode(message), sending: "" });
        }
        for (const pending of state.pending) {
          wanted.set(`p${pending.clientId}`, {
            create: () => messageNode({ from: "visitor", authorName: "You", text: pending.text }),
            sending: pending.failed ? "failed" : "pending",
          });
        }
        for (const [key, node] of shown) {
          if (!wanted.has(key)) {
            node.remove();
            shown.delete(key);
          }
        }
        let added = false;
        for (const [key, item] of wanted) {
          let node = shown.get(key);
          if (!node) {
            node = item.create();
            log.append(node);
            shown.set(key, node);
            added = true;
          }
          node.classList.toggle("pending", item.sending === "pending");
          node.classList.toggle("failed", item.sending === "failed");
          if (item.sending === "failed" && !node.querySelector(".not-sent")) {
            node.append(h("span", { class: "not-sent" }, " (not sent)"));
          }
        }
        if (added) log.scrollTop = log.scrollHeight;
        const typingText = state.agentTyping ? `${state.agentTyping} is typing…` : "";
        if (typing.textContent !== typingText) typing.textContent = typingText;
        const key = JSON.stringify([
          conversation.replyChannel,
          conversation.email,
          conversation.expectedReplyAt,
          state.agentsOnline,
          Boolean(identity),
        ]);
        if (key !== noticeKey) {
          noticeKey = key;
          const content = noticeContent(conversation);
          notice.replaceChildren(...(content ? [content] : []));
        }
        const connectionText = state.live ? "" : "Connecting…";
        if (connection.textContent !== connectionText) connection.textContent = connectionText;
      },
      reset() {
        log.replaceChildren();
        shown.clear();
        noticeKey = "";
        typing.textContent = "";
        text.value = "";
      },
    };
  }

  const chatUi = createChatUi();

  function endedView(): HTMLElement {
    return h(
      "div",
      { class: "ended" },
      h("p", { role: "status" }, "This chat has ended. Thank you!"),
      state.survey ? surveyView(state.survey) : null,
      h("button", { type: "button", class: "primary", onclick: () => startOver() }, "Start a new chat"),
    );
  }

  /** The end-of-chat question: one click on a point records it, then an optional comment. */
  function surveyView(survey: ChatSurveyPromptDto): HTMLElement {
    const status = h("p", { role: "status" });
    const send = async (body: { score?: number; comment?: string }, done: () => void) => {
      try {
        await api.answerSurvey(survey.token, body);
        done();
      } catch (error) {
        status.textContent = error instanceof Error ? error.message : "Could not save that. Try again.";
      }
    };
    const comment = h("textarea", { id: "tc-sv-c", rows: "2" }) as HTMLTextAreaElement;
    const commentForm = h(
      "form",
      {
        class: "sv",
        onsubmit: (event) => {
          event.preventDefault();
          const text = comment.value.trim();
          if (text) void send({ comment: text }, () => commentForm.replaceWith(h("p", {}, "Thank you!")));
        },
      },
      h("label", { for: "tc-sv-c" }, survey.commentPrompt ?? "Anything to add?"),
      comment,
      h("button", { type: "submit", class: "primary" }, "Send"),
    );
    const scale = h(
      "div",
      { class: "sv-scale", role: "group", "aria-labelledby": "tc-sv-q" },
      ...survey.question.points.map((point) =>
        h(
          "button",
          {
            type: "button",
            class: "sv-opt",
            "aria-label": point.label,
            title: point.label,
            onclick: () =>
              void send({ score: point.value }, () => {
                status.textContent = "Thanks for your rating!";
                scale.replaceWith(survey.commentPrompt ? commentForm : h("span"));
                if (survey.commentPrompt) comment.focus();
              }),
          },
          point.symbol,
        ),
      ),
    );
    return h("div", { class: "sv" }, h("p", { id: "tc-sv-q" }, survey.question.prompt), scale, status);
  }

  // --- behaviour --------------------------------------------------------------------------------------------------
  function merge(message: VisitorMessageDto) {
    if (state.messages.some((m) => m.id === message.id)) return;
    state.messages.push(message);
    state.messages.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id);
  }

  function onFrame(frame: ServerFrame) {
    switch (frame.type) {
      case "ready":
        state.conversation = frame.conversation;
        state.messages = frame.messages;
        state.agentsOnline = frame.agentsOnline;
        break;
      case "message":
        if (frame.clientId) state.pending = state.pending.filter((p) => p.clientId !== frame.clientId);
        merge(frame.message);
        if (frame.message.from === "agent") {
          state.agentTyping = null;
          if (panel.hidden) launcher.setAttribute("aria-label", "Open chat (new message)");
        }
        break;
      case "typing":
        clearTimeout(agentTypingTimer);
        state.agentTyping = frame.isTyping ? (frame.name ?? "Support") : null;
        // An agent who stops without saying so (closed the tab) stops showing as typing after a while.
        if (frame.isTyping) {
          agentTypingTimer = setTimeout(() => {
            state.agentTyping = null;
            render();
          }, 8000);
        }
        break;
      case "availability":
        state.agentsOnline = frame.agentsOnline;
        break;
      case "conversation":
        state.conversation = frame.conversation;
        break;
      case "error":
        if (frame.clientId) {
          for (const pending of state.pending) if (pending.clientId === frame.clientId) pending.failed = true;
        }
        break;
      case "ended":
        state.survey = frame.survey ?? state.survey;
        finish();
        break;
      default:
        return;
    }
    render();
  }

  function connect(token: string) {
    socket?.stop();
    socket = openChatSocket(baseUrl, token, {
      onFrame,
      onLive(live) {
        state.live = live;
        render();
      },
      onRejected(ended) {
        if (ended) finish();
        else startOver();
      },
    });
  }

  async function sendMessage(text: string) {
    const conversation = store.read().conversation;
    if (!conversation) return;
    const clientId = `c${++clientCounter}`;
    state.pending.push({ clientId, text, failed: false });
    typingSentAt = 0;
    render();
    if (socket?.send({ type: "message", text, clientId })) return;
    // No socket right now: the same message over HTTP.
    try {
      const message = await api.send(conversation.id, conversation.token, text);
      state.pending = state.pending.filter((p) => p.clientId !== clientId);
      merge(message);
    } catch {
      for (const pending of state.pending) if (pending.clientId === clientId) pending.failed = true;
    }
    render();
  }

  function onVisitorTyping() {
    const now = Date.now();
    if (now - typingSentAt > 2000) {
      typingSentAt = now;
      socket?.send({ type: "typing", isTyping: true });
    }
    clearTimeout(typingStopTimer);
    typingStopTimer = setTimeout(() => {
      typingSentAt = 0;
      socket?.send({ type: "typing", isTyping: false });
    }, 3000);
  }

  async function submitEmail(event: Event, form: HTMLFormElement) {
    event.preventDefault();
    const conversation = store.read().conversation;
    if (!conversation) return;
    const input = form.querySelector("input");
    if (input && !input.checkValidity()) {
      const slot = root.getElementById("tc-fallback-email-err");
      if (slot) slot.textContent = "Please enter your email address.";
      input.setAttribute("aria-invalid", "true");
      input.focus();
      return;
    }
    try {
      const answer = await api.askForEmail(
        conversation.id,
        conversation.token,
        input?.value.trim() || undefined,
      );
      state.conversation = answer.conversation;
      render();
    } catch (error) {
      const slot = root.getElementById("tc-fallback-email-err");
      if (slot) slot.textContent = error instanceof Error ? error.message : "Could not save your email.";
    }
  }

  async function endChat() {
    const conversation = store.read().conversation;
    if (conversation) {
      const answer = await api.close(conversation.id, conversation.token).catch(() => null);
      state.survey = answer?.survey ?? state.survey;
    }
    finish();
  }

  function finish() {
    socket?.stop();
    socket = null;
    store.update({ conversation: undefined });
    state.ended = true;
    state.pending = [];
    state.agentTyping = null;
    render();
    focusFirst();
  }

  function startOver() {
    socket?.stop();
    socket = null;
    store.update({ conversation: undefined });
    chatUi.reset();
    Object.assign(state, {
      conversation: null,
      messages: [],
      pending: [],
      ended: false,
      agentTyping: null,
      survey: null,
    });
    void loadConfig();
    render();
    focusFirst();
  }

  async function loadConfig() {
    try {
      state.config = await api.config();
      if (!state.conversation) state.agentsOnline = state.config.agentsOnline;
    } catch {
      // The launcher stays; opening shows the form once the config arrives on a later try.
    }
    render();
  }

  /** A conversation kept from an earlier page, unless it belongs to another (or no longer any) signed-in user. */
  function resume() {
    const stored = store.read().conversation;
    if (!stored) return;
    if ((identity?.email ?? null) !== stored.identityEmail) {
      store.update({ conversation: undefined });
      return;
    }
    state.conversation = {
      id: stored.id,
      replyChannel: "chat",
      identityVerified: Boolean(identity),
      name: null,
      email: null,
      expectedReplyAt: null,
    };
    connect(stored.token);
  }

  const publicApi = {
    /** Signed identity for a logged-in visitor; the signature is hex(HMAC-SHA256(identity secret, email)). */
    identify(next: Identity) {
      const changed = identity?.email !== next.email;
      identity = next;
      if (changed && store.read().conversation?.identityEmail !== next.email) {
        if (state.conversation) startOver();
      }
      render();
    },
    /** Forget the visitor (call on logout): the next chat starts fresh. */
    reset() {
      identity = null;
      startOver();
    },
    open: () => openPanel(),
    close: () => closePanel(),
  };
  (window as Window & { TendChat?: typeof publicApi }).TendChat = publicApi;

  document.body.append(host);
  resume();
  void loadConfig();
  // Reopened as the visitor left it, without taking focus from the page they just loaded.
  if (store.read().open && state.conversation) openPanel({ focus: false });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot, { once: true });
else boot();
