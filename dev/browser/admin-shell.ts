// DEV/TEST ONLY: the page launch.ts serves *as* https://admin.shopify.com/store/<handle>/apps/<app>/…
// It must come from that origin: the app's CSP (frame-ancestors https://admin.shopify.com …) refuses
// any other parent. It draws a plausible Admin frame around the app's iframe and, like Admin,
// renders the app's <ui-nav-menu> links (sent by app-bridge-standin.js) in its left nav.
import { adminHostParam } from "../store-emulator/signing.ts";

export const ADMIN_ORIGIN = "https://admin.shopify.com";
export const APP_HANDLE = "shopdesk";

export interface AdminShellOptions {
  /** e.g. demo-goods.myshopify.com */
  shopDomain: string;
  /** Shown in the top bar; default: the store handle. */
  shopName?: string;
  appUrl: string;
  /** App path loaded in the iframe, with an optional query, e.g. "/app/settings". */
  path: string;
  appName?: string;
  appHandle?: string;
  /** The store's staff to sign in as (the local admin's switcher), and who is signed in. */
  staff?: { members: { id: string; name: string }[]; current: string; action: string };
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export const storeHandle = (shopDomain: string) => shopDomain.replace(/\.myshopify\.com$/, "");

/** https://admin.shopify.com/store/<handle>/apps/shopdesk[/path] */
export function adminUrl(shopDomain: string, path = "", appHandle = APP_HANDLE): string {
  const suffix = path && path !== "/" ? (path.startsWith("/") ? path : `/${path}`) : "";
  return `${ADMIN_ORIGIN}/store/${storeHandle(shopDomain)}/apps/${appHandle}${suffix}`;
}

/** Inverse of adminUrl: which shop and app path an Admin URL shows, or null for other Admin pages. */
export function parseAdminUrl(url: string | URL, appHandle = APP_HANDLE): { shopDomain: string; path: string } | null {
  const parsed = new URL(url);
  const match = new RegExp(`^/store/([^/]+)/apps/${appHandle}(/.*)?$`).exec(parsed.pathname);
  if (parsed.origin !== ADMIN_ORIGIN || !match?.[1]) return null;
  return { shopDomain: `${match[1]}.myshopify.com`, path: `${match[2] ?? ""}${parsed.search}` };
}

/** What Admin puts in the app iframe's src (minus id_token: the bounce page fetches one). */
export function appFrameUrl(appUrl: string, shopDomain: string, path: string): string {
  const url = new URL(path || "/app", appUrl.replace(/\/+$/, "") + "/");
  url.searchParams.set("embedded", "1");
  url.searchParams.set("shop", shopDomain);
  url.searchParams.set("host", adminHostParam(shopDomain));
  url.searchParams.set("locale", "en");
  return url.toString();
}

/** "Signed in as [staff ▾]": switching reloads the admin as that staff member. */
function staffSwitcher(staff: AdminShellOptions["staff"]): string {
  if (!staff || staff.members.length === 0) return "";
  const choices = staff.members
    .map(
      (member) =>
        `<option value="${escapeHtml(member.id)}"${member.id === staff.current ? " selected" : ""}>${escapeHtml(member.name)}</option>`,
    )
    .join("");
  return `<form class="staff" method="post" action="${escapeHtml(staff.action)}" data-admin-staff>
      <label for="admin-staff">Signed in as</label>
      <select id="admin-staff" name="staff" onchange="this.form.submit()">${choices}</select>
    </form>`;
}

export function adminShellHtml(options: AdminShellOptions): string {
  const handle = storeHandle(options.shopDomain);
  const appHandle = options.appHandle ?? APP_HANDLE;
  const appName = options.appName ?? "Shopdesk";
  const frameSrc = appFrameUrl(options.appUrl, options.shopDomain, options.path);
  const appOrigin = new URL(frameSrc).origin;
  const basePath = `/store/${handle}/apps/${appHandle}`;
  const storeName = escapeHtml(options.shopName ?? handle);
  const icon = (d: string) =>
    `<svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true"><path fill="currentColor" d="${d}"/></svg>`;
  const mainNav = [
    ["Home", "M10 3 3 9v8h5v-5h4v5h5V9z"],
    ["Orders", "M4 4h12v12H4z"],
    ["Products", "M10 2 3 6v8l7 4 7-4V6z"],
    ["Customers", "M10 10a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm-6 7a6 6 0 0 1 12 0z"],
    ["Analytics", "M4 16V9h3v7zm5 0V4h3v12zm5 0v-5h3v5z"],
  ]
    .map(([label, d]) => `<a class="nav-item" href="#" aria-disabled="true">${icon(d!)}<span>${label}</span></a>`)
    .join("");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(appName)} · ${storeName} · Shopify</title>
<style>
  * { box-sizing: border-box; }
  html, body { height: 100%; margin: 0; }
  body { display: grid; grid-template-rows: 56px 1fr; background: #1a1a1a; font: 13px/1.4 -apple-system, BlinkMacSystemFont, "Segoe UI", system-ui, sans-serif; color: #303030; }
  .topbar { display: flex; align-items: center; gap: 16px; padding: 0 16px; color: #e3e3e3; }
  .brand { display: flex; align-items: center; gap: 8px; font-weight: 650; color: #fff; }
  .brand svg { color: #95bf47; }
  .search { flex: 0 1 480px; margin: 0 auto; padding: 7px 12px; border-radius: 10px; background: #303030; color: #8a8a8a; }
  .badge { padding: 2px 6px; border-radius: 6px; background: #ffd79d; color: #4f2f00; font-weight: 600; font-size: 11px; }
  .staff { display: flex; align-items: center; gap: 6px; color: #e3e3e3; }
  .staff select { padding: 4px 6px; border-radius: 8px; border: 0; background: #303030; color: #fff; font: inherit; }
  .store { display: flex; align-items: center; gap: 8px; font-weight: 600; color: #fff; }
  .avatar { display: grid; place-items: center; width: 28px; height: 28px; border-radius: 8px; background: #36c2a1; color: #0b3a2f; font-weight: 700; text-transform: uppercase; }
  .layout { display: grid; grid-template-columns: 240px 1fr; min-height: 0; background: #ebebeb; border-radius: 12px 12px 0 0; overflow: hidden; }
  nav.sidebar { padding: 12px 8px; background: #ebebeb; overflow: auto; }
  .nav-item { display: flex; align-items: center; gap: 8px; padding: 6px 10px; border-radius: 8px; color: #303030; text-decoration: none; font-weight: 600; }
  .nav-item svg { color: #4a4a4a; }
  .nav-item:hover { background: #f7f7f7; }
  .section-title { margin: 16px 10px 4px; font-size: 12px; font-weight: 600; color: #616161; }
  .app-item { background: #fff; }
  .app-icon { display: grid; place-items: center; width: 20px; height: 20px; border-radius: 5px; background: #1f5199; color: #fff; font-size: 11px; font-weight: 700; }
  .app-links { display: flex; flex-direction: column; margin: 2px 0 0 20px; padding-left: 8px; border-left: 1px solid #d4d4d4; }
  .app-links a { padding: 5px 10px; border-radius: 8px; color: #4a4a4a; text-decoration: none; font-weight: 500; }
  .app-links a:hover { background: #f7f7f7; }
  .app-links a[aria-current="page"] { background: #fff; color: #303030; font-weight: 650; }
  main { display: grid; grid-template-rows: auto 1fr; min-height: 0; padding: 0 0 0 0; }
  .app-title { display: flex; align-items: center; gap: 8px; padding: 10px 20px; font-size: 14px; font-weight: 650; }
  iframe { width: 100%; height: 100%; border: 0; background: #f1f1f1; border-top-left-radius: 12px; }
</style>
</head>
<body data-admin-shell>
  <header class="topbar">
    <div class="brand">${icon("M14 4.5c-.6-.2-1.5.1-1.9 1.3-.5-1-1.2-1.8-2.3-1.8-3 0-4.4 3.7-4.8 5.6l-2 .6L2 18l11 2 5-1.2z")}<span>shopify</span></div>
    <span class="badge">Local stand-in</span>
    <div class="search" role="presentation">Search</div>
    ${staffSwitcher(options.staff)}
    <div class="store"><span class="avatar">${escapeHtml(handle.slice(0, 2))}</span><span data-admin-store-name>${storeName}</span></div>
  </header>
  <div class="layout">
    <nav class="sidebar" aria-label="Admin">
      ${mainNav}
      <div class="section-title">Apps</div>
      <a class="nav-item app-item" href="${basePath}" data-app-home><span class="app-icon">S</span><span>${escapeHtml(appName)}</span></a>
      <div class="app-links" data-app-nav></div>
    </nav>
    <main>
      <div class="app-title" data-app-title>${escapeHtml(appName)}</div>
      <iframe name="app-iframe" title="${escapeHtml(appName)}" src="${escapeHtml(frameSrc)}"></iframe>
    </main>
  </div>
<script>
(function () {
  var APP_ORIGIN = ${JSON.stringify(appOrigin)};
  var BASE = ${JSON.stringify(basePath)};
  var frame = document.querySelector("iframe[name=app-iframe]");
  var list = document.querySelector("[data-app-nav]");
  var current = "";
  function send(message) {
    frame.contentWindow.postMessage(Object.assign({ source: "shopdesk-admin-shell" }, message), APP_ORIGIN);
  }
  function markCurrent() {
    list.querySelectorAll("a").forEach(function (a) {
      if (a.getAttribute("data-href") === current) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    });
  }
  document.querySelector("[data-app-home]").addEventListener("click", function (event) {
    var home = list.getAttribute("data-home");
    if (!home) return; // no menu yet: a full load of the app's home is what Admin does too
    event.preventDefault();
    send({ type: "navigate", href: home });
  });
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.origin !== APP_ORIGIN || !data || data.source !== "shopdesk-app-bridge-standin") return;
    if (data.type === "nav-menu") {
      list.textContent = "";
      list.removeAttribute("data-home");
      data.items.forEach(function (item) {
        if (item.home) { list.setAttribute("data-home", item.href); return; }
        var a = document.createElement("a");
        a.href = BASE + item.href;
        a.textContent = item.label;
        a.setAttribute("data-href", item.href);
        a.addEventListener("click", function (e) { e.preventDefault(); send({ type: "navigate", href: item.href }); });
        list.appendChild(a);
      });
      markCurrent();
    } else if (data.type === "title-bar") {
      document.querySelector("[data-app-title]").textContent = data.title || ${JSON.stringify(appName)};
    } else if (data.type === "location") {
      current = data.path;
      markCurrent();
      history.replaceState(null, "", BASE + data.path);
    }
  });
})();
</script>
</body>
</html>`;
}
