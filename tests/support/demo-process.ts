import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { freePort, repoRoot } from "../../dev/stack.ts";

// `npm run demo` as a person starts and stops it, for the end-to-end tests: its own ports and data
// directory, the environment of a person's shell, and what it printed.

export interface DemoRun {
  child: ChildProcess;
  output: () => string;
  /** Each store's local admin URL, by shop domain. */
  adminUrls: Map<string, string>;
  emulatorUrl: string;
  appUrl: string;
  storefrontUrl: string;
  mailUrl: string;
  appLog: string;
}

/** The environment a person's shell has: none of the test runner's app settings, no display. */
export function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DISPLAY: "", WAYLAND_DISPLAY: "" };
  for (const name of [
    "NODE_ENV",
    "LOG_LEVEL",
    "SHOPIFY_API_KEY",
    "SHOPIFY_API_SECRET",
    "SHOPIFY_APP_URL",
    "SHOPDESK_SECRETS_KEY",
    "VITEST",
  ]) {
    delete env[name];
  }
  return env;
}

/** Starts the demo on `dataDir` and waits until it says it is ready (3 minutes at most: a first start on a busy 2-core machine takes 1–1.5). */
export async function startDemo(dataDir: string): Promise<DemoRun> {
  const ports = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort(), freePort()]);
  const [port, emulatorPort, storefrontPort, adminPort, mailPort, loopPort] = ports;
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "dev/demo.ts",
      "--no-open",
      "--data-dir",
      dataDir,
      "--port",
      String(port),
      "--emulator-port",
      String(emulatorPort),
      "--storefront-port",
      String(storefrontPort),
      "--admin-port",
      String(adminPort),
      "--mail-port",
      String(mailPort),
      "--loop-port",
      String(loopPort),
    ],
    { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"], env: userEnv() },
  );
  let text = "";
  child.stdout!.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  child.stderr!.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  const deadline = Date.now() + 180_000;
  while (!text.includes("Press Ctrl-C to stop.")) {
    if (child.exitCode !== null) throw new Error(`The demo exited (${child.exitCode}):\n${text}`);
    if (Date.now() > deadline) throw new Error(`The demo did not get ready in 3 minutes:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const labelled = (label: string) => new RegExp(`${label}:\\s+(\\S+)`).exec(text)?.[1] ?? "";
  const adminUrls = new Map(
    [...text.matchAll(/(http:\/\/127\.0\.0\.1:\d+\/store\/([a-z0-9-]+)\/apps\/shopdesk)/g)].map((match) => [
      `${match[2]}.myshopify.com`,
      match[1]!,
    ]),
  );
  return {
    child,
    output: () => text,
    adminUrls,
    emulatorUrl: labelled("Store emulator"),
    appUrl: labelled("Shopdesk"),
    storefrontUrl: labelled("Storefront"),
    mailUrl: labelled("Sent email"),
    appLog: labelled("Shopdesk's log"),
  };
}

/** Ctrl-C, as a person stops the demo; a demo that has not exited 30 s later fails the test. */
export async function stopDemo(run: DemoRun) {
  const { child } = run;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGINT");
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  await exited;
  clearTimeout(timer);
  const log = run.appLog ? readFileSync(run.appLog, "utf8").slice(-4000) : "";
  expect(
    child.signalCode,
    `the demo did not stop within 30 s of Ctrl-C; it printed, last:\n${run.output().slice(-2000)}\nShopdesk's log, last:\n${log}`,
  ).not.toBe("SIGKILL");
}
