// Shopdesk storefront launcher. Plain JS, no framework: it loads on every page of the store.
// Every string comes from Liquid (data-text-* attributes) so the widget follows the store language.
(function () {
  "use strict";

  function init(root) {
    if (root.hasAttribute("data-initialized")) return;
    root.setAttribute("data-initialized", "");

    var launcher = root.querySelector("[data-shopdesk-launcher]");
    var panel = root.querySelector("[data-shopdesk-panel]");
    var closeButton = root.querySelector("[data-shopdesk-close]");
    var title = root.querySelector("[data-shopdesk-title]");
    var status = root.querySelector("[data-shopdesk-status]");
    if (!launcher || !panel || !title || !status) return;

    // "idle" until the first open: shoppers who never open the widget cost the app no request.
    var state = "idle";
    root.setAttribute("data-state", state);

    function setState(next, message, isError) {
      state = next;
      root.setAttribute("data-state", next);
      status.textContent = message || "";
      status.hidden = !message;
      status.classList.toggle("shopdesk-portal__status--error", !!isError);
    }

    function load() {
      setState("loading", status.textContent);
      fetch(root.getAttribute("data-proxy-url"), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(function (data) {
          if (!data || !data.shop || typeof data.shop.name !== "string") throw new Error("unexpected answer");
          title.textContent = data.shop.name;
          var customer = data.customer || {};
          var signedIn =
            customer.loggedIn && customer.firstName
              ? (root.getAttribute("data-text-signed-in") || "").replace("{name}", customer.firstName)
              : "";
          setState("loaded", signedIn, false);
        })
        .catch(function () {
          // Next open tries again; the shopper sees a line they can act on, not a spinner forever.
          setState("error", root.getAttribute("data-text-error"), true);
        });
    }

    function open() {
      panel.hidden = false;
      launcher.setAttribute("aria-expanded", "true");
      root.classList.add("shopdesk-portal--open");
      (closeButton || panel).focus();
      if (state === "idle" || state === "error") load();
    }

    function close(returnFocus) {
      panel.hidden = true;
      launcher.setAttribute("aria-expanded", "false");
      root.classList.remove("shopdesk-portal--open");
      if (returnFocus) launcher.focus();
    }

    launcher.addEventListener("click", function () {
      if (panel.hidden) open();
      else close(false);
    });
    if (closeButton) {
      closeButton.addEventListener("click", function () {
        close(true);
      });
    }
    root.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !panel.hidden) {
        event.stopPropagation();
        close(true);
      }
    });
  }

  function start() {
    var roots = document.querySelectorAll("[data-shopdesk-portal]");
    for (var i = 0; i < roots.length; i++) init(roots[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  // The theme editor re-renders app embeds without a page load.
  document.addEventListener("shopify:section:load", start);
})();
