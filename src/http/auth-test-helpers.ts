import type { FastifyInstance } from "fastify";
import type { ServiceContext } from "../context.ts";
import { createApiToken, createUser, type Role } from "../modules/users/users.service.ts";

let counter = 0;

export type SignedIn = {
  user: { id: number; email: string; name: string; role: Role };
  cookie: string;
  csrfToken: string;
  /** Headers for a cookie-authenticated unsafe request (cookie + CSRF). */
  headers: Record<string, string>;
};

/** Creates a user with this role and signs in through the real login route. For api tests. */
export async function signInAs(
  app: FastifyInstance & { context: ServiceContext },
  role: Role,
  name = `${role} ${++counter}`,
): Promise<SignedIn> {
  const email = `${role}-${++counter}-${Date.now()}@tend.test`;
  const password = "correct horse battery";
  await createUser(app.context, { email, name, role, password });
  const response = await app.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    payload: { email, password },
  });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  const setCookie = response.cookies.find((c) => c.name === "tend_session");
  if (!setCookie) throw new Error("login set no tend_session cookie");
  const body = response.json() as { user: SignedIn["user"]; csrfToken: string };
  const cookie = `tend_session=${setCookie.value}`;
  return {
    user: body.user,
    cookie,
    csrfToken: body.csrfToken,
    headers: { cookie, "x-csrf-token": body.csrfToken },
  };
}

/** An API token with this role, as the Authorization header. */
export async function bearerFor(ctx: ServiceContext, role: Role): Promise<Record<string, string>> {
  const { token } = await createApiToken(ctx, { name: `test ${role} ${++counter}`, role });
  return { authorization: `Bearer ${token}` };
}
