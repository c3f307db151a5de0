import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SMALL_SEED, startIntegrationStack, type IntegrationStack } from "../support/integration-stack.ts";
import { thrownStatus, unwrap } from "../support/route-results.ts";
import { waitForBackfill } from "../support/sync.ts";
import { loopReturnsResponse, loopWidgetTemplate, setUpLoopWidget } from "../support/widgets.ts";

// Settings → Sidebar widgets: the list and the template editor (preview over the integration's
// latest stored response, validation, save), through their routes as the embedded admin calls them.

const EU = "maple-goods-eu.myshopify.com";
const US = "maple-goods-us.myshopify.com";

let stack: IntegrationStack;
beforeAll(async () => {
  stack = await startIntegrationStack({ seed: SMALL_SEED });
  expect((await stack.install(EU)).status).toBe(200);
  expect((await stack.install(US)).status).toBe(200);
  await Promise.all([waitForBackfill(EU), waitForBackfill(US)]);
});
afterAll(() => stack.stop());

const { db } = await import("~/db.server");
const editorRoute = await import("~/routes/app.settings.widgets.$widgetId");
const listRoute = await import("~/routes/app.settings.widgets._index");

async function workspaceOf(domain: string) {
  return (await db.shop.findUniqueOrThrow({ where: { domain } })).workspaceId;
}

/** A widget whose integration stored two answers: an older one and the latest. */
async function widgetWithResponses(domain = EU) {
  const workspaceId = await workspaceOf(domain);
  const customers = await db.helpdeskCustomer.findMany({
    where: { workspaceId },
    take: 2,
    orderBy: { createdAt: "asc" },
  });
  const { widget, integration } = await setUpLoopWidget(workspaceId);
  await db.integrationResponse.create({
    data: {
      workspaceId,
      integrationId: integration.id,
      customerId: customers[0]!.id,
      body: { status: "success", data: [{ id: "1", order_name: "#OLD", state: "closed", carrier: "DHL" }] },
      fetchedAt: new Date("2026-11-01T00:00:00Z"),
    },
  });
  await db.integrationResponse.create({
    data: {
      workspaceId,
      integrationId: integration.id,
      customerId: customers[1]!.id,
      body: loopReturnsResponse(),
      fetchedAt: new Date("2026-11-30T00:00:00Z"),
    },
  });
  return { workspaceId, widget };
}

const load = async (widgetId: number | string, domain = EU) =>
  unwrap(
    await editorRoute.loader({
      request: stack.adminRequest(domain, `/app/settings/widgets/${widgetId}`),
      params: { widgetId: String(widgetId) },
      context: {},
    }),
  ).body as Awaited<ReturnType<typeof editorRoute.loader>>;

async function post(widgetId: number, form: Record<string, string>, domain = EU) {
  const request = stack.adminRequest(domain, `/app/settings/widgets/${widgetId}`, {
    method: "POST",
    body: new URLSearchParams(form),
  });
  return unwrap(await editorRoute.action({ request, params: { widgetId: String(widgetId) }, context: {} }));
}

function texts(node: unknown): string[] {
  if (!node || typeof node !== "object") return [];
  const value = node as Record<string, unknown>;
  const own = [value.title, value.text].filter((text): text is string => typeof text === "string");
  return [...own, ...[...((value.children as unknown[]) ?? []), ...((value.items as unknown[]) ?? [])].flatMap(texts)];
}

describe("the widget list", () => {
  it("lists the workspace's widgets only", async () => {
    const eu = await widgetWithResponses(EU);
    const us = await widgetWithResponses(US);
    const listed = unwrap(
      await listRoute.loader({ request: stack.adminRequest(EU, "/app/settings/widgets"), params: {}, context: {} }),
    ).body as Awaited<ReturnType<typeof listRoute.loader>>;
    const ids = listed.widgets.map((widget) => widget.id);
    expect(ids).toContain(eu.widget.id);
    expect(ids).not.toContain(us.widget.id);
    expect(listed.widgets.find((widget) => widget.id === eu.widget.id)).toMatchObject({
      name: "Loop Returns",
      place: "Ticket page",
      active: true,
    });
  });
});

