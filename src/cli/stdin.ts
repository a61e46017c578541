/**
 * A secret piped on stdin (password), or null when stdin is a terminal or empty. Only the final line ending that
 * `echo` or a file adds is removed; other whitespace is part of the secret.
 */
export async function readPipedSecret(): Promise<string | null> {
  if (process.stdin.isTTY) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  const secret = Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
  return secret === "" ? null : secret;
}
