import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export const dovecotBinary = "/usr/sbin/dovecot";

export type DovecotInstance = {
  host: string;
  port: number;
  user: string;
  password: string;
  stop(): Promise<void>;
};

function systemUser(name: string): { uid: number; gid: number } {
  const line = fs
    .readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((entry) => entry.startsWith(`${name}:`));
  if (!line) throw new Error(`system user ${name} not found (is dovecot-core installed?)`);
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

/** Whether a real dovecot is installed (Debian: dovecot-imapd). */
export function isDovecotInstalled(): boolean {
  return fs.existsSync(dovecotBinary);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, logFile: string, deadlineMs: number) {
  const until = Date.now() + deadlineMs;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(
        `dovecot exited with ${child.exitCode}: ${fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : ""}`,
      );
    }
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    if (Date.now() > until) throw new Error(`dovecot did not listen on ${port} within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Starts a private dovecot (IMAP only, plaintext on 127.0.0.1, one passwd-file user, maildir in a temp dir) and
 * returns how to reach it. Everything, runtime sockets included, lives in the temp dir, removed on stop().
 */
export async function startDovecot(): Promise<DovecotInstance> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tend-dovecot-"));
  // Dovecot's unprivileged login processes must traverse the directory when we run as root.
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  const user = "support";
  const password = "correct-horse-battery";
  const { username } = os.userInfo();
  const isRoot = os.userInfo().uid === 0;
  // Dovecot refuses mail access as UID 0: as root, the mail belongs to the dovecot system user instead.
  const owner = isRoot ? systemUser("dovecot") : { uid: os.userInfo().uid, gid: os.userInfo().gid };
  const { uid, gid } = owner;
  for (const sub of ["mail", "home"]) {
    fs.mkdirSync(path.join(dir, sub));
    fs.chownSync(path.join(dir, sub), uid, gid);
  }
  fs.writeFileSync(
    path.join(dir, "passwd"),
    `${user}:{PLAIN}${password}:${uid}:${gid}::${dir}/home/${user}\n`,
  );
  const logFile = path.join(dir, "dovecot.log");
  const config = `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${logFile}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${dir}/mail/%u
first_valid_uid = 0
first_valid_gid = 0
default_internal_user = ${isRoot ? "dovecot" : username}
default_login_user = ${isRoot ? "dovenull" : username}
${isRoot ? "" : `default_internal_group = ${os.userInfo().username}`}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%u ${dir}/passwd
}
`;
  const configFile = path.join(dir, "dovecot.conf");
  fs.writeFileSync(configFile, config);
  const child = spawn(dovecotBinary, ["-F", "-c", configFile], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  try {
    await waitForPort(port, child, logFile, 10_000);
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
  return {
    host: "127.0.0.1",
    port,
    user,
    password,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
