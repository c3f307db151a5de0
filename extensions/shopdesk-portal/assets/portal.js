// Shopdesk storefront loader: on every page of the store, so it stays small and plain. It runs the
// launcher and the dialog (open, focus trap, Escape, focus back to the launcher) and fetches the
// portal UI (portal-app.js + portal-app.css) only when a shopper shows interest: first hover, focus
// or touch of the launcher, or a full-page portal block on the page. Shoppers who never open the
// widget cost one small script, fetched after the page has loaded, and no request to the app.
// The app embed's inline script fetches it (blocks/portal-embed.liquid); the Help page's app block
// names it in its schema; on a page with both it may arrive twice and runs once.
(function () {
  "use strict";
  if (window.ShopdeskPortalLoader) return;
  window.ShopdeskPortalLoader = true;

  var FOCUSABLE =
    'a[href],button:not([disabled]),input:not([disabled]):not([type="hidden"]),select:not([disabled]),' +
    'textarea:not([disabled]),[tabindex]:not([tabindex="-1"])';
  var appPromise = null;

  function addStylesheet(href) {
    return new Promise(function (resolve) {
      if (!href) return resolve();
      var links = document.querySelectorAll('link[rel="stylesheet"]');
      for (var i = 0; i < links.length; i++) if (links[i].getAttribute("href") === href) return resolve();
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      // Unstyled is still usable: a stylesheet that fails to load does not stop the portal.
      link.onload = link.onerror = function () {
        resolve();
      };
      document.head.appendChild(link);
    });
  }

  function addScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.async = true;
      script.onload = function () {
        if (window.ShopdeskPortalApp) resolve(window.ShopdeskPortalApp);
        else reject(new Error("portal-app.js did not register"));
      };
      script.onerror = function () {
        script.remove();
        reject(new Error("portal-app.js failed to load"));
      };
      document.head.appendChild(script);
    });
  }

  /** The portal UI, loaded once per page (both blocks share it). A failed load is tried again later. */
  function loadApp(root) {
    if (window.ShopdeskPortalApp) return Promise.resolve(window.ShopdeskPortalApp);
    if (!appPromise) {
      appPromise = Promise.all([
        addScript(root.getAttribute("data-app-js")),
        addStylesheet(root.getAttribute("data-app-css")),
      ]).then(
        function (loaded) {
          return loaded[0];
        },
        function (error) {
          appPromise = null;
          throw error;
        },
      );
    }
    return appPromise;
  }

  function mountOptions(root, mode) {
    return {
      mode: mode,
      root: root,
      proxyUrl: root.getAttribute("data-proxy-url"),
      locale: root.getAttribute("data-locale") || document.documentElement.lang || "en",
      texts: root.querySelector("[data-shopdesk-texts]"),
      status: root.querySelector("[data-shopdesk-status]"),
      greeting: root.querySelector("[data-shopdesk-greeting]"),
      content: root.querySelector("[data-shopdesk-content]"),
    };
  }

  function visibleFocusables(container) {
    var all = container.querySelectorAll(FOCUSABLE);
    var out = [];
    for (var i = 0; i < all.length; i++) if (all[i].getClientRects().length) out.push(all[i]);
    return out;
  }

  function initLauncher(root) {
    var launcher = root.querySelector("[data-shopdesk-launcher]");
    var panel = root.querySelector("[data-shopdesk-panel]");
    var closeButton = root.querySelector("[data-shopdesk-close]");
    if (!launcher || !panel) return;
    // A page with the full-page portal needs no floating one.
    if (document.querySelector("[data-shopdesk-portal-page]")) {
      root.hidden = true;
      return;
    }
    var mounted = false;
    var opening = false;

    function prefetch() {
      loadApp(root).catch(function () {});
    }
    launcher.addEventListener("pointerenter", prefetch, { once: true });
    launcher.addEventListener("touchstart", prefetch, { once: true, passive: true });
    launcher.addEventListener("focus", prefetch, { once: true });
    // The shopper already reached for the launcher before this script ran (the embed's inline
    // script noted it).
    if (root.hasAttribute("data-interest")) prefetch();

    function isOpen() {
      return !panel.hidden;
    }

    function showPanel() {
      panel.hidden = false;
      root.classList.add("shopdesk-portal--open");
      launcher.setAttribute("aria-expanded", "true");
      (closeButton || panel).focus();
    }

    function open() {
      if (isOpen() || opening) return;
      opening = true;
      launcher.setAttribute("aria-busy", "true");
      loadApp(root).then(
        function (app) {
          opening = false;
          launcher.removeAttribute("aria-busy");
          showPanel();
          if (!mounted) {
            mounted = true;
            app.mount(mountOptions(root, "panel"));
          }
        },
        function () {
          // Without the UI the panel still opens, with a line the shopper can act on; the next
          // open tries the download again.
          opening = false;
          launcher.removeAttribute("aria-busy");
          showPanel();
          var status = root.querySelector("[data-shopdesk-status]");
          var texts = root.querySelector("[data-shopdesk-texts]");
          if (status && texts) {
            status.textContent = texts.getAttribute("data-error");
            status.setAttribute("data-tone", "error");
          }
        },
      );
    }

    function close(returnFocus) {
      if (!isOpen()) return;
      panel.hidden = true;
      root.classList.remove("shopdesk-portal--open");
      launcher.setAttribute("aria-expanded", "false");
      if (returnFocus) launcher.focus();
    }

    launcher.addEventListener("click", function () {
      if (isOpen()) close(true);
      else open();
    });
    if (closeButton) {
      closeButton.addEventListener("click", function () {
        close(true);
      });
    }
    root.addEventListener("keydown", function (event) {
      if (!isOpen()) return;
      if (event.key === "Escape") {
        event.stopPropagation();
        close(true);
        return;
      }
      if (event.key !== "Tab") return;
      // aria-modal: Tab and Shift+Tab cycle inside the open panel.
      var items = visibleFocusables(panel);
      if (items.length === 0) return event.preventDefault();
      var first = items[0];
      var last = items[items.length - 1];
      var active = document.activeElement;
      if (event.shiftKey && (active === first || !panel.contains(active))) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (active === last || !panel.contains(active))) {
        event.preventDefault();
        first.focus();
      }
    });
    // Focus that lands outside by other means (a screen reader's commands, a script) comes back.
    document.addEventListener("focusin", function (event) {
      if (isOpen() && !root.contains(event.target)) (visibleFocusables(panel)[0] || panel).focus();
    });
    // A click on the page outside the widget closes it, leaving focus where the shopper clicked.
    document.addEventListener("pointerdown", function (event) {
      if (isOpen() && !root.contains(event.target)) close(false);
    });
    if (root.hasAttribute("data-open-requested")) {
      root.removeAttribute("data-open-requested");
      open();
    }
  }

  function initPage(root) {
    loadApp(root).then(
      function (app) {
        app.mount(mountOptions(root, "page"));
      },
      function () {
        var content = root.querySelector("[data-shopdesk-content]");
        var texts = root.querySelector("[data-shopdesk-texts]");
        if (content && texts) content.textContent = texts.getAttribute("data-error");
      },
    );
  }

  function start() {
    var pages = document.querySelectorAll("[data-shopdesk-portal-page]");
    var roots = document.querySelectorAll("[data-shopdesk-portal]");
    var i;
    for (i = 0; i < pages.length; i++) {
      if (pages[i].hasAttribute("data-initialized")) continue;
      pages[i].setAttribute("data-initialized", "");
      initPage(pages[i]);
    }
    for (i = 0; i < roots.length; i++) {
      if (roots[i].hasAttribute("data-initialized")) continue;
      roots[i].setAttribute("data-initialized", "");
      initLauncher(roots[i]);
    }
  }

  // Presence (decision 026): every 2 minutes while the tab is visible, only from a browser that has
  // chatted (portal-app.js stores the token).
  var presenceAt = 0;
  var expiredToken;
  function heartbeat() {
    var chat;
    try {
      chat = JSON.parse(localStorage.getItem("shopdesk-chat"));
    } catch {
      return;
    }
    if (!chat || !chat.liveUrl || chat.chatToken === expiredToken || document.visibilityState !== "visible") return;
    if (Date.now() - presenceAt < 119000) return;
    presenceAt = Date.now();
    fetch(chat.liveUrl + "/chat/presence", {
      method: "POST",
      headers: { Authorization: "Bearer " + chat.chatToken, "Content-Type": "application/json" },
      body: JSON.stringify({ page: location.href, title: document.title }),
      credentials: "omit",
      keepalive: true,
    }).then(
      function (response) {
        // Expired: quiet until the widget renews it.
        if (response.status === 401) expiredToken = chat.chatToken;
      },
      function () {},
    );
  }
  heartbeat();
  setInterval(heartbeat, 120000);
  document.addEventListener("visibilitychange", heartbeat);

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  // The theme editor re-renders blocks without a page load.
  document.addEventListener("shopify:section:load", start);
})();
