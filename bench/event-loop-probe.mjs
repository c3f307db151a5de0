// BENCH ONLY preload: node --import ./bench/event-loop-probe.mjs … (spawned with an IPC channel).
// Measures the event-loop delay of the process it is loaded into — the app under remix-serve, or
// the bare baseline server — so the bench reports the app's own loop, not the client's.
// Messages: "event-loop:reset" (answers "event-loop:reset"), "event-loop:report" (answers
// { p50, p99, max } in ms since the last reset).
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { monitorEventLoopDelay } from "node:perf_hooks";

// STORM_CPU_PROFILE=<file>: also a CPU profile of the process from reset to report (the storm).
const profileFile = process.env.STORM_CPU_PROFILE;
const session = profileFile ? new Session() : null;

if (process.send) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  process.on("message", (message) => {
    if (message === "event-loop:reset") {
      histogram.reset();
      if (session) {
        session.connect();
        void session.post("Profiler.enable").then(() => session.post("Profiler.start"));
      }
      process.send?.("event-loop:reset");
    } else if (message === "event-loop:report") {
      if (session) {
        void session.post("Profiler.stop").then(({ profile }) => {
          writeFileSync(`${profileFile}.${process.pid}.cpuprofile`, JSON.stringify(profile));
          session.disconnect();
        });
      }
      process.send?.({
        p50: histogram.percentile(50) / 1e6,
        p99: histogram.percentile(99) / 1e6,
        max: histogram.max / 1e6,
      });
    }
  });
  // The channel must not keep a server that is asked to stop alive.
  process.channel?.unref();
}
