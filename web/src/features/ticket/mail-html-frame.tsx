import { useCallback, useEffect, useRef } from "react";

type Props = { html: string; title: string };

/**
 * Shows mail HTML only inside a sandboxed iframe, even though the server has sanitised it: a second wall in case
 * the sanitiser misses something. The sandbox has no allow-scripts (nothing in the mail can run) and no
 * allow-forms; allow-same-origin is given only so this page can measure the content to size the frame (without
 * scripts inside, same origin grants the mail nothing), and popups so links open in a new tab outside the sandbox.
 * A CSP inside the document forbids scripts and loading anything but Tend's own attachments and data: images.
 */
export function MailHtmlFrame({ html, title }: Props) {
  const frameRef = useRef<HTMLIFrameElement>(null);
  const origin = window.location.origin;
  const srcDoc = `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${origin} data:; style-src 'unsafe-inline'; font-src 'none'; script-src 'none'; form-action 'none'">
<style>html,body{margin:0;padding:0;background:transparent;color:#1d2733;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;overflow-wrap:anywhere}
img{max-width:100%;height:auto}table{max-width:100%}blockquote{margin:0 0 0 .5em;padding-left:.75em;border-left:3px solid #d5dbe1;color:#53606d}a{color:#1f5fa8}</style>
</head><body>${html}</body></html>`;

  const resize = useCallback(() => {
    const frame = frameRef.current;
    const doc = frame?.contentDocument;
    if (!frame || !doc?.documentElement) return;
    frame.style.height = `${Math.min(doc.documentElement.scrollHeight + 4, 4000)}px`;
  }, []);

  useEffect(() => {
    window.addEventListener("resize", resize);
    return () => window.removeEventListener("resize", resize);
  }, [resize]);

  return (
    <iframe
      ref={frameRef}
      className="mail-frame"
      title={title}
      sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"
      referrerPolicy="no-referrer"
      srcDoc={srcDoc}
      onLoad={resize}
    />
  );
}
