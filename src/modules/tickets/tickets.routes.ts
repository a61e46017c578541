import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { validationFailed } from "../../errors.ts";
import { errorResponses, idParams } from "../../http/api-common.schemas.ts";
import { actorUserId, meUserId } from "../../http/auth.ts";
import { openTicketAsAgent } from "../../workflows/open-ticket.workflow.ts";
import { replyToTicket } from "../../workflows/reply-to-ticket.workflow.ts";
import { buildReplyAddress } from "../email/reply-address.ts";
import { getSlaStates } from "../sla/sla.service.ts";
import { encodeInboxCursor } from "./inbox-cursor.ts";
import { encodeSearchCursor } from "./search-cursor.ts";
import {
  presentMessage,
  presentTicketDetail,
  presentTicketSearchHit,
  presentTicketSummary,
} from "./tickets.presenter.ts";
import {
  createTicketBodySchema,
  messageSchema,
  replyBodySchema,
  ticketCountsSchema,
  ticketDetailSchema,
  ticketListQuerySchema,
  ticketListResponseSchema,
  updateTicketBodySchema,
} from "./tickets.schemas.ts";
import { normalizeTags } from "./tickets.service.ts";
import {
  changeTicket,
  countTicketsByView,
  getAttachmentContent,
  getMessageWithAuthor,
  getTicketDetail,
  listTickets,
} from "./tickets-inbox.service.ts";
import { searchTickets } from "./tickets-search.service.ts";

const tags = ["tickets"];

/** `createdTo` includes the whole day when it is a date; an instant is exclusive. */
function endOfRange(value: string): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(Date.parse(`${value}T00:00:00Z`) + 86_400_000);
  return new Date(value);
}

/** The inbox, ticket pages, replies and attachments. Agents and up may do all of it. */
export async function registerTicketRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const ctx = app.tend;
  const detail = async (ticketId: number) => {
    const found = await getTicketDetail(ctx, ticketId);
    const sla = await getSlaStates(ctx, [ticketId]);
    return presentTicketDetail(found, buildReplyAddress(found.ticket, ctx.config.mailDomain), sla);
  };

  app.get(
    "/api/v1/tickets",
    {
      config: { access: "agent" },
      schema: {
        tags,
        summary:
          "List tickets (inbox) in the view's order (open views: frustrated customers first, then newest activity); with q, search all history, best matches first, with snippets",
        querystring: ticketListQuerySchema,
        response: { 200: ticketListResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const query = request.query;
      const me = meUserId(request);
      const assigneeId =
        query.assignee === undefined
          ? undefined
          : query.assignee === "none"
            ? null
            : query.assignee === "me"
              ? (me ?? -1)
              : Number(query.assignee);
      const filter = {
        view: query.view,
        status: query.status,
        assigneeId,
        channel: query.channel,
        tags: query.tag ? normalizeTags(query.tag) : undefined,
        createdFrom: query.createdFrom ? new Date(query.createdFrom) : undefined,
        createdBefore: query.createdTo ? endOfRange(query.createdTo) : undefined,
        meUserId: me,
        now: ctx.clock.now(),
      };
      const q = query.q?.trim();
      const cursor = query.cursor;
      if (cursor && (cursor.kind === "search") !== Boolean(q)) {
        throw validationFailed("This cursor belongs to another list; start again from the first page", [
          { path: "querystring.cursor", message: q ? "expected a search cursor" : "expected a list cursor" },
        ]);
      }
      if (q) {
        const result = await searchTickets(ctx, {
          q,
          prefix: query.prefix ?? false,
          filter,
          limit: query.limit,
          after: cursor?.kind === "search" ? cursor : undefined,
        });
        const sla = await getSlaStates(
          ctx,
          result.hits.map((hit) => hit.summary.id),
        );
        return {
          items: result.hits.map((hit) => presentTicketSearchHit(hit, sla)),
          nextCursor: result.next ? encodeSearchCursor(result.next) : null,
          order: "relevance" as const,
          search: { matches: result.matches, capped: result.capped },
        };
      }
      const { rows, next, order } = await listTickets(ctx, filter, {
        limit: query.limit,
        after: cursor?.kind === "activity" ? cursor : undefined,
      });
      const sla = await getSlaStates(
        ctx,
        rows.map((row) => row.id),
      );
      return {
        items: rows.map((row) => presentTicketSummary(row, sla)),
        nextCursor: next ? encodeInboxCursor(next) : null,
        order,
      };
    },
  );

  app.get(
    "/api/v1/tickets/counts",
    {
      config: { access: "agent" },
      schema: {
        tags,
        summary: "Ticket counts for every inbox view",
        response: { 200: ticketCountsSchema, ...errorResponses },
      },
    },
    async (request) => countTicketsByView(ctx, meUserId(request)),
  );

  app.get(
    "/api/v1/tickets/:id",
    {
      config: { access: "agent" },
      schema: {
        tags,
        summary: "A ticket with its messages (oldest first)",
        params: idParams,
        response: { 200: ticketDetailSchema, ...errorResponses },
      },
    },
    async (request) => detail(request.params.id),
  );

  app.patch(
    "/api/v1/tickets/:id",
    {
      config: { access: "agent" },
      schema: {
        tags,
        summary: "Change status, priority, assignee, team, tags, subject or custom fields",
        params: idParams,
        body: updateTicketBodySchema,
        response: { 200: ticketDetailSchema, ...errorResponses },
      },
    },
    async (request) => {
      await changeTicket(ctx, request.params.id, request.body, actorUserId(request));
      return detail(request.params.id);
    },
  );

  app.post(
    "/api/v1/tickets",
    {
      config: { access: "agent" },
      schema: {
        tags,
        summary: "Open a ticket on behalf of a customer, with its first (outbound) message",
        body: createTicketBodySchema,
        response: { 201: ticketDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { ticket } = await openTicketAsAgent(ctx, {
        ...request.body,
        authorUserId: actorUserId(request),
      });
      return reply.status(201).send(await detail(ticket.id));
    },
  );

  app.post(
    "/api/v1/tickets/:id/messages",
    {
      config: { access: "agent" },
      schema: {
        tags,
        summary: "Reply to the customer (queued for delivery on email) or add an internal note",
        params: idParams,
        body: replyBodySchema,
        response: { 201: messageSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const message = await replyToTicket(ctx, {
        ticketId: request.params.id,
        authorUserId: actorUserId(request),
        text: request.body.text,
        isInternal: request.body.isInternal ?? false,
      });
      return reply.status(201).send(presentMessage(await getMessageWithAuthor(ctx, message.id)));
    },
  );

  app.get(
    "/api/v1/attachments/:id",
    {
      config: { access: "agent" },
      schema: {
        tags,
        summary: "Download an attachment (always as a download, never rendered inline)",
        params: idParams,
        response: { 200: z.any().describe("The file's bytes"), ...errorResponses },
      },
    },
    async (request, reply) => {
      const attachment = await getAttachmentContent(ctx, request.params.id);
      const fallback = attachment.filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
      return reply
        .header("content-type", attachment.contentType || "application/octet-stream")
        .header(
          "content-disposition",
          `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(attachment.filename)}`,
        )
        .header("x-content-type-options", "nosniff")
        .header("content-security-policy", "default-src 'none'; sandbox")
        .header("cache-control", "private, no-store")
        .send(attachment.content);
    },
  );
}
