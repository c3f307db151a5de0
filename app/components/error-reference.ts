import { createContext, useContext, useSyncExternalStore } from "react";

// The reference of a failed request, as the error page shows it. The server logs it (see
// services/request-failures.server.ts) and sends it back in a `Server-Timing: shopdesk-ref;desc=…`
// header, which the browser exposes on the document's and each fetch's performance entry. So the
// page can show it after a full load and after a client-side navigation alike, with no request
// id plumbing in every loader. While the server renders, entry.server.tsx provides it directly.

export const REFERENCE_TIMING = "shopdesk-ref";

export function referenceTimingHeader(reference: string): string {
  return `${REFERENCE_TIMING};desc="${reference}"`;
}

interface ServerTimingLike {
  name: string;
  description: string;
}

export function referenceFromServerTiming(entries: readonly ServerTimingLike[] | undefined): string | null {
  return entries?.find((entry) => entry.name === REFERENCE_TIMING)?.description || null;
}

/** Set by entry.server.tsx for the request being rendered. */
export const ServerErrorReference = createContext<string | null>(null);

// ---- In the browser -----------------------------------------------------------------------------

const isDataRequest = (entry: PerformanceResourceTiming) => {
  const url = new URL(entry.name, location.href);
  return url.origin === location.origin && url.pathname.endsWith(".data");
};

/** The reference of the document load, which the server rendered with. */
function documentReference(): string | null {
  const [navigation] = performance.getEntriesByType("navigation") as PerformanceNavigationTiming[];
  return referenceFromServerTiming(navigation?.serverTiming);
}

// The latest Remix data request decides: a later successful one means the error on screen (if
// any) did not come from the server, so there is nothing to refer to.
let latestData: { reference: string | null } | null = null;
const listeners = new Set<() => void>();

function watchDataRequests() {
  if (typeof PerformanceObserver === "undefined") return;
  new PerformanceObserver((list) => {
    const data = (list.getEntries() as PerformanceResourceTiming[]).filter(isDataRequest);
    const last = data.at(-1);
    if (!last) return;
    latestData = { reference: referenceFromServerTiming(last.serverTiming) };
    listeners.forEach((listener) => listener());
  }).observe({ type: "resource", buffered: true });
}
if (typeof window !== "undefined") watchDataRequests();

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
const clientReference = () => (latestData ? latestData.reference : documentReference());

/**
 * The reference to show with an unexpected error: the same value on the server and while hydrating
 * (the document's), then the latest data request's once the app navigates on its own.
 */
export function useErrorReference(): string | null {
  const fromServer = useContext(ServerErrorReference);
  return useSyncExternalStore(subscribe, clientReference, () =>
    typeof window === "undefined" ? fromServer : documentReference(),
  );
}
