import { type ReactNode, useEffect, useRef } from "react";
import { ApiError } from "../../api/api-client.ts";

/** The message to show for a failed call. */
export function messageOf(error: unknown, fallback = "Something went wrong; try again."): string {
  return error instanceof ApiError ? error.message : fallback;
}

/** A field's server-side validation message, tied to its input by id (use `aria-describedby`). */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <span id={id} className="field-error">
      {message}
    </span>
  );
}

/** Page frame: heading, a live region for notices, an alert for errors. */
export function AdminPageFrame(props: {
  title: string;
  intro?: ReactNode;
  notice?: string;
  error?: string | null;
  busy?: boolean;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <main className="admin-page" aria-busy={props.busy ? "true" : undefined}>
      <div className="admin-page-head">
        <h1>{props.title}</h1>
        {props.actions}
      </div>
      {props.intro && <p className="muted">{props.intro}</p>}
      <p className="admin-notice" role="status">
        {props.notice}
      </p>
      {props.error && (
        <p className="form-error" role="alert">
          {props.error}
        </p>
      )}
      {props.children}
    </main>
  );
}

/** Comma-separated text to a clean list. */
export function splitList(text: string): string[] {
  return text
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

/** For an editor that opens above a long list: bring it into view and put the cursor in its first field. */
export function useRevealOnOpen<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    element.scrollIntoView?.({ block: "start" });
    element.querySelector<HTMLElement>("input:not([type=hidden]), select, textarea")?.focus();
  }, []);
  return ref;
}
