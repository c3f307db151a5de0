import { env } from "~/env.server";

type Level = "debug" | "info" | "warn" | "error";
type Fields = Record<string, unknown>;

const ORDER: Record<Level | "silent", number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export interface Logger {
  debug(message: string, fields?: Fields): void;
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
  /** A logger for one unit of work (a webhook, a job, a request) carrying its ids. */
  child(bindings: Fields): Logger;
}

// Keys whose values must never reach a log line, wherever they appear.
const SECRET_KEYS = /token|secret|password|authorization|hmac|signature/i;

function redact(fields: Fields): Fields {
  const out: Fields = {};
  for (const [key, value] of Object.entries(fields)) {
    if (SECRET_KEYS.test(key)) out[key] = "[redacted]";
    else if (value instanceof Error) out[key] = { name: value.name, message: value.message, stack: value.stack };
    else out[key] = value;
  }
  return out;
}

function createLogger(bindings: Fields, threshold: number): Logger {
  const write = (level: Level, message: string, fields?: Fields) => {
    if (ORDER[level] < threshold) return;
    const line = JSON.stringify({
      time: new Date().toISOString(),
      level,
      msg: message,
      ...redact({ ...bindings, ...fields }),
    });
    // One JSON line per event on stderr for warn/error, stdout otherwise: collectors split on that.
    if (ORDER[level] >= ORDER.warn) process.stderr.write(line + "\n");
    else process.stdout.write(line + "\n");
  };
  return {
    debug: (message, fields) => write("debug", message, fields),
    info: (message, fields) => write("info", message, fields),
    warn: (message, fields) => write("warn", message, fields),
    error: (message, fields) => write("error", message, fields),
    child: (more) => createLogger({ ...bindings, ...more }, threshold),
  };
}

export const logger: Logger = createLogger({}, ORDER[env.LOG_LEVEL]);
