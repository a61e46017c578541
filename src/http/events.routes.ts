import type { ServerResponse } from "node:http";
import type { FastifyInstance } from "fastify";
import type { TendEvent } from "../events/event-bus.ts";
import { errorResponses } from "./api-common.schemas.ts";

export const ssePingIntervalMs = 25_000;

function formatEvent(event: TendEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** GET /api/v1/events: Server-Sent Events of every TendEvent but queue plumbing, for live inboxes. Session or bearer auth. */
export async function registerEventRoutes(app: FastifyInstance) {
  const open = new Set<ServerResponse>();
  // End the streams first, or closing the server would wait for clients that never hang up.
  app.addHook("preClose", async () => {
    for (const response of open) response.end();
    open.clear();
  });

  app.get(
    "/api/v1/events",
    {
      config: { access: "agent" },
      schema: {
        tags: ["events"],
        summary:
          "Server-Sent Events: `event: <type>` and `data: <TendEvent JSON>`, with a ping comment every 25 s",
        response: errorResponses,
      },
    },
    async (request, reply) => {
      reply.hijack();
      const raw = reply.raw;
      // Headers set before the hijack (a refreshed session cookie) still go out.
      for (const [name, value] of Object.entries(reply.getHeaders())) {
        if (value !== undefined) raw.setHeader(name, value);
      }
      raw.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        // Proxies such as nginx would otherwise buffer the stream.
        "x-accel-buffering": "no",
      });
      raw.write("retry: 3000\n: connected\n\n");
      open.add(raw);
      const unsubscribe = app.tend.events.subscribe((event) => {
        // Queue plumbing, not something an agent's screen shows.
        if (event.type === "job.enqueued") return;
        raw.write(formatEvent(event));
      });
      const ping = setInterval(() => raw.write(": ping\n\n"), ssePingIntervalMs);
      ping.unref();
      const stop = () => {
        clearInterval(ping);
        unsubscribe();
        open.delete(raw);
      };
      request.raw.on("close", stop);
      raw.on("close", stop);
    },
  );
}
