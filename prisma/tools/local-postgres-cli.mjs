#!/usr/bin/env node
// `node prisma/tools/local-postgres-cli.mjs stop|start [embedded:<dir>]` (npm run db:stop, db:start):
// the folder from the argument, else DATABASE_URL when it is embedded:, else the default.
// A file of its own: local-postgres.mjs is bundled into the app and the worker.
import {
  DEFAULT_EMBEDDED_URL,
  embeddedDataDir,
  startEmbeddedPostgres,
  stopEmbeddedPostgres,
} from "./local-postgres.mjs";

const [command, urlArgument] = process.argv.slice(2);
const configured = process.env.DATABASE_URL?.startsWith("embedded:") ? process.env.DATABASE_URL : undefined;
const dataDir = embeddedDataDir(urlArgument ?? configured ?? DEFAULT_EMBEDDED_URL);
if (command === "stop") {
  const stopped = await stopEmbeddedPostgres(dataDir);
  console.log(stopped ? `Stopped PostgreSQL (${dataDir}).` : `PostgreSQL (${dataDir}) was not running.`);
} else if (command === "start") {
  const { state, started } = await startEmbeddedPostgres(dataDir);
  console.log(`${started ? "Started" : "Already running:"} PostgreSQL on 127.0.0.1:${state.port} (${dataDir}).`);
} else {
  console.error("usage: local-postgres.mjs start|stop [embedded:<dir>]");
  process.exit(2);
}
