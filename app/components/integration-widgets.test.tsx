import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { parseWidgetTemplate, resolveWidget } from "~/domain/widget-template";
import { IntegrationWidget } from "./IntegrationWidgets";

// A widget's template and a partner's response are other people's text: whatever they hold, the
// sidebar shows it as text, and links only to http(s) or mailto addresses.

const SCRIPT = `<script>window.pwned=1</script>`;
const IMG = `<img src=x onerror="window.pwned=1">`;

function html(template: unknown, response: unknown) {
  const { tree } = resolveWidget(parseWidgetTemplate(template).root, response, {
    formatDateTime: (iso) => iso,
    formatDate: (iso) => iso,
    now: new Date("2026-12-01T00:00:00Z"),
  });
  expect(tree).not.toBeNull();
  return renderToStaticMarkup(
    <AppProvider i18n={en}>
      <IntegrationWidget widget={{ id: 1, name: `Loop ${SCRIPT}`, tree: tree! }} />
    </AppProvider>,
  );
}

describe("a widget cannot inject anything into the admin", () => {
  const template = {
    type: "card",
    title: `${IMG} {{title}}`,
    meta: {
      link: "javascript:alert({{id}})",
      custom: {
        links: [
          { label: `${SCRIPT}`, url: "javascript:alert(1)" },
          { label: "Data", url: "data:text/html,<script>alert(1)</script>" },
          { label: `Status ${IMG}`, url: "{{page}}" },
        ],
      },
    },
    widgets: [
      { type: "text", path: "title", title: SCRIPT },
      { type: "url", path: "evil_url", title: "Link" },
      { type: "url", path: "vb", title: "VB" },
      { type: "email", path: "email", title: "Email" },
      { type: "html", path: "title", title: "Unknown type" },
      { type: "text", path: "quoted", title: "Reason" },
    ],
  };
  const response = {
    id: "1",
    title: `${SCRIPT}${IMG}`,
    evil_url: "javascript:alert(document.cookie)",
    vb: "  JAVASCRIPT:alert(1)",
    email: `"><script>x</script>@evil.example`,
    page: "javascript:alert(2)",
    quoted: `"Item was too big"`,
  };

  it("renders markup in the template or the response as text, never as elements", () => {
    const markup = html(template, response);
    expect(markup).not.toMatch(/<script/i);
    expect(markup).not.toMatch(/<img/i);
    expect(markup).not.toMatch(/<[^>]*\sonerror=/i);
    expect(markup).toContain("&lt;script&gt;window.pwned=1&lt;/script&gt;");
    expect(markup).toContain("&lt;img src=x onerror=&quot;window.pwned=1&quot;&gt;");
    expect(markup).toContain("&quot;Item was too big&quot;");
  });

  it("links nowhere but http(s) and mailto addresses", () => {
    const markup = html(template, response);
    const hrefs = [...markup.matchAll(/href="([^"]*)"/g)].map((match) => match[1]);
    expect(hrefs).toEqual([]);
    expect(markup).not.toMatch(/href="\s*(javascript|data|vbscript):/i);
  });

  it("links http(s) and mailto values in a new tab", () => {
    const markup = html(
      {
        type: "card",
        title: "Loop",
        meta: { link: "https://admin.example.com/{{id}}" },
        widgets: [
          { type: "url", path: "u", title: "Page" },
          { type: "email", path: "e", title: "Email" },
        ],
      },
      { id: "7", u: "https://loop.example/r/7", e: "ava@example.com" },
    );
    const links = [...markup.matchAll(/<a [^>]*href="([^"]*)"[^>]*>/g)].map((match) => [
      match[1],
      match[0].includes('target="_blank"'),
    ]);
    expect(links).toEqual([
      ["https://admin.example.com/7", true],
      ["https://loop.example/r/7", true],
      ["mailto:ava@example.com", true],
    ]);
  });
});
