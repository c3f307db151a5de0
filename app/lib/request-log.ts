// The production request log (server.mjs) writes each request's address. Some carry credentials
// in the query: the chat widget's token (`?token=`, for EventSource and images, decision 026) and
// Shopify's session token on an admin page's first load (`id_token=`). Their values never reach a log.

const SECRET_PARAMS = new Set(["token", "id_token", "session"]);

/** The request's path and query as logged: the values of credential parameters replaced. */
export function redactedUrl(url: string): string {
  const start = url.indexOf("?");
  if (start < 0) return url;
  const params = new URLSearchParams(url.slice(start + 1));
  let redacted = false;
  for (const [name] of params) {
    if (SECRET_PARAMS.has(name.toLowerCase())) redacted = true;
  }
  if (!redacted) return url;
  const kept = [...params].map(([name, value]) => [name, SECRET_PARAMS.has(name.toLowerCase()) ? "redacted" : value]);
  return `${url.slice(0, start)}?${new URLSearchParams(kept).toString()}`;
}
