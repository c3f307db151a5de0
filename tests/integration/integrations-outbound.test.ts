import { createServer, type IncomingMessage, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The one door integrations call out through (services/integrations/outbound.server.ts), against
// real HTTP servers on 127.0.0.1: what is sent, what is refused (SSRF) and why, redirects,
// timeouts and the response size cap.

const { db } = await import("~/db.server");
const { sendOutboundRequest, RESPONSE_BODY_CAP_BYTES } = await import("~/services/integrations/outbound.server");

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

let server: Server;
let base: string;
const received: Received[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({
        method: request.method!,
        url: request.url!,
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
      });
      if (request.url === "/redirect") {
        response.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
      } else if (request.url === "/slow") {
        setTimeout(() => response.writeHead(200).end("late"), 2_000);
      } else if (request.url === "/huge") {
        response.writeHead(200, { "content-type": "text/plain" });
        response.end("x".repeat(RESPONSE_BODY_CAP_BYTES + 5000));
      } else {
        response.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ ok: true }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

async function workspace(allowPrivateNetwork: boolean) {
  const row = await db.workspace.create({
    data: { name: "Maple", integrationsAllowPrivateNetwork: allowPrivateNetwork },
  });
  return row.id;
}

describe("sendOutboundRequest", () => {
  it("refuses loopback, metadata and private addresses with the reason while the switch is off", async () => {
    const workspaceId = await workspace(false);
    const before = received.length;
    const loopback = await sendOutboundRequest({ workspaceId, method: "GET", url: `${base}/x`, headers: {} });
    expect(loopback).toMatchObject({ ok: false, refused: true });
    expect(!loopback.ok && loopback.error).toContain("loopback");
    expect(!loopback.ok && loopback.error).toContain("Allow private network");

    const metadata = await sendOutboundRequest({
      workspaceId,
      method: "GET",
      url: "http://169.254.169.254/latest/meta-data/",
      headers: {},
    });
    expect(!metadata.ok && metadata.refused && metadata.error).toContain("link-local");

    const mapped = await sendOutboundRequest({
      workspaceId,
      method: "GET",
      url: "http://[::ffff:127.0.0.1]:1/",
      headers: {},
    });
    expect(!mapped.ok && mapped.refused && mapped.error).toContain("loopback");

    // A host name is judged by what it resolves to: the system's "localhost", and a name whose DNS
    // answer is a 10.x address.
    const localhost = await sendOutboundRequest({
      workspaceId,
      method: "GET",
      url: `http://localhost:1/`,
      headers: {},
    });
    expect(!localhost.ok && localhost.refused && localhost.error).toContain("localhost, which resolves to 127.0.0.1");
    const internal = await sendOutboundRequest(
      { workspaceId, method: "GET", url: "https://returns.internal.example/api", headers: {} },
      async () => [
        { address: "203.0.113.7", family: 4 },
        { address: "10.0.0.5", family: 4 },
      ],
    );
    expect(!internal.ok && internal.refused && internal.error).toContain(
      "returns.internal.example, which resolves to 10.0.0.5, is a private network address",
    );
    expect(received.length).toBe(before);
  });

  it("sends to a private address once the workspace allows it, with method, headers and body as given", async () => {
    const workspaceId = await workspace(true);
    const result = await sendOutboundRequest({
      workspaceId,
      method: "POST",
      url: `${base}/hook?email=a%40b.c`,
      headers: { "content-type": "application/json", "x-api-key": "k1" },
      body: '{"hello":"world"}',
    });
    expect(result).toMatchObject({ ok: true, status: 201, body: '{"ok":true}', truncated: false });
    const last = received.at(-1)!;
    expect(last).toMatchObject({ method: "POST", url: "/hook?email=a%40b.c", body: '{"hello":"world"}' });
    expect(last.headers["x-api-key"]).toBe("k1");
    expect(last.headers.host).toBe(new URL(base).host);
  });

  it("sends a header value holding a customer's emoji or control character instead of failing the call", async () => {
    // A customer's name rendered into a header ("X-Customer: {{ticket.customer.name}}") must not
    // make every call for them fail on our side (and trip the circuit for everyone).
    const workspaceId = await workspace(true);
    const result = await sendOutboundRequest({
      workspaceId,
      method: "GET",
      url: `${base}/hook`,
      headers: { "x-customer": "Zoë 😀", "x-note": "a\u0000b\u007fc", "x-plain": "Zoë" },
    });
    expect(result).toMatchObject({ ok: true, status: 201 });
    const last = received.at(-1)!;
    // Non-Latin-1 text goes as its UTF-8 bytes; control characters become spaces; Latin-1 stays as it was.
    expect(Buffer.from(last.headers["x-customer"] as string, "latin1").toString("utf8")).toBe("Zoë 😀");
    expect(last.headers["x-note"]).toBe("a b c");
    expect(last.headers["x-plain"]).toBe("Zoë");
  });

  it("connects to the checked address, whatever a second DNS answer would say", async () => {
    const workspaceId = await workspace(true);
    const port = new URL(base).port;
    let asked = 0;
    const result = await sendOutboundRequest(
      { workspaceId, method: "GET", url: `http://rebind.example:${port}/pinned`, headers: {} },
      async () => {
        asked += 1;
        return [{ address: "127.0.0.1", family: 4 }];
      },
    );
    expect(result).toMatchObject({ ok: true, status: 201 });
    expect(asked).toBe(1);
    expect(received.at(-1)!.headers.host).toBe(`rebind.example:${port}`);
  });

  it("records a redirect as the answer instead of following it", async () => {
    const workspaceId = await workspace(true);
    const result = await sendOutboundRequest({ workspaceId, method: "GET", url: `${base}/redirect`, headers: {} });
    expect(result).toMatchObject({ ok: true, status: 302 });
  });

  it("gives up after the timeout and cuts a body larger than the cap", async () => {
    const workspaceId = await workspace(true);
    const slow = await sendOutboundRequest({
      workspaceId,
      method: "GET",
      url: `${base}/slow`,
      headers: {},
      timeoutMs: 300,
    });
    expect(slow).toMatchObject({ ok: false, refused: false });
    expect(!slow.ok && slow.error).toContain("timed out");
    expect(slow.durationMs).toBeLessThan(1_500);

    const huge = await sendOutboundRequest({ workspaceId, method: "GET", url: `${base}/huge`, headers: {} });
    expect(huge).toMatchObject({ ok: true, status: 200, truncated: true });
    expect(huge.ok && huge.body.length).toBe(RESPONSE_BODY_CAP_BYTES);
  });

  it("says when nothing listens, without throwing", async () => {
    const workspaceId = await workspace(true);
    const result = await sendOutboundRequest({ workspaceId, method: "GET", url: "http://127.0.0.1:1/", headers: {} });
    expect(result).toMatchObject({ ok: false, refused: false });
    expect(!result.ok && result.error).toContain("refused the connection");
  });
});
