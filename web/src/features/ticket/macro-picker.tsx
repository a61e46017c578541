import { useEffect, useId, useRef, useState } from "react";
import { ApiError, api } from "../../api/api-client.ts";
import type { Macro } from "../../api/api-types.ts";
import { describeMacroActions, filterMacros } from "../../lib/macro-format.ts";

type Props = {
  /** Applies the chosen macro; the picker closes when it resolves. */
  onPick: (macro: Macro) => Promise<void>;
  onClose: () => void;
};

/**
 * A filterable list of macros, keyboard first: type to filter, ↑/↓ to move, Enter to apply, Esc to close
 * (an ARIA combobox with a listbox, so screen readers follow the active option).
 */
export function MacroPicker({ onPick, onClose }: Props) {
  const [macros, setMacros] = useState<Macro[] | null>(null);
  const [filter, setFilter] = useState("");
  const [active, setActive] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const listId = useId();

  useEffect(() => {
    inputRef.current?.focus();
    let cancelled = false;
    api
      .listMacros()
      .then((answer) => {
        if (!cancelled) setMacros(answer.items);
      })
      .catch((caught: unknown) => {
        if (!cancelled) setError(caught instanceof ApiError ? caught.message : "Could not load macros");
      });
    return () => {
      cancelled = true;
    };
  }, []);

  const shown = macros ? filterMacros(macros, filter) : [];
  const current = shown[Math.min(active, shown.length - 1)];

  const pick = async (macro: Macro | undefined) => {
    if (!macro || busy) return;
    setBusy(true);
    setError(null);
    try {
      await onPick(macro);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : "Could not apply the macro");
      setBusy(false);
    }
  };

  return (
    <div className="macro-picker" role="dialog" aria-label="Insert a macro">
      <label htmlFor={`${listId}-filter`} className="visually-hidden">
        Find a macro
      </label>
      <input
        id={`${listId}-filter`}
        ref={inputRef}
        type="text"
        role="combobox"
        aria-expanded="true"
        aria-controls={listId}
        aria-activedescendant={current ? `${listId}-${current.id}` : undefined}
        aria-autocomplete="list"
        placeholder="Find a macro… (↑↓ to move, Enter to apply, Esc to close)"
        value={filter}
        disabled={busy}
        onChange={(event) => {
          setFilter(event.target.value);
          setActive(0);
        }}
        onBlur={(event) => {
          // Leaving the picker (not for one of its own options) closes it.
          if (!event.currentTarget.parentElement?.contains(event.relatedTarget as Node | null)) onClose();
        }}
        onKeyDown={(event) => {
          if (event.key === "ArrowDown") {
            event.preventDefault();
            setActive((index) => Math.min(shown.length - 1, index + 1));
          } else if (event.key === "ArrowUp") {
            event.preventDefault();
            setActive((index) => Math.max(0, index - 1));
          } else if (event.key === "Enter") {
            event.preventDefault();
            void pick(current);
          } else if (event.key === "Escape") {
            event.preventDefault();
            onClose();
          }
        }}
      />
      {macros === null && !error && <p className="muted macro-empty">Loading macros…</p>}
      {macros !== null && shown.length === 0 && <p className="muted macro-empty">No macro matches.</p>}
      <div id={listId} role="listbox" aria-label="Macros" className="macro-list">
        {shown.map((macro) => {
          const actions = describeMacroActions(macro.actions);
          return (
            <div
              key={macro.id}
              id={`${listId}-${macro.id}`}
              role="option"
              tabIndex={-1}
              aria-selected={macro === current}
              className={macro === current ? "is-active" : undefined}
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => void pick(macro)}
              onKeyDown={() => undefined}
            >
              <span className="macro-title">{macro.title}</span>
              {actions && <span className="macro-actions">{actions}</span>}
            </div>
          );
        })}
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
