/** What the widget remembers in localStorage, per widget key: the open conversation and the visitor's id. */
export type StoredVisitor = {
  visitorId?: string;
  conversation?: {
    id: number;
    token: string;
    /** The signed email it was started with: another (or no) signed-in user on this browser starts afresh. */
    identityEmail: string | null;
  };
  open?: boolean;
};

export function createVisitorStore(widgetKey: string) {
  const key = `tend-chat:${widgetKey}`;
  // Storage can be absent or throw (private modes, blocked cookies): the chat then lasts as long as the page.
  let memory: StoredVisitor = {};
  const read = (): StoredVisitor => {
    try {
      const raw = window.localStorage.getItem(key);
      return raw ? (JSON.parse(raw) as StoredVisitor) : memory;
    } catch {
      return memory;
    }
  };
  return {
    read,
    update(change: Partial<StoredVisitor>) {
      memory = { ...read(), ...change };
      try {
        window.localStorage.setItem(key, JSON.stringify(memory));
      } catch {
        // Kept in memory only.
      }
    },
  };
}
