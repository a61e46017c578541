/** Database errors (PGlite or pg, possibly wrapped by drizzle) by SQLSTATE. A unique-constraint violation: */
export function isUniqueViolation(error: unknown): boolean {
  return hasPgCode(error, "23505");
}

/** True for a foreign-key violation: a referenced row (user, team, customer) does not exist. */
export function isForeignKeyViolation(error: unknown): boolean {
  return hasPgCode(error, "23503");
}

function hasPgCode(error: unknown, code: string): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current === "object" && "code" in current && (current as { code: unknown }).code === code) {
      return true;
    }
    current =
      typeof current === "object" && "cause" in current ? (current as { cause: unknown }).cause : null;
  }
  return false;
}
