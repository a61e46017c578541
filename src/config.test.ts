import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";

describe("configuration", () => {
  it("has working defaults", () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.smtpPort).toBe(2525);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.secureCookies).toBe(false);
  });

  it("names the variable and what is wrong, for every bad value at once", () => {
    const attempt = () =>
      loadConfig({
        TEND_PORT: "web",
        TEND_SMTP_PORT: "70000",
        DATABASE_URL: "mysql://x",
        TEND_SMTP_URL: "http://relay",
      });
    expect(attempt).toThrow(ConfigError);
    const message = (() => {
      try {
        attempt();
        return "";
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toContain("TEND_PORT: must be a port number from 0 to 65535");
    expect(message).toContain("TEND_SMTP_PORT: must be a port number from 0 to 65535");
    expect(message).toContain("DATABASE_URL: must be a postgres:// or postgresql:// URL");
    expect(message).toContain("TEND_SMTP_URL: must be an smtp:// or smtps:// URL");
  });

  it("turns secure cookies on for an https public URL", () => {
    expect(loadConfig({ TEND_PUBLIC_URL: "https://help.example.com/" }).secureCookies).toBe(true);
    expect(loadConfig({ TEND_PUBLIC_URL: "https://help.example.com/" }).publicUrl).toBe(
      "https://help.example.com",
    );
  });
});
