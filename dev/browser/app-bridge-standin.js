// DEV/TEST ONLY: a local stand-in for https://cdn.shopify.com/shopifycloud/app-bridge.js.
// dev/browser/launch.ts serves it in place of the CDN script, so the app's HTML is unchanged.
// It implements the slice of App Bridge that Shopdesk uses:
//   - window.shopify: config, ready, environment, idToken(), toast, loading, user, saveBar, modal
//   - the /auth/session-token bounce page (reload `shopify-reload` with a fresh id_token)
//   - same-origin fetch gets `Authorization: Bearer <fresh token>`, retried once on
//     X-Shopify-Retry-Invalid-Session-Request
//   - <ui-nav-menu>, <ui-title-bar>, <ui-save-bar> rendered in Shadow DOM only: changing their
//     light-DOM children breaks React hydration (errors #418/#423).
// Session tokens are minted in Node (window.__shopdeskMintIdToken, exposed by launch.ts) so the
// app secret never reaches the page.
(function () {
  "use strict";
  if (window.shopify && window.shopify.__standin) return;

  var script = document.currentScript;
  var meta = document.querySelector('meta[name="shopify-api-key"]');
  var apiKey = (script && script.getAttribute("data-api-key")) || (meta && meta.getAttribute("content")) || "";
  var params = new URLSearchParams(location.search);
  var framed = window.top !== window;
  var ADMIN_ORIGIN = "https://admin.shopify.com";

  // Client-side navigation drops `shop`/`host` from the URL; remember them for this tab.
  function remembered(name) {
    var value = params.get(name);
    try {
      if (value) sessionStorage.setItem("shopdesk-standin:" + name, value);
      else value = sessionStorage.getItem("shopdesk-standin:" + name);
    } catch {
      /* storage may be blocked in third-party iframes */
    }
    return value;
  }
  var host = remembered("host");
  var shop = remembered("shop");
  if (!shop && host) {
    try {
      var store = /\/store\/([^/]+)/.exec(atob(host));
      if (store) shop = store[1] + ".myshopify.com";
    } catch {
      /* not base64 */
    }
  }

  function idToken() {
    if (typeof window.__shopdeskMintIdToken !== "function") {
      return Promise.reject(
        new Error("App Bridge stand-in: no token minter (open pages through dev/browser/launch.ts)"),
      );
    }
    if (!shop) return Promise.reject(new Error("App Bridge stand-in: no shop parameter on this page"));
    return window.__shopdeskMintIdToken(shop);
  }

  // Bounce page: authenticate.admin redirects here when a document request has no id_token.
  if (/\/auth\/session-token\/?$/.test(location.pathname) && params.get("shopify-reload")) {
    idToken().then(function (token) {
      var target = new URL(params.get("shopify-reload"), location.href);
      target.searchParams.set("id_token", token);
      location.replace(target.toString());
    });
  }

  var originalFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var request = new Request(input, init);
    if (new URL(request.url, location.href).origin !== location.origin || request.headers.has("authorization")) {
      return originalFetch(request);
    }
    function attempt(source) {
      return idToken().then(function (token) {
        var headers = new Headers(source.headers);
        headers.set("Authorization", "Bearer " + token);
        return originalFetch(new Request(source, { headers: headers }));
      });
    }
    var spare = request.clone(); // a body can be read once: keep a copy for the retry
    return attempt(request).then(function (response) {
      if (response.status === 401 && response.headers.get("X-Shopify-Retry-Invalid-Session-Request") === "1") {
        return attempt(spare);
      }
      return response;
    });
  };

  // Overlays live in one Shadow DOM host created on first use (after hydration), outside React's tree.
  var overlay = null;
  function overlayRoot() {
    if (overlay) return overlay;
    var hostEl = document.createElement("app-bridge-standin-overlay");
    hostEl.style.cssText = "position:fixed;inset:auto 0 24px 0;z-index:2147483647;pointer-events:none";
    overlay = hostEl.attachShadow({ mode: "open" });
    overlay.innerHTML =
      "<style>" +
      ".stack{display:flex;flex-direction:column;align-items:center;gap:8px}" +
      ".toast{pointer-events:auto;display:flex;gap:12px;align-items:center;background:#303030;color:#fff;" +
      "padding:10px 16px;border-radius:10px;font:500 14px/1.4 system-ui,sans-serif;box-shadow:0 4px 12px rgba(0,0,0,.25)}" +
      ".toast.error{background:#8e1f0b}" +
      ".toast button{all:unset;cursor:pointer;text-decoration:underline}" +
      "</style><div class='stack' role='status' aria-live='polite'></div>";
    document.documentElement.appendChild(hostEl);
    return overlay;
  }

  var toastSeq = 0;
  var toastTimers = {};
  function hideToast(id) {
    var el = overlay && overlay.getElementById(id);
    if (el) el.remove();
    clearTimeout(toastTimers[id]);
    delete toastTimers[id];
  }
  function showToast(message, options) {
    options = options || {};
    var id = "toast-" + ++toastSeq;
    var el = document.createElement("div");
    el.className = "toast" + (options.isError ? " error" : "");
    el.id = id;
    el.setAttribute("data-standin-toast", "");
    var text = document.createElement("span");
    text.textContent = String(message);
    el.appendChild(text);
    if (options.action) {
      var action = document.createElement("button");
      action.textContent = options.action;
      action.addEventListener("click", function () {
        if (options.onAction) options.onAction();
      });
      el.appendChild(action);
    }
    overlayRoot().querySelector(".stack").appendChild(el);
    toastTimers[id] = setTimeout(function () {
      hideToast(id);
      if (options.onDismiss) options.onDismiss();
    }, options.duration || 5000);
    return id;
  }

  // Runs what a click on one of the app's own light-DOM links/buttons would run, so React's
  // handlers (Remix <Link> does client-side navigation) fire; plain anchors navigate normally.
  function activate(el) {
    if (el) el.click();
  }

  function navItems(menu) {
    return Array.prototype.slice.call(menu.querySelectorAll("a")).map(function (a) {
      return {
        href: a.getAttribute("href") || "",
        label: (a.textContent || "").trim(),
        home: a.getAttribute("rel") === "home",
      };
    });
  }

  // Whether the app's scripts have taken over its links (Remix's router is up).
  function hydrated() {
    var router = window.__remixRouter;
    return Boolean(router && router.state && router.state.initialized);
  }

  function navigateTo(menu, href) {
    var links = menu ? Array.prototype.slice.call(menu.querySelectorAll("a")) : [];
    var link = links.find(function (a) {
      return a.getAttribute("href") === href;
    });
    if (link && hydrated()) return activate(link);
    var url = new URL(href, location.href);
    if (url.origin !== location.origin) return location.assign(url.toString());
    if (link) {
      // Before the app's scripts run, its link is a plain one and would load the bare path, which
      // no longer says which shop is asking. Shopify's admin loads the app with its parameters
      // (a session token the app gets fresh through the usual bounce).
      new URLSearchParams(location.search).forEach(function (value, key) {
        if (key !== "id_token" && !url.searchParams.has(key)) url.searchParams.set(key, value);
      });
      return location.assign(url.toString());
    }
    // No matching link: let the router pick the change up from history, as a back/forward would.
    history.pushState(null, "", url.pathname + url.search + url.hash);
    window.dispatchEvent(new PopStateEvent("popstate", { state: null }));
  }

  function post(message) {
    if (framed) window.parent.postMessage(Object.assign({ source: "shopdesk-app-bridge-standin" }, message), "*");
  }

  // Renders into Shadow DOM only (light-DOM changes break React hydration) and again whenever
  // the app changes the element's children or attributes. Subclasses implement render().
  class ObservedShadowElement extends HTMLElement {
    connectedCallback() {
      if (!this.shadowRoot) this.attachShadow({ mode: "open" });
      this._observer = new MutationObserver(() => this.render());
      this._observer.observe(this, { childList: true, subtree: true, characterData: true, attributes: true });
      this.render();
    }
    disconnectedCallback() {
      if (this._observer) this._observer.disconnect();
    }
  }

  customElements.define(
    "ui-nav-menu",
    class extends ObservedShadowElement {
      render() {
        var items = navItems(this);
        // In the admin frame the menu belongs to Admin's left nav (admin-shell.ts draws it).
        post({ type: "nav-menu", items: items });
        var root = this.shadowRoot;
        if (framed) {
          root.innerHTML = "<style>:host{display:none}</style>";
          return;
        }
        root.innerHTML =
          "<style>:host{display:block}nav{display:flex;gap:4px;padding:6px 12px;background:#f1f1f1;" +
          "border-bottom:1px solid #e3e3e3;font:500 13px system-ui,sans-serif}" +
          "a{color:#303030;text-decoration:none;padding:4px 10px;border-radius:6px}" +
          "a[aria-current=page]{background:#fff;box-shadow:0 1px 0 #d4d4d4}a:hover{background:#e8e8e8}</style>" +
          "<nav aria-label='App navigation (App Bridge stand-in)'></nav>";
        var nav = root.querySelector("nav");
        items.forEach((item) => {
          if (item.home) return; // Admin shows the home link as the app's name, not as a tab
          var a = document.createElement("a");
          a.href = item.href;
          a.textContent = item.label;
          if (new URL(item.href, location.href).pathname === location.pathname) a.setAttribute("aria-current", "page");
          a.addEventListener("click", (event) => {
            event.preventDefault();
            navigateTo(this, item.href);
          });
          nav.appendChild(a);
        });
      }
    },
  );

  function proxyButtons(source, target) {
    Array.prototype.slice.call(source.querySelectorAll("button")).forEach(function (button) {
      var copy = document.createElement("button");
      copy.textContent = (button.textContent || "").trim();
      copy.disabled = button.disabled;
      if (button.getAttribute("variant") === "primary") copy.className = "primary";
      copy.addEventListener("click", function () {
        activate(button);
      });
      target.appendChild(copy);
    });
  }
  var buttonCss =
    "button{font:600 13px system-ui,sans-serif;padding:6px 12px;border-radius:8px;border:1px solid #c9c9c9;" +
    "background:#fff;color:#303030;cursor:pointer}button.primary{background:#303030;color:#fff;border-color:#303030}";

  customElements.define(
    "ui-title-bar",
    class extends ObservedShadowElement {
      static get observedAttributes() {
        return ["title"];
      }
      attributeChangedCallback() {
        if (this.shadowRoot) this.render();
      }
      render() {
        var title = this.getAttribute("title") || "";
        post({ type: "title-bar", title: title });
        var root = this.shadowRoot;
        // Framed, Admin draws the title above the iframe; only action buttons need a place here.
        var hidden = framed && !this.querySelector("button");
        root.innerHTML =
          "<style>:host{display:" +
          (hidden ? "none" : "block") +
          ";position:sticky;top:0;z-index:500}" +
          ".bar{display:flex;align-items:center;gap:8px;padding:10px 16px;background:#fff;border-bottom:1px solid #e3e3e3}" +
          "h1{margin:0 auto 0 0;font:650 15px system-ui,sans-serif;color:#303030}" +
          buttonCss +
          "</style><div class='bar'><h1></h1></div>";
        root.querySelector("h1").textContent = title;
        proxyButtons(this, root.querySelector(".bar"));
      }
    },
  );

  customElements.define(
    "ui-save-bar",
    class extends HTMLElement {
      connectedCallback() {
        if (!this.shadowRoot) this.attachShadow({ mode: "open" });
        if (this.showing === undefined) this.showing = false;
        this.render();
      }
      show() {
        this.showing = true;
        this.render();
        this.dispatchEvent(new Event("show"));
        return Promise.resolve();
      }
      hide() {
        this.showing = false;
        this.render();
        this.dispatchEvent(new Event("hide"));
        return Promise.resolve();
      }
      toggle() {
        return this.showing ? this.hide() : this.show();
      }
      render() {
        var root = this.shadowRoot;
        if (!root) return;
        root.innerHTML =
          "<style>:host{display:" +
          (this.showing ? "block" : "none") +
          ";position:fixed;top:0;left:0;right:0;z-index:2147483600}" +
          ".bar{display:flex;align-items:center;gap:8px;padding:10px 16px;background:#1a1a1a;color:#fff;" +
          "font:600 14px system-ui,sans-serif}span{margin-right:auto}" +
          buttonCss +
          "</style><div class='bar' role='region' aria-label='Unsaved changes'><span>Unsaved changes</span></div>";
        proxyButtons(this, root.querySelector(".bar"));
      }
    },
  );

  var saveBars = function (id) {
    return document.getElementById(id);
  };
  var loadingState = false;

  // The admin shell sends back clicks on the nav links it drew for this app.
  window.addEventListener("message", function (event) {
    if (event.origin !== ADMIN_ORIGIN || !event.data || event.data.source !== "shopdesk-admin-shell") return;
    if (event.data.type === "navigate") navigateTo(document.querySelector("ui-nav-menu"), event.data.href);
  });

  // Admin keeps its address bar in step with the app's path.
  function reportLocation() {
    post({ type: "location", path: location.pathname, search: location.search });
  }
  ["pushState", "replaceState"].forEach(function (name) {
    var original = history[name];
    history[name] = function () {
      var result = original.apply(this, arguments);
      reportLocation();
      return result;
    };
  });
  window.addEventListener("popstate", reportLocation);
  reportLocation();

  window.shopify = {
    __standin: true,
    config: { apiKey: apiKey, shop: shop, host: host, locale: params.get("locale") || "en" },
    origin: ADMIN_ORIGIN,
    ready: Promise.resolve(),
    environment: { embedded: framed, mobile: false, pos: false },
    idToken: idToken,
    user: function () {
      return Promise.resolve({});
    },
    toast: { show: showToast, hide: hideToast },
    loading: function (isLoading) {
      if (arguments.length) loadingState = !!isLoading;
      return loadingState;
    },
    saveBar: {
      show: function (id) {
        var bar = saveBars(id);
        return bar ? bar.show() : Promise.resolve();
      },
      hide: function (id) {
        var bar = saveBars(id);
        return bar ? bar.hide() : Promise.resolve();
      },
      toggle: function (id) {
        var bar = saveBars(id);
        return bar ? bar.toggle() : Promise.resolve();
      },
      leaveConfirmation: function () {
        return Promise.resolve();
      },
    },
    modal: {
      show: function () {
        return Promise.resolve();
      },
      hide: function () {
        return Promise.resolve();
      },
      toggle: function () {
        return Promise.resolve();
      },
    },
  };
})();
