import { PassThrough } from "node:stream";
import {
  createReadableStreamFromReadable,
  type EntryContext,
  type HandleDataRequestFunction,
  type HandleErrorFunction,
} from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { referenceTimingHeader, ServerErrorReference } from "~/components/error-reference";
import { ensureJobWorkers } from "~/jobs/runtime.server";
import { logRequestFailure, referenceForServerError } from "~/services/request-failures.server";
import { addDocumentResponseHeaders } from "~/shopify.server";

export const streamTimeout = 5000;

// For server.mjs (`npm start`), which hands Shopify's webhook deliveries to the intake directly.
export { receiveNodeWebhook } from "~/services/webhooks/node-intake.server";
export { redactedUrl } from "~/lib/request-log";

// The web process also starts the job workers (a child process in production, see
// jobWorkersPlacement) unless JOBS_IN_PROCESS=false. At module load, so webhooks queued before
// the first page view are processed too.
void ensureJobWorkers();

/** Every exception a loader, action or render throws: one log line with shop and reference. */
export const handleError: HandleErrorFunction = (error, { request }) => {
  // The browser went away (navigated on, closed the tab): nothing failed.
  if (request.signal.aborted) return;
  logRequestFailure(request, error);
};

/** Data requests (client-side navigation): the failure's reference goes back with the answer. */
export const handleDataRequest: HandleDataRequestFunction = (response, { request }) => {
  const reference = referenceForServerError(request, response.status);
  if (reference) response.headers.set("Server-Timing", referenceTimingHeader(reference));
  return response;
};

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  const reference = referenceForServerError(request, responseStatusCode) ?? null;
  if (reference) responseHeaders.set("Server-Timing", referenceTimingHeader(reference));
  const callbackName = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";

  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(
      <ServerErrorReference.Provider value={reference}>
        <RemixServer context={remixContext} url={request.url} />
      </ServerErrorReference.Provider>,
      {
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
          if (!request.signal.aborted) logRequestFailure(request, error);
        },
      },
    );
    setTimeout(abort, streamTimeout + 1000);
  });
}