describe("the template editor", () => {
  it("opens with the template as JSON and a preview over the latest stored response", async () => {
    const { widget } = await widgetWithResponses();
    const { widget: editor } = await load(widget.id);
    expect(JSON.parse(editor.templateText)).toEqual(loopWidgetTemplate());
    expect(editor.preview.problems).toEqual([]);
    expect(editor.preview.savable).toBe(true);
    const shown = texts(editor.preview.tree);
    expect(shown).toContain("Return #1042: open");
    expect(shown).not.toContain("Return #OLD: closed");
    expect(editor.sampleFetched).toMatch(/2026/);
  });

  it("previews typed text without saving it, and says what is wrong", async () => {
    const { widget } = await widgetWithResponses();
    const typed = {
      type: "card",
      title: "Returns",
      widgets: [
        { type: "list", path: "data", widgets: [{ type: "text", path: "carrier", title: "Carrier" }] },
        { type: "sparkline", path: "status", title: "Status" },
      ],
    };
    const answer = await post(widget.id, { intent: "preview", template: JSON.stringify(typed) });
    expect(answer.status).toBe(200);
    const preview = answer.body.preview as { problems: string[]; savable: boolean; tree: unknown };
    expect(preview.savable).toBe(true);
    expect(preview.problems).toEqual([expect.stringContaining('"sparkline" is unknown; it is shown as text')]);
    expect(texts(preview.tree)).toEqual(["Returns", "Carrier", "UPS", "Status", "success"]);
    const stored = await db.widget.findUniqueOrThrow({ where: { id: widget.id } });
    expect(stored.template).toEqual(loopWidgetTemplate());

    const broken = await post(widget.id, { intent: "preview", template: '{"type": "card",' });
    expect((broken.body.preview as { problems: string[] }).problems[0]).toMatch(/^This is not valid JSON/);
    expect((broken.body.preview as { savable: boolean }).savable).toBe(false);
  });

  it("saves a valid template, which the sidebar then uses", async () => {
    const { widget } = await widgetWithResponses();
    const template = {
      type: "card",
      title: "Returns of {{status}}",
      widgets: [{ type: "text", path: "status", title: "Status" }],
    };
    const answer = await post(widget.id, { intent: "save", template: JSON.stringify(template) });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ok: true, saved: true });
    expect((await db.widget.findUniqueOrThrow({ where: { id: widget.id } })).template).toEqual(template);
    expect(texts((await load(widget.id)).widget.preview.tree)).toEqual(["Returns of success", "Status", "success"]);
  });

  it("refuses to save text that is not a template with 400, keeping the stored one", async () => {
    const { widget } = await widgetWithResponses();
    // Compact, to fit the form: thousands of levels, which recursive checks cannot walk.
    const deep = `${'{"type":"card","widgets":['.repeat(3000)}${"]}".repeat(3000)}`;
    const unstorable = ['{"type": "card", "title": "R\\u0000"}', '{"type": "card", "meta": {"\\ud800": 1}}'];
    for (const template of [
      '{"type": "card",',
      "[]",
      '{"widgets": []}',
      '{"type": "card", "widgets": "no"}',
      ...unstorable,
    ]) {
      const answer = await post(widget.id, { intent: "save", template });
      expect(answer.status, template).toBe(400);
    }
    const missingType = await post(widget.id, { intent: "preview", template: '{"widgets": []}' });
    expect((missingType.body.preview as { problems: string[] }).problems[0]).toMatch(/type/);
    const tooDeep = await post(widget.id, { intent: "preview", template: deep });
    expect(tooDeep.status).toBe(200);
    expect((tooDeep.body.preview as { problems: string[] }).problems[0]).toMatch(/deeper/);
    expect((await post(widget.id, { intent: "save", template: deep })).status).toBe(400);
    const nul = await post(widget.id, { intent: "preview", template: unstorable[0]! });
    expect((nul.body.preview as { problems: string[] }).problems[0]).toMatch(/cannot be saved/);
    expect((await db.widget.findUniqueOrThrow({ where: { id: widget.id } })).template).toEqual(loopWidgetTemplate());
    const bad = await post(widget.id, { intent: "delete", template: "{}" });
    expect(bad.status).toBe(400);
  });

  it("is a 404 for another workspace's widget, to open, preview or save", async () => {
    const us = await widgetWithResponses(US);
    expect(await thrownStatus(load(us.widget.id, EU))).toBe(404);
    expect(await thrownStatus(load("not-a-number", EU))).toBe(404);
    await expect(post(us.widget.id, { intent: "preview", template: "{}" }, EU)).rejects.toMatchObject({ status: 404 });
    await expect(
      post(us.widget.id, { intent: "save", template: '{"type":"card","title":"Hijacked"}' }, EU),
    ).rejects.toMatchObject({ status: 404 });
    expect((await db.widget.findUniqueOrThrow({ where: { id: us.widget.id } })).template).toEqual(loopWidgetTemplate());
  });
});
