import { describe, expect, it } from "vitest";
import { z } from "zod";
import { MAX_FORM_BYTES, readForm } from "./form-data.server";

const Schema = z.object({ intent: z.literal("save"), note: z.string().max(10, "Too long") });
const post = (body: BodyInit | null, headers: Record<string, string> = {}) =>
  new Request("https://shopdesk.example/app", { method: "POST", body, headers, duplex: "half" } as RequestInit);

/** A body sent in chunks with no Content-Length, as a chunked upload arrives. */
function streamed(chunk: string, times: number) {
  const bytes = new TextEncoder().encode(chunk);
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ < times) controller.enqueue(bytes);
      else controller.close();
    },
  });
}

describe("readForm", () => {
  it("parses a URL-encoded or multipart form with the schema", async () => {
    const encoded = await readForm(post(new URLSearchParams({ intent: "save", note: "hi" })), Schema, "note");
    expect(encoded).toEqual({ ok: true, data: { intent: "save", note: "hi" } });
    const multipart = new FormData();
    multipart.set("intent", "save");
    multipart.set("note", "hi");
    expect(await readForm(post(multipart), Schema, "note")).toEqual({ ok: true, data: { intent: "save", note: "hi" } });
  });

  it("returns field errors, and the fields it read, for a form that fails the schema", async () => {
    const result = await readForm(post(new URLSearchParams({ intent: "save", note: "x".repeat(11) })), Schema, "note");
    expect(result).toEqual({
      ok: false,
      status: 400,
      errors: { note: ["Too long"] },
      fields: { intent: "save", note: "x".repeat(11) },
    });
  });

  it("asks for a form when the body is something else, naming what was sent", async () => {
    const json = await readForm(post("{}", { "content-type": "application/json" }), Schema, "note");
    expect(json).toMatchObject({ ok: false, status: 400 });
    expect(json.ok ? null : json.errors.form).toEqual([
      "Send the note as a form (application/x-www-form-urlencoded or multipart/form-data); this request sent application/json.",
    ]);
    const broken = await readForm(
      post("--b\r\nbroken", { "content-type": "multipart/form-data; boundary=b" }),
      Schema,
      "note",
    );
    expect(broken.ok ? null : broken.errors.form?.[0]).toMatch(
      /^Send the note as a form: this multipart\/form-data body/,
    );
  });

  it("refuses a body over the limit with 413, declared or streamed without a length", async () => {
    const declared = await readForm(
      post("intent=save", {
        "content-type": "application/x-www-form-urlencoded",
        "content-length": String(MAX_FORM_BYTES + 1),
      }),
      Schema,
      "note",
    );
    expect(declared).toMatchObject({ ok: false, status: 413 });
    const chunked = await readForm(
      post(streamed("note=" + "x".repeat(64 * 1024), 5), { "content-type": "application/x-www-form-urlencoded" }),
      Schema,
      "note",
    );
    expect(chunked).toMatchObject({ ok: false, status: 413, errors: { form: [expect.stringMatching(/too large/)] } });
    const small = await readForm(
      post(streamed("intent=save&note=ok", 1), { "content-type": "application/x-www-form-urlencoded" }),
      Schema,
      "note",
    );
    expect(small).toEqual({ ok: true, data: { intent: "save", note: "ok" } });
  });
});
