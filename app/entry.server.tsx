import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { ensureInProcessWorkers } from "~/jobs/runtime.server";
import { logger } from "~/lib/logger.server";
import { addDocumentResponseHeaders } from "~/shopify.server";

export const streamTimeout = 5000;

// The web process also runs the job workers unless JOBS_IN_PROCESS=false (PGlite allows one
// process, so there it always does). Started at module load so webhooks queued before the first
// page view are processed too.
void ensureInProcessWorkers();

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  const callbackName = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";

  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} />, {
      [callbackName]: () => {
        const body = new PassThrough();
        responseHeaders.set("Content-Type", "text/html");
        resolve(
          new Response(createReadableStreamFromReadable(body), {
            headers: responseHeaders,
            status: responseStatusCode,
          }),
        );
        pipe(body);
      },
      onShellError(error: unknown) {
        reject(error);
      },
      onError(error: unknown) {
        responseStatusCode = 500;
        logger.error("render failed", { error, url: request.url });
      },
    });
    setTimeout(abort, streamTimeout + 1000);
  });
}
