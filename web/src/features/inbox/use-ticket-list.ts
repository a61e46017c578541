import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { ApiError, api } from "../../api/api-client.ts";
import type { TicketListPage, TicketView } from "../../api/api-types.ts";
import type { ListFilters } from "../../lib/app-route.ts";
import { appendPage, mergeFirstPage } from "../../lib/ticket-list-merge.ts";

export const ticketPageSize = 50;

export type TicketListState = {
  page: TicketListPage;
  status: "loading" | "ready" | "error";
  error: string | null;
  loadingMore: boolean;
};

const emptyPage: TicketListPage = { items: [], nextCursor: null };

function messageOf(error: unknown): string {
  return error instanceof ApiError ? error.message : "Could not load tickets";
}

/**
 * The inbox list for a view, or ranked search results for q; filters apply to both. First page, "load more", and
 * live refreshes that keep loaded pages. Search results are a snapshot (the API pages them within it), so live
 * events do not re-run the search: the agent's next keystroke or Enter does.
 */
export function useTicketList(view: TicketView, q: string, filters: ListFilters = {}) {
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

  const filterKey = JSON.stringify(filters);
  // biome-ignore lint/correctness/useExhaustiveDependencies: filterKey stands for the filters' contents
  const params = useMemo(
    () => ({ view, q, prefix: q !== "", limit: ticketPageSize, ...filters }),
    [view, q, filterKey],
  );

  useEffect(() => {
    const mine = ++generation.current;
    setState({ page: emptyPage, status: "loading", error: null, loadingMore: false });
    api
      .listTickets(params)
      .then((page) => {
        if (generation.current === mine) setState({ page, status: "ready", error: null, loadingMore: false });
      })
      .catch((error: unknown) => {
        if (generation.current === mine) {
          setState({ page: emptyPage, status: "error", error: messageOf(error), loadingMore: false });
        }
      });
  }, [params]);

  const refresh = useCallback(async () => {
    if (params.q) return;
    const mine = generation.current;
    try {
      const first = await api.listTickets(params);
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
  }, [params]);

  const loadMore = useCallback(async () => {
    const cursor = pageRef.current.nextCursor;
    if (!cursor) return;
    const mine = generation.current;
    setState((current) => ({ ...current, loadingMore: true }));
    try {
      const next = await api.listTickets({ ...params, cursor });
      if (generation.current !== mine) return;
      setState((current) => ({ ...current, page: appendPage(current.page, next), loadingMore: false }));
    } catch (error) {
      if (generation.current !== mine) return;
      setState((current) => ({ ...current, loadingMore: false, error: messageOf(error) }));
    }
  }, [params]);

  return { ...state, refresh, loadMore };
}
