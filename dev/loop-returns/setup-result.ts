// DEV/TEST ONLY: how configure.ts (run as its own process) hands its result to demo.ts: one line on
// stdout with this prefix, since the app's log lines may be on stdout too. Its own module, so the
// demo's process never loads configure.ts (which opens the app's database).

/** Starts the result's line on stdout. */
export const RESULT_PREFIX = "loop-setup-result: ";

/** The JSON after the prefix, from the first line that has it; null when no line does. */
export function readSetupResult(stdout: string): unknown {
  const line = stdout.split("\n").find((text) => text.startsWith(RESULT_PREFIX));
  return line === undefined ? null : (JSON.parse(line.slice(RESULT_PREFIX.length)) as unknown);
}
