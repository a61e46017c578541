/** PGlite and node-postgres both answer `db.execute` with `{ rows }`; drizzle types it loosely. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
