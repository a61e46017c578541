import fs from "node:fs";
import path from "node:path";

/**
 * The embedded database is a directory only one process may open at a time. The server (and every CLI command on
 * the embedded database) holds `${dataDir}/server.pid` while it runs, so a second process refuses instead of
 * corrupting the data.
 */
export type ServerLock = { path: string; release(): void };

export class LockHeldError extends Error {
  readonly pid: number;
  constructor(pid: number, message: string) {
    super(message);
    this.name = "LockHeldError";
    this.pid = pid;
  }
}

export function serverLockPath(dataDir: string): string {
  return path.join(dataDir, "server.pid");
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else; it still holds the lock.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readLockPid(file: string): number | null {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, "utf8").trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** The pid of a live process holding the lock, or null (a stale pid file counts as free). */
export function findLockHolder(dataDir: string): number | null {
  const pid = readLockPid(serverLockPath(dataDir));
  if (pid === null || pid === process.pid) return null;
  return isProcessAlive(pid) ? pid : null;
}

/**
 * Takes the lock for this process. `describeHolder` turns the holder's pid into the refusal the user sees.
 * A pid file left behind by a crashed process is removed and taken over.
 */
export function acquireServerLock(dataDir: string, describeHolder: (pid: number) => string): ServerLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = serverLockPath(dataDir);
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      // "wx" creates the file only if it does not exist, so two processes cannot both win.
      fs.writeFileSync(file, `${process.pid}\n`, { flag: "wx", mode: 0o644 });
      let released = false;
      return {
        path: file,
        release() {
          if (released) return;
          released = true;
          if (readLockPid(file) === process.pid) fs.rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = readLockPid(file);
      if (pid !== null && pid !== process.pid && isProcessAlive(pid)) {
        throw new LockHeldError(pid, describeHolder(pid));
      }
      // Stale (dead pid, our own leftover pid, or a half-written file): remove and try again.
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${file}; remove it if no Tend process is running.`);
}
