import type { FastifyError, FastifyInstance } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import { AppError, type ErrorCode } from "../errors.ts";

type ErrorBody = { error: { code: ErrorCode; message: string; details?: unknown } };

/** Maps every error once to `{ error: { code, message, details } }`; malformed requests are 4xx, never 500. */
export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    const send = (status: number, body: ErrorBody) => reply.status(status).send(body);

    if (error instanceof AppError) {
      return send(error.status, {
        error: { code: error.code, message: error.message, details: error.details },
      });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((issue) => ({
        path: `${error.validationContext ?? "body"}${issue.instancePath.replaceAll("/", ".")}`,
        message: issue.message,
      }));
      const first = details[0];
      return send(400, {
        error: {
          code: "validation_failed",
          message: first ? `Invalid request: ${first.path}: ${first.message}` : "Invalid request",
          details,
        },
      });
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error }, "response did not match its schema");
      return send(500, { error: { code: "internal", message: "Internal error" } });
    }
    const status = (error as FastifyError).statusCode;
    if (status === 429) {
      return send(429, {
        error: { code: "rate_limited", message: error.message || "Too many requests; try again later" },
      });
    }
    if (status === 413) {
      return send(413, { error: { code: "payload_too_large", message: "Request body is too large" } });
    }
    if (status === 415) {
      return send(415, { error: { code: "unsupported_media_type", message: error.message } });
    }
    if (status && status >= 400 && status < 500) {
      return send(status, { error: { code: "validation_failed", message: error.message } });
    }
    request.log.error({ err: error }, "unhandled error");
    return send(500, {
      error: { code: "internal", message: "Internal error; the server log has the details" },
    });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: { code: "not_found", message: `No route for ${request.method} ${request.url.split("?")[0]}` },
    }),
  );
}
