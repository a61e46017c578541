import type { MailAddress, Message } from "../../api/api-types.ts";
import { callNotes, describeCall } from "../../lib/call-format.ts";
import { formatBytes, formatDateTime } from "../../lib/format.ts";
import { MailHtmlFrame } from "./mail-html-frame.tsx";

function kindOf(message: Message): { className: string; label: string } {
  if (message.call) return { className: "msg-call", label: "Phone call" };
  if (message.isInternal) return { className: "msg-note", label: "Internal note" };
  if (message.author.type === "customer" || message.direction === "inbound") {
    return { className: "msg-customer", label: "Customer" };
  }
  if (message.author.type === "system") return { className: "msg-system", label: "Automatic" };
  return { className: "msg-agent", label: "Reply" };
}

function formatAddresses(list: MailAddress[]): string {
  return list.map((item) => (item.name ? `${item.name} <${item.address}>` : item.address)).join(", ");
}

function DeliveryState({ message }: { message: Message }) {
  if (message.call) return null;
  if (message.direction !== "outbound" || message.isInternal || message.deliveryStatus === "received")
    return null;
  const attempts = message.deliveryAttempts === 1 ? "1 attempt" : `${message.deliveryAttempts} attempts`;
  switch (message.deliveryStatus) {
    case "queued":
      return (
        <span className="delivery delivery-queued">
          Queued{message.deliveryAttempts > 0 ? ` (retrying after ${attempts})` : ""}
        </span>
      );
    case "sending":
      return <span className="delivery delivery-queued">Sending…</span>;
    case "sent":
      return <span className="delivery delivery-sent">Sent</span>;
    case "failed":
      return (
        <span className="delivery delivery-failed">
          Not delivered after {attempts}
          {message.deliveryError ? `: ${message.deliveryError}` : ""}
        </span>
      );
  }
}

export function MessageItem({ message }: { message: Message }) {
  const kind = kindOf(message);
  return (
    <article className={`msg ${kind.className}`} aria-label={`${kind.label} from ${message.author.name}`}>
      <header className="msg-head">
        <span className="msg-kind">{kind.label}</span>
        <strong className="msg-author">{message.author.name}</strong>
        {message.isAutomated && <span className="badge">Auto-reply</span>}
        {message.channel !== "email" && !message.call && <span className="badge">{message.channel}</span>}
        <DeliveryState message={message} />
        <time dateTime={message.createdAt}>{formatDateTime(message.createdAt)}</time>
      </header>
      {message.channel === "email" &&
        !message.isInternal &&
        (message.to.length > 0 || message.cc.length > 0) && (
          <p className="msg-addresses">
            {message.to.length > 0 && <>To: {formatAddresses(message.to)}</>}
            {message.cc.length > 0 && <> · Cc: {formatAddresses(message.cc)}</>}
          </p>
        )}
      {message.call ? (
        <>
          <p className="call-summary">
            <span aria-hidden="true">☎ </span>
            {describeCall(message.call)}
            {message.call.phoneNumber ? ` · ${message.call.phoneNumber}` : ""}
          </p>
          {callNotes(message) && <div className="msg-text">{callNotes(message)}</div>}
        </>
      ) : message.html ? (
        <MailHtmlFrame html={message.html} title={`Message from ${message.author.name}`} />
      ) : (
        <div className="msg-text">{message.text}</div>
      )}
      {message.attachments.length > 0 && (
        <ul className="attachments" aria-label="Attachments">
          <li className="attachments-title" aria-hidden="true">
            Attachments
          </li>
          {message.attachments.map((attachment) => (
            <li key={attachment.id}>
              <a href={attachment.url} download={attachment.filename}>
                {attachment.filename}
              </a>{" "}
              <span className="muted">({formatBytes(attachment.size)})</span>
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}
