import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { withTransaction } from "../../db/transaction.ts";
import { errorResponses, idParams, idSchema } from "../../http/api-common.schemas.ts";
import { actorUserId } from "../../http/auth.ts";
import { macroVariables } from "./macro-template.ts";
import { macroBodySchema, macroResultSchema, macroSchema } from "./macros.schemas.ts";
import {
  applyMacro,
  createMacro,
  deleteMacro,
  listMacros,
  type MacroRow,
  previewMacro,
  updateMacro,
} from "./macros.service.ts";

function presentMacro(row: MacroRow): z.infer<typeof macroSchema> {
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    actions: row.actions,
    position: row.position,
    usageCount: row.usageCount,
    updatedAt: row.updatedAt.toISOString(),
  };
}

const ticketMacroParams = z.object({ id: idSchema, macroId: idSchema });

/** Canned responses: every agent uses them; leads write them. */
export async function registerMacroRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const ctx = app.tend;
  const tags = ["macros"];

  app.get(
    "/api/v1/macros",
    {
      config: { access: "agent" },
      schema: {
        tags,
        summary: "Macros (canned responses with ticket actions)",
        response: { 200: z.object({ items: z.array(macroSchema) }), ...errorResponses },
      },
    },
    async () => ({ items: (await listMacros(ctx)).map(presentMacro) }),
  );

  app.get(
    "/api/v1/macros/variables",
    {
      config: { access: "agent" },
      schema: {
        tags,
        summary: "The {{variables}} a macro may use, with what each shows",
        response: {
          200: z.object({ items: z.array(z.object({ name: z.string(), description: z.string() })) }),
          ...errorResponses,
        },
      },
    },
    async () => ({
      items: Object.entries(macroVariables).map(([name, description]) => ({ name, description })),
    }),
  );

  app.post(
    "/api/v1/macros",
    {
      config: { access: "lead" },
      schema: {
        tags,
        summary: "Create a macro",
        body: macroBodySchema,
        response: { 201: macroSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(presentMacro(await createMacro(ctx, request.body))),
  );

  app.put(
    "/api/v1/macros/:id",
    {
      config: { access: "lead" },
      schema: {
        tags,
        summary: "Replace a macro",
        params: idParams,
        body: macroBodySchema,
        response: { 200: macroSchema, ...errorResponses },
      },
    },
    async (request) => presentMacro(await updateMacro(ctx, request.params.id, request.body)),
  );

  app.delete(
    "/api/v1/macros/:id",
    {
      config: { access: "lead" },
      schema: {
        tags,
        summary: "Delete a macro",
        params: idParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await deleteMacro(ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/api/v1/tickets/:id/macros/:macroId/preview",
    {
      config: { access: "agent" },
      schema: {
        tags,
        summary: "What a macro would write and change on this ticket (changes nothing)",
        params: ticketMacroParams,
        response: { 200: macroResultSchema, ...errorResponses },
      },
    },
    async (request) => {
      const preview = await previewMacro(
        ctx,
        request.params.macroId,
        request.params.id,
        actorUserId(request),
      );
      return { macroId: preview.macro.id, text: preview.text, changes: preview.changes };
    },
  );

  app.post(
    "/api/v1/tickets/:id/macros/:macroId/apply",
    {
      config: { access: "agent" },
      schema: {
        tags,
        summary: "Apply a macro's ticket changes and get its text to review and send as a reply",
        params: ticketMacroParams,
        response: { 200: macroResultSchema, ...errorResponses },
      },
    },
    async (request) => {
      const applied = await withTransaction(ctx, async (tx) => {
        const preview = await previewMacro(
          tx,
          request.params.macroId,
          request.params.id,
          actorUserId(request),
        );
        await applyMacro(tx, request.params.macroId, request.params.id, actorUserId(request));
        return preview;
      });
      return { macroId: applied.macro.id, text: applied.text, changes: applied.changes };
    },
  );
}
