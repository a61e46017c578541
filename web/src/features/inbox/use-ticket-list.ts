import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, api } from "../../api/api-client.ts";
import type { Page, TicketSummary, TicketView } from "../../api/api-types.ts";
import { appendPage, mergeFirstPage } from "../../lib/ticket-list-merge.ts";

export const ticketPageSize = 50;

export type TicketListState = {
  page: Page<TicketSummary>;
  status: "loading" | "ready" | "error";
  error: string | null;
  loadingMore: boolean;
};

const emptyPage: Page<TicketSummary> = { items: [], nextCursor: null };

function messageOf(error: unknown): string {
  return error instanceof ApiError ? error.message : "Could not load tickets";
}

/** The inbox list for a view and search: first page, "load more", and live refreshes that keep loaded pages. */
export function useTicketList(view: TicketView, q: string) {
  const [state, setState] = useState<TicketListState>({
    page: emptyPage,
    status: "loading",
    error: null,
    loadingMore: false,
  });
  // Answers for an older view or search must not overwrite the current one.
  const generation = useRef(0);
  const pageRef = useRef(state.page);
  pageRef.current = state.page;

  useEffect(() => {
    const mine = ++generation.current;
    setState({ page: emptyPage, status: "loading", error: null, loadingMore: false });
    api
      .listTickets({ view, q, limit: ticketPageSize })
      .then((page) => {
        if (generation.current === mine) setState({ page, status: "ready", error: null, loadingMore: false });
      })
      .catch((error: unknown) => {
        if (generation.current === mine) {
          setState({ page: emptyPage, status: "error", error: messageOf(error), loadingMore: false });
        }
      });
  }, [view, q]);

  const refresh = useCallback(async () => {
    const mine = generation.current;
    try {
      const first = await api.listTickets({ view, q, limit: ticketPageSize });
      if (generation.current !== mine) return;
      setState((current) => ({
        ...current,
        page: mergeFirstPage(current.page, first),
        status: "ready",
        error: null,
      }));
    } catch {
      // A failed live refresh keeps what is shown; the next event or reconnect tries again.
    }
  }, [view, q]);

  const loadMore = useCallback(async () => {
    const cursor = pageRef.current.nextCursor;
    if (!cursor) return;
    const mine = generation.current;
    setState((current) => ({ ...current, loadingMore: true }));
    try {
      const next = await api.listTickets({ view, q, limit: ticketPageSize, cursor });
      if (generation.current !== mine) return;
      setState((current) => ({ ...current, page: appendPage(current.page, next), loadingMore: false }));
    } catch (error) {
      if (generation.current !== mine) return;
      setState((current) => ({ ...current, loadingMore: false, error: messageOf(error) }));
    }
  }, [view, q]);

  return { ...state, refresh, loadMore };
}
