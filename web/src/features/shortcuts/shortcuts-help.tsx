import { useEffect, useRef } from "react";
import { shortcutHelp } from "./keyboard-shortcuts.ts";

/** The "?" overlay: a modal dialog listing every shortcut. */
export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog ref={dialogRef} className="help" aria-labelledby="help-title" onClose={onClose}>
      <h2 id="help-title">Keyboard shortcuts</h2>
      <p className="muted">Shortcuts work when you are not typing in a field.</p>
      <table>
        <tbody>
          {shortcutHelp.map((item) => (
            <tr key={item.description}>
              <th scope="row">
                {item.keys.map((key, index) => (
                  <span key={key}>
                    {index > 0 && (key.startsWith("then") ? " " : " or ")}
                    {key.startsWith("then") ? key : <kbd>{key}</kbd>}
                  </span>
                ))}
              </th>
              <td>{item.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="dialog">
        <button type="submit" className="button button-primary">
          Close
        </button>
      </form>
    </dialog>
  );
}
