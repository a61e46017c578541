import { type FormEvent, useCallback, useEffect, useId, useState } from "react";
import { ApiError, api } from "../api/api-client.ts";
import type { ChatSettings, ChatWidgetSettings, PublicUser } from "../api/api-types.ts";

type FieldName = keyof ChatWidgetSettings["prechat"];
const fieldLabels: Record<FieldName, string> = { name: "Name", email: "Email", question: "Question" };

function nodeExample(secretVariable: string) {
  return `import { createHmac } from "node:crypto";

// On your server, for the signed-in customer (never in the browser: the secret must stay on the server).
const signature = createHmac("sha256", process.env.${secretVariable})
  .update(user.email) // exactly the email you pass to the widget
  .digest("hex");`;
}

function phpExample(secretVariable: string) {
  return `<?php
// On your server, for the signed-in customer.
$signature = hash_hmac('sha256', $user->email, getenv('${secretVariable}'));`;
}

const pageExample = `<script>
  // Before the widget's <script> tag (or later: window.TendChat.identify({...})).
  window.TendChatSettings = {
    identity: { email: "jo@example.com", name: "Jo Example", signature: "<signature from your server>" },
  };
</script>`;

/** Embed snippet, identity secret with signing examples (admins), and the pre-chat form (admins edit). */
export function ChatSettingsRoute({ me }: { me: PublicUser }) {
  const [settings, setSettings] = useState<ChatSettings | null>(null);
  const [draft, setDraft] = useState<ChatWidgetSettings | null>(null);
  const [origins, setOrigins] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState("");
  const [busy, setBusy] = useState(false);
  const isAdmin = me.role === "admin";
  const ids = useId();

  const apply = useCallback((next: ChatSettings) => {
    setSettings(next);
    setDraft(next.widget);
    setOrigins(next.widget.allowedOrigins.join("\n"));
  }, []);

  useEffect(() => {
    document.title = "Chat widget · Tend";
    api
      .chatSettings()
      .then(apply)
      .catch((caught: unknown) => setError(caught instanceof ApiError ? caught.message : "Could not load"));
  }, [apply]);

  if (!settings || !draft) {
    return (
      <main className="settings-page" aria-busy={!error}>
        <h1>Chat widget</h1>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : (
          <p>Loading…</p>
        )}
      </main>
    );
  }

  const setField = (field: FieldName, change: Partial<{ enabled: boolean; required: boolean }>) => {
    const current = draft.prechat[field];
    const next = { ...current, ...change };
    if (!next.enabled) next.required = false;
    setDraft({ ...draft, prechat: { ...draft.prechat, [field]: next } });
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setNotice("");
    try {
      const allowedOrigins = origins
        .split(/\s+/)
        .map((line) => line.trim())
        .filter(Boolean);
      apply(await api.saveChatSettings({ ...draft, allowedOrigins }));
      setNotice("Saved. Widgets pick up the change when a page loads.");
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : "Could not save");
    } finally {
      setBusy(false);
    }
  };

  const rotate = async () => {
    if (!window.confirm("Make a new identity secret? Signatures made with the old one stop working at once."))
      return;
    try {
      apply(await api.rotateChatIdentitySecret());
      setNotice("A new identity secret is in place. Update it on your server.");
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : "Could not rotate the secret");
    }
  };

  const copy = (text: string) => {
    navigator.clipboard
      ?.writeText(text)
      .then(() => setNotice("Copied."))
      .catch(() => setNotice("Select the text and copy it."));
  };

  const secretVariable = "TEND_CHAT_IDENTITY_SECRET";
  const scriptOrigin = new URL(settings.widgetScriptUrl).origin;

  return (
    <main className="settings-page">
      <p>
        <a href="/inbox/mine">← Back to the inbox</a>
      </p>
      <h1>Chat widget</h1>
      <p className="visually-hidden" role="status">
        {notice}
      </p>
      {notice && <p className="muted">{notice}</p>}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}

      <section aria-labelledby={`${ids}-embed`}>
        <h2 id={`${ids}-embed`}>Put the chat on your site</h2>
        <p>Paste this before &lt;/body&gt; on every page that should offer chat:</p>
        <pre data-testid="embed-snippet">{settings.embedSnippet}</pre>
        <div className="row">
          <button type="button" className="button" onClick={() => copy(settings.embedSnippet)}>
            Copy snippet
          </button>
        </div>
        <p className="muted">
          If your site sends a Content-Security-Policy, allow {scriptOrigin} in script-src and connect-src
          (and {scriptOrigin.replace(/^http/, "ws")} for the live connection). Visitors chat live while at
          least one agent has set their status to Online; otherwise the widget asks for an email and agents
          reply by email.
        </p>
      </section>

      <section aria-labelledby={`${ids}-identity`}>
        <h2 id={`${ids}-identity`}>Recognise signed-in customers</h2>
        <p>
          Pass the customer's email with a signature computed on your server, and the chat joins that
          customer's record in Tend. Without a valid signature the email is ignored and the visitor is
          anonymous.
        </p>
        {isAdmin && settings.identitySecret ? (
          <>
            <p>
              <strong>Identity secret</strong> (keep it on your server, e.g. as {secretVariable}):
            </p>
            <pre data-testid="identity-secret">{settings.identitySecret}</pre>
            <div className="row">
              <button type="button" className="button" onClick={() => void rotate()}>
                Make a new secret
              </button>
            </div>
            <h3>Node.js</h3>
            <pre>{nodeExample(secretVariable)}</pre>
            <h3>PHP</h3>
            <pre>{phpExample(secretVariable)}</pre>
            <h3>In the page</h3>
            <pre>{pageExample}</pre>
          </>
        ) : (
          <p className="muted">Only admins can see the identity secret.</p>
        )}
      </section>

      <section aria-labelledby={`${ids}-form`}>
        <h2 id={`${ids}-form`}>Before the chat starts</h2>
        <form onSubmit={save} className="grid-form">
          <fieldset disabled={!isAdmin}>
            <legend>Questions on the pre-chat form</legend>
            {(Object.keys(fieldLabels) as FieldName[]).map((field) => (
              <div className="prechat-row" key={field}>
                <label>
                  <input
                    type="checkbox"
                    checked={draft.prechat[field].enabled}
                    onChange={(event) => setField(field, { enabled: event.target.checked })}
                  />{" "}
                  Ask for {fieldLabels[field].toLowerCase()}
                </label>
                <label>
                  <input
                    type="checkbox"
                    checked={draft.prechat[field].required}
                    disabled={!draft.prechat[field].enabled}
                    onChange={(event) => setField(field, { required: event.target.checked })}
                  />{" "}
                  Required
                </label>
              </div>
            ))}
            <p className="muted">When nobody is online the form always asks for an email.</p>
          </fieldset>
          <fieldset disabled={!isAdmin}>
            <legend>Messages</legend>
            <label htmlFor={`${ids}-greeting`}>Greeting</label>
            <textarea
              id={`${ids}-greeting`}
              rows={2}
              value={draft.greeting}
              onChange={(event) => setDraft({ ...draft, greeting: event.target.value })}
            />
            <label htmlFor={`${ids}-offline`}>Offline message (nobody online)</label>
            <textarea
              id={`${ids}-offline`}
              rows={3}
              value={draft.offlineMessage}
              onChange={(event) => setDraft({ ...draft, offlineMessage: event.target.value })}
            />
            <label htmlFor={`${ids}-origins`}>
              Sites allowed to show the widget (one per line; empty = any)
            </label>
            <textarea
              id={`${ids}-origins`}
              rows={3}
              placeholder="https://shop.example"
              value={origins}
              onChange={(event) => setOrigins(event.target.value)}
            />
          </fieldset>
          {isAdmin ? (
            <div className="row">
              <button type="submit" className="button button-primary" disabled={busy}>
                {busy ? "Saving…" : "Save"}
              </button>
            </div>
          ) : (
            <p className="muted">Only admins can change these settings.</p>
          )}
        </form>
      </section>
    </main>
  );
}
