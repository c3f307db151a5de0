// Shopdesk portal UI: sign-in, orders, track, order summary, return, cancel, report an issue.
// Loaded by portal.js when a shopper opens the launcher (or on a page with the full-page block),
// never on a plain page view. Plain modern JS, no framework: the whole UI is a few views rebuilt
// with DOM calls. Every string comes from Liquid (snippets/portal-texts.liquid), every byte of data
// from the portal API through the App Proxy (createApi below: the only code that knows its paths
// and field names).
(function () {
  "use strict";
  if (window.ShopdeskPortalApp) return;

  var TOKEN_KEY = "shopdesk-portal-token";
  var RESEND_WAIT_SECONDS = 30;
  // Shopify's ReturnReason values (what the request call takes); their labels are reason_<value>.
  var RETURN_REASONS = [
    "SIZE_TOO_SMALL",
    "SIZE_TOO_LARGE",
    "NOT_AS_DESCRIBED",
    "DEFECTIVE",
    "WRONG_ITEM",
    "STYLE",
    "COLOR",
    "UNWANTED",
    "OTHER",
  ];

  // ---------------------------------------------------------------------------------------------
  // Portal API. POST {proxyUrl}/{name} with a JSON body; answers JSON; errors {error} with a 4xx.
  // The session token lives in memory and sessionStorage (the App Proxy strips cookies) and is
  // forgotten on sign-out and on a 401 that asks to sign in again.

  function createApi(base, locale) {
    var token = null;
    try {
      token = window.sessionStorage.getItem(TOKEN_KEY);
    } catch {
      // Storage blocked (private mode, sandboxed frame): the token lives in memory only.
    }

    function remember(value) {
      token = value || null;
      try {
        if (token) window.sessionStorage.setItem(TOKEN_KEY, token);
        else window.sessionStorage.removeItem(TOKEN_KEY);
      } catch {
        // As above.
      }
    }

    async function call(name, body) {
      var payload = Object.assign({}, body, { locale: locale });
      if (token) payload.token = token;
      var response;
      try {
        response = await fetch(base + "/" + name, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify(payload),
          credentials: "same-origin",
        });
      } catch {
        throw { kind: "network" };
      }
      var data = null;
      try {
        data = await response.json();
      } catch {
        data = null;
      }
      if (response.ok && data) return data;
      var error = {
        kind: "error",
        status: response.status,
        message: data && typeof data.error === "string" ? data.error : "",
        retryAfter: Number(response.headers.get("Retry-After")) || 0,
      };
      if (response.status === 401 && data && data.signIn) {
        remember(null);
        error.kind = "signIn";
      }
      throw error;
    }

    function signedIn(data) {
      remember(data.token);
      return data.shopper || {};
    }

    function lineItem(item) {
      return {
        lineItemId: item.lineItemId || item.id || null,
        title: item.title || "",
        variantTitle: item.variantTitle || "",
        quantity: Number(item.quantity) || 0,
        // What can still be returned (shipped, not refunded); the ordered quantity without it.
        returnable: Number(item.returnableQuantity != null ? item.returnableQuantity : item.quantity) || 0,
        price: item.price || "",
      };
    }

    function order(data) {
      var summary = data.summary || {};
      return Object.assign({}, data, {
        actions: data.actions || {},
        summary: Object.assign({}, summary, { lineItems: (summary.lineItems || []).map(lineItem) }),
        tracking: data.tracking || null,
        issueOptions: data.issueOptions || [],
        requests: data.requests || [],
      });
    }

    return {
      async session() {
        var data;
        try {
          data = await call("session", {});
        } catch (error) {
          // A stale token: ask again as a stranger, to learn the sign-in channels.
          if (error.kind !== "signIn") throw error;
          data = await call("session", {});
        }
        if (data.token) remember(data.token);
        if (!data.signedIn) remember(null);
        return {
          signedIn: !!data.signedIn,
          shopper: data.shopper || {},
          channels: data.channels || { emailCode: true, smsCode: false, orderNumber: true },
        };
      },
      async signOut() {
        try {
          if (token) await call("session", { signOut: true });
        } finally {
          remember(null);
        }
      },
      async sendCode(channel, destination) {
        var data = await call("code", { channel: channel, destination: destination });
        return data.message || "";
      },
      async verify(channel, destination, code) {
        return signedIn(await call("verify", { channel: channel, destination: destination, code: code }));
      },
      async orderSignIn(email, orderNumber) {
        return signedIn(await call("order-sign-in", { email: email, orderNumber: orderNumber }));
      },
      async orders(cursor) {
        var data = await call("orders", cursor ? { cursor: cursor } : {});
        return { orders: data.orders || [], nextCursor: data.nextCursor || null };
      },
      async order(orderId) {
        return order((await call("order", { orderId: orderId })).order);
      },
      async request(orderId, kind, fields) {
        var data = await call("request", Object.assign({ orderId: orderId, kind: kind }, fields));
        return { request: data.request || {}, message: data.message || "" };
      },
    };
  }

  // ---------------------------------------------------------------------------------------------
  // DOM helpers.

  var nextId = 0;
  function uid(prefix) {
    nextId += 1;
    return "shopdesk-" + prefix + "-" + nextId;
  }

  /** h("button", { class: "x", onclick: fn, "aria-label": "…" }, child, [children], "text") */
  function h(tag, props) {
    var el = document.createElement(tag);
    for (var key in props || {}) {
      var value = props[key];
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") el.className = value;
      else if (key.slice(0, 2) === "on") el.addEventListener(key.slice(2), value);
      else el.setAttribute(key, value === true ? "" : String(value));
    }
    append(el, Array.prototype.slice.call(arguments, 2));
    return el;
  }

  function append(el, children) {
    for (var i = 0; i < children.length; i++) {
      var child = children[i];
      if (child === null || child === undefined || child === false || child === "") continue;
      if (Array.isArray(child)) append(el, child);
      else
        el.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(child) : child);
    }
  }

  function safeUrl(value) {
    return typeof value === "string" && /^https?:\/\//i.test(value) ? value : null;
  }

  // ---------------------------------------------------------------------------------------------
  // The portal in one container: the floating panel's body or the full-page block.

  function mount(options) {
    var texts = options.texts ? options.texts.dataset : {};
    var locale = options.locale || "en";
    var api = createApi(options.proxyUrl, locale);
    var status = options.status;
    var content = options.content;
    var timers = [];
    var state = { channels: null, shopper: null, method: null, destination: {}, orders: [], nextCursor: null };

    function t(key, vars) {
      var text = texts[key] || "";
      return vars
        ? text.replace(/\{(\w+)\}/g, function (match, name) {
            return name in vars ? String(vars[name]) : match;
          })
        : text;
    }

    var plural = window.Intl && Intl.PluralRules ? new Intl.PluralRules(locale) : null;
    function itemCount(count) {
      return t(plural && plural.select(count) === "one" ? "itemsOne" : "itemsOther", { count: count });
    }

    var dateFormat = null;
    try {
      dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
    } catch {
      dateFormat = null;
    }
    function formatTime(iso) {
      var date = new Date(iso);
      return dateFormat && !isNaN(date.getTime()) ? dateFormat.format(date) : String(iso || "");
    }

    var account = h("div", { class: "sdp-account", hidden: true });
    var view = h("div", { class: "sdp-view" });
    content.classList.add("shopdesk-portal-ui");
    content.replaceChildren(account, view);

    // --- messages -------------------------------------------------------------------------------

    /** The live region: read out by screen readers, shown above the view. */
    function announce(message, tone) {
      if (!status) return;
      status.setAttribute("data-tone", tone || "info");
      // Emptied first so the same message twice is announced twice.
      status.textContent = "";
      if (message) {
        window.setTimeout(function () {
          status.textContent = message;
        }, 30);
      }
    }

    function errorMessage(error) {
      if (error.kind === "network") return t("networkError");
      if (error.message) return error.message;
      if (error.status === 429 && error.retryAfter) return t("tooManyTries", { seconds: error.retryAfter });
      return t("error");
    }

    /** What every failed call does: back to sign-in on an expired session, else say what went wrong. */
    function fail(error) {
      if (error && error.kind === "signIn") {
        signedOut();
        showSignIn(true);
        announce(error.message || t("sessionExpired"), "error");
        return;
      }
      announce(errorMessage(error || {}), "error");
    }

    /** Runs a call for a button; the button stays focusable (a disabled button would drop focus). */
    async function busy(button, work) {
      if (button.getAttribute("aria-disabled") === "true") return;
      button.setAttribute("aria-disabled", "true");
      button.setAttribute("data-busy", "");
      try {
        await work();
      } catch (error) {
        fail(error);
      } finally {
        button.removeAttribute("aria-disabled");
        button.removeAttribute("data-busy");
      }
    }

    // --- navigation -----------------------------------------------------------------------------

    /** Shows a view; after a shopper's action, focus goes to its heading so it is read out. */
    function show(el, moveFocus) {
      while (timers.length) window.clearInterval(timers.pop());
      view.replaceChildren(el);
      if (moveFocus) {
        var heading = el.querySelector("h3");
        if (heading) {
          heading.setAttribute("tabindex", "-1");
          heading.focus();
        }
      }
    }

    function updateAccount() {
      var shopper = state.shopper;
      if (options.greeting) options.greeting.hidden = !!shopper;
      if (!shopper) {
        account.hidden = true;
        account.replaceChildren();
        return;
      }
      var name = shopper.firstName || shopper.email || shopper.phone || "";
      account.hidden = false;
      account.replaceChildren(
        h("p", { class: "sdp-account__name" }, name ? t("signedInAs", { name: name }) : ""),
        h(
          "button",
          {
            type: "button",
            class: "sdp-link",
            onclick: function (event) {
              busy(event.currentTarget, async function () {
                await api.signOut();
                signedOut();
                showSignIn(true);
                announce(t("signedOut"), "success");
              });
            },
          },
          t("signOut"),
        ),
      );
    }

    function signedOut() {
      state.shopper = null;
      state.orders = [];
      state.nextCursor = null;
      updateAccount();
    }

    function backButton(label, onclick) {
      return h(
        "button",
        { type: "button", class: "sdp-back", onclick: onclick },
        h("span", { "aria-hidden": "true" }, "←"),
        " ",
        label,
      );
    }

    // --- forms ----------------------------------------------------------------------------------

    /** A labelled control with its hint and error line, wired with aria-describedby. */
    function field(label, control, hint, optional) {
      var id = control.id || (control.id = uid("field"));
      var hintEl = hint ? h("p", { class: "sdp-hint", id: id + "-hint" }, hint) : null;
      var errorEl = h("p", { class: "sdp-error", id: id + "-error", hidden: true });
      control.setAttribute("aria-describedby", [hintEl ? hintEl.id : "", errorEl.id].join(" ").trim());
      var wrapper = h(
        "div",
        { class: "sdp-field" },
        h(
          "label",
          { for: id },
          label,
          optional ? h("span", { class: "sdp-optional" }, " (" + t("optional") + ")") : null,
        ),
        hintEl,
        control,
        errorEl,
      );
      wrapper.control = control;
      wrapper.setError = function (message) {
        errorEl.textContent = message || "";
        errorEl.hidden = !message;
        if (message) control.setAttribute("aria-invalid", "true");
        else control.removeAttribute("aria-invalid");
      };
      return wrapper;
    }

    function input(props) {
      return h("input", Object.assign({ class: "sdp-input", id: uid("input") }, props));
    }

    function primary(label, props) {
      return h("button", Object.assign({ type: "submit", class: "sdp-button" }, props || {}), label);
    }

    function secondary(label, onclick) {
      return h("button", { type: "button", class: "sdp-button sdp-button--secondary", onclick: onclick }, label);
    }

    /** Checks fields in order; shows each one's error and focuses the first wrong one. */
    function validate(checks) {
      var firstBad = null;
      for (var i = 0; i < checks.length; i++) {
        var message = checks[i][1]();
        checks[i][0].setError(message);
        if (message && !firstBad) firstBad = checks[i][0];
      }
      if (firstBad) {
        var control = firstBad.control;
        (control.focus ? control : firstBad.querySelector("input,select,textarea")).focus();
      }
      return !firstBad;
    }

    var EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
    var PHONE = /^\+?[\d\s().-]{6,24}$/;

    function form(onsubmit, children) {
      return h(
        "form",
        {
          class: "sdp-form",
          novalidate: true,
          onsubmit: function (event) {
            event.preventDefault();
            onsubmit(event.submitter || event.currentTarget.querySelector('[type="submit"]'));
          },
        },
        children,
      );
    }

    // --- sign-in --------------------------------------------------------------------------------

    function methods() {
      var channels = state.channels || {};
      var list = [];
      if (channels.emailCode) list.push("email");
      if (channels.smsCode) list.push("sms");
      if (channels.orderNumber) list.push("order");
      return list.length ? list : ["email"];
    }

    function showSignIn(moveFocus) {
      var available = methods();
      if (available.indexOf(state.method) === -1) state.method = available[0];
      var formArea = h("div", { class: "sdp-sign-in-form" });
      var chooser = null;
      if (available.length > 1) {
        var name = uid("method");
        chooser = h(
          "fieldset",
          { class: "sdp-choices" },
          h("legend", {}, t("methodLegend")),
          available.map(function (method) {
            var id = uid("method");
            return h(
              "div",
              { class: "sdp-choice" },
              h("input", {
                type: "radio",
                id: id,
                name: name,
                value: method,
                checked: method === state.method,
                onchange: function () {
                  state.method = method;
                  renderForm();
                },
              }),
              h(
                "label",
                { for: id },
                t(method === "email" ? "methodEmail" : method === "sms" ? "methodSms" : "methodOrder"),
              ),
            );
          }),
        );
      }

      function renderForm() {
        formArea.replaceChildren(state.method === "order" ? orderNumberForm() : codeRequestForm(state.method));
      }

      function codeRequestForm(channel) {
        var isSms = channel === "sms";
        var destination = field(
          t(isSms ? "phoneLabel" : "emailLabel"),
          input({
            type: isSms ? "tel" : "email",
            name: isSms ? "phone" : "email",
            autocomplete: isSms ? "tel" : "email",
            value: state.destination[channel] || "",
            required: true,
          }),
          isSms ? t("phoneHint") : null,
        );
        return form(
          function (button) {
            var value = destination.control.value.trim();
            var ok = validate([
              [
                destination,
                function () {
                  return (isSms ? PHONE : EMAIL).test(value) ? "" : t(isSms ? "phoneInvalid" : "emailInvalid");
                },
              ],
            ]);
            if (!ok) return;
            busy(button, async function () {
              var message = await api.sendCode(channel, value);
              state.destination[channel] = value;
              showCode(channel, value, message, true);
            });
          },
          [destination, primary(t("sendCode"))],
        );
      }

      function orderNumberForm() {
        var email = field(
          t("emailLabel"),
          input({
            type: "email",
            name: "email",
            autocomplete: "email",
            value: state.destination.email || "",
            required: true,
          }),
        );
        var number = field(
          t("orderNumberLabel"),
          input({ type: "text", name: "orderNumber", autocomplete: "off", required: true }),
          t("orderNumberHint"),
        );
        return form(
          function (button) {
            var emailValue = email.control.value.trim();
            var numberValue = number.control.value.trim();
            var ok = validate([
              [
                email,
                function () {
                  return EMAIL.test(emailValue) ? "" : t("emailInvalid");
                },
              ],
              [
                number,
                function () {
                  return numberValue ? "" : t("orderNumberInvalid");
                },
              ],
            ]);
            if (!ok) return;
            busy(button, async function () {
              state.destination.email = emailValue;
              try {
                state.shopper = await api.orderSignIn(emailValue, numberValue);
              } catch (error) {
                if (error.kind === "error" && (error.status === 401 || error.status === 429))
                  number.setError(errorMessage(error));
                throw error;
              }
              await showOrders(true);
            });
          },
          [email, number, primary(t("signIn"))],
        );
      }

      renderForm();
      show(
        h(
          "section",
          { class: "sdp-sign-in" },
          h("h3", {}, t("signInTitle")),
          available.indexOf("order") === -1 || available.length > 1
            ? h("p", { class: "sdp-muted" }, t("signInIntro"))
            : null,
          chooser,
          formArea,
        ),
        moveFocus,
      );
    }

    function showCode(channel, destination, serverMessage, moveFocus) {
      var code = field(
        t("codeLabel"),
        input({
          type: "text",
          name: "code",
          inputmode: "numeric",
          autocomplete: "one-time-code",
          maxlength: 6,
          pattern: "[0-9]{6}",
          class: "sdp-input sdp-input--code",
          required: true,
        }),
      );
      var waitLine = h("p", { class: "sdp-hint", "aria-live": "off" });
      var resend = h("button", { type: "button", class: "sdp-link" }, t("resend"));
      var remaining = 0;

      function tick() {
        remaining -= 1;
        if (remaining > 0) {
          resend.setAttribute("aria-disabled", "true");
          waitLine.textContent = t("resendWait", { seconds: remaining });
          waitLine.hidden = false;
        } else {
          resend.removeAttribute("aria-disabled");
          waitLine.hidden = true;
        }
      }
      function startWait() {
        remaining = RESEND_WAIT_SECONDS + 1;
        tick();
        timers.push(window.setInterval(tick, 1000));
      }

      resend.addEventListener("click", function () {
        if (remaining > 0) return;
        busy(resend, async function () {
          var message = await api.sendCode(channel, destination);
          announce(message || t("codeResent"), "success");
          startWait();
        });
      });

      var section = h(
        "section",
        { class: "sdp-code" },
        h("h3", {}, t("codeTitle")),
        h("p", {}, serverMessage || t("codeSentTo", { destination: destination })),
        form(
          function (button) {
            var value = code.control.value.replace(/\D/g, "");
            var ok = validate([
              [
                code,
                function () {
                  return value.length === 6 ? "" : t("codeInvalid");
                },
              ],
            ]);
            if (!ok) return;
            busy(button, async function () {
              try {
                state.shopper = await api.verify(channel, destination, value);
              } catch (error) {
                if (error.kind === "error" && (error.status === 401 || error.status === 429)) {
                  code.setError(errorMessage(error));
                  code.control.focus();
                }
                throw error;
              }
              await showOrders(true);
            });
          },
          [code, primary(t("verify"))],
        ),
        h("div", { class: "sdp-row" }, resend, waitLine),
        h(
          "button",
          {
            type: "button",
            class: "sdp-link",
            onclick: function () {
              showSignIn(true);
            },
          },
          t("changeDestination"),
        ),
      );
      show(section, moveFocus);
      startWait();
    }

    // --- orders ---------------------------------------------------------------------------------

    function pill(order) {
      return h("span", { class: "sdp-pill", "data-status": order.status || "" }, order.statusLabel || "");
    }

    function orderCard(order) {
      var items = Number(order.itemCount) || 0;
      var what = order.firstItemTitle
        ? items > 1
          ? t("andMore", { title: order.firstItemTitle, count: items - 1 })
          : order.firstItemTitle
        : itemCount(items);
      return h(
        "li",
        {},
        h(
          "button",
          {
            type: "button",
            class: "sdp-order-card",
            "data-order-id": order.id,
            onclick: function (event) {
              var button = event.currentTarget;
              busy(button, async function () {
                await openOrder(order.id);
              });
            },
          },
          h(
            "span",
            { class: "sdp-order-card__top" },
            h("span", { class: "sdp-order-card__name" }, order.name),
            pill(order),
          ),
          h("span", { class: "sdp-order-card__meta" }, [order.createdLabel, order.total].filter(Boolean).join(" · ")),
          h("span", { class: "sdp-order-card__items" }, what),
        ),
      );
    }

    async function showOrders(moveFocus) {
      var page = await api.orders(null);
      state.orders = page.orders;
      state.nextCursor = page.nextCursor;
      updateAccount();
      renderOrders(moveFocus);
    }

    function renderOrders(moveFocus) {
      var list = h("ul", { class: "sdp-orders" }, state.orders.map(orderCard));
      var more = null;
      if (state.nextCursor) {
        more = h(
          "button",
          {
            type: "button",
            class: "sdp-button sdp-button--secondary",
            onclick: function () {
              busy(more, async function () {
                var page = await api.orders(state.nextCursor);
                state.orders = state.orders.concat(page.orders);
                state.nextCursor = page.nextCursor;
                var first = null;
                page.orders.forEach(function (order) {
                  var card = orderCard(order);
                  first = first || card.querySelector("button");
                  list.appendChild(card);
                });
                if (!state.nextCursor) more.remove();
                if (first) first.focus();
              });
            },
          },
          t("loadMore"),
        );
      }
      show(
        h(
          "section",
          { class: "sdp-orders-view" },
          h("h3", {}, t("ordersTitle")),
          state.orders.length ? list : h("p", { class: "sdp-muted" }, t("noOrders")),
          more,
        ),
        moveFocus,
      );
    }

    async function openOrder(orderId) {
      state.order = await api.order(orderId);
      showOrder(true);
    }

    function showOrder(moveFocus) {
      var order = state.order;
      var actions = order.actions;
      var buttons = [];
      function action(label, view) {
        buttons.push(
          h(
            "li",
            {},
            h(
              "button",
              {
                type: "button",
                class: "sdp-action",
                onclick: function () {
                  view(true);
                },
              },
              label,
            ),
          ),
        );
      }
      if (actions.track) action(t("actionTrack"), showTrack);
      action(t("actionSummary"), showSummary);
      var ret = actions["return"];
      var loopUrl = ret && ret.kind === "loop" ? safeUrl(ret.url) : null;
      if (loopUrl) {
        buttons.push(
          h(
            "li",
            {},
            h(
              "a",
              { class: "sdp-action", href: loopUrl, target: "_blank", rel: "noopener noreferrer" },
              t("returnLoop"),
              h("span", { class: "sdp-visually-hidden" }, " (" + t("newTab") + ")"),
              h("span", { "aria-hidden": "true" }, " ↗"),
            ),
          ),
        );
      } else if (
        ret &&
        ret.kind === "request" &&
        order.summary.lineItems.some(function (item) {
          return item.returnable > 0;
        })
      ) {
        action(t("actionReturn"), showReturn);
      }
      if (actions.cancel) action(t("actionCancel"), showCancel);
      if (actions.reportIssue && order.issueOptions.length) action(t("actionIssue"), showIssue);

      var requests = order.requests.length
        ? h(
            "div",
            { class: "sdp-requests" },
            h("h4", {}, t("requestsTitle")),
            h(
              "ul",
              {},
              order.requests.map(function (request) {
                var kind = { return: "requestReturn", cancel: "requestCancel", issue: "requestIssue" }[request.kind];
                return h(
                  "li",
                  {},
                  h("span", { class: "sdp-requests__kind" }, kind ? t(kind) : request.kind),
                  h(
                    "span",
                    { class: "sdp-pill", "data-status": "request-" + (request.status || "") },
                    request.statusLabel,
                  ),
                  h("span", { class: "sdp-muted" }, request.createdLabel || ""),
                );
              }),
            ),
          )
        : null;

      show(
        h(
          "section",
          { class: "sdp-order" },
          backButton(t("backToOrders"), function () {
            renderOrders(true);
          }),
          h("h3", {}, t("orderTitle", { name: order.name })),
          h(
            "p",
            { class: "sdp-order__meta" },
            pill(order),
            " ",
            [order.createdLabel, order.total].filter(Boolean).join(" · "),
          ),
          h("ul", { class: "sdp-actions", "aria-label": t("orderActions") }, buttons),
          requests,
        ),
        moveFocus,
      );
    }

    function subView(className, title, children, moveFocus) {
      show(
        h(
          "section",
          { class: className },
          backButton(t("backToOrder", { name: state.order.name }), function () {
            showOrder(true);
          }),
          h("h3", {}, title),
          children,
        ),
        moveFocus,
      );
    }

    function showTrack(moveFocus) {
      var tracking = state.order.tracking || { timeline: [], pending: true };
      var url = safeUrl(tracking.url);
      var timeline = (tracking.timeline || []).slice().sort(function (a, b) {
        return String(b.at).localeCompare(String(a.at));
      });
      var facts = [];
      if (tracking.carrier) facts.push(h("dt", {}, t("carrier")), h("dd", {}, tracking.carrier));
      if (tracking.number) facts.push(h("dt", {}, t("trackingNumber")), h("dd", {}, tracking.number));
      subView(
        "sdp-track",
        t("trackTitle"),
        [
          facts.length ? h("dl", { class: "sdp-facts" }, facts) : null,
          url
            ? h(
                "a",
                { class: "sdp-button sdp-button--secondary", href: url, target: "_blank", rel: "noopener noreferrer" },
                t("trackingLink"),
                h("span", { class: "sdp-visually-hidden" }, " (" + t("newTab") + ")"),
                h("span", { "aria-hidden": "true" }, " ↗"),
              )
            : null,
          // The API's notice says why updates are missing (Shopify slow or failing), in the shopper's words.
          tracking.notice || tracking.pending || !timeline.length
            ? h("p", { class: "sdp-note" }, tracking.notice || t("trackingPending"))
            : null,
          timeline.length
            ? [
                h("h4", {}, t("timelineTitle")),
                h(
                  "ol",
                  { class: "sdp-timeline" },
                  timeline.map(function (event) {
                    return h(
                      "li",
                      {},
                      h("span", { class: "sdp-timeline__label" }, event.label),
                      h("time", { datetime: event.at, class: "sdp-muted" }, formatTime(event.at)),
                      event.detail ? h("span", { class: "sdp-timeline__detail" }, event.detail) : null,
                    );
                  }),
                ),
              ]
            : null,
        ],
        moveFocus,
      );
    }

    function addressLines(address) {
      if (!address) return [];
      if (typeof address === "string") return address.split("\n");
      if (Array.isArray(address)) return address.map(String);
      var a = address;
      return [
        a.name || [a.firstName, a.lastName].filter(Boolean).join(" "),
        a.company,
        a.address1,
        a.address2,
        [a.zip, a.city].filter(Boolean).join(" "),
        [a.province, a.country].filter(Boolean).join(", "),
      ].filter(Boolean);
    }

    function showSummary(moveFocus) {
      var s = state.order.summary;
      function amount(label, value, strong) {
        return value ? [h("dt", {}, label), h("dd", { class: strong ? "sdp-strong" : null }, value)] : null;
      }
      function address(label, value) {
        var lines = addressLines(value);
        return lines.length
          ? h(
              "div",
              { class: "sdp-address" },
              h("h4", {}, label),
              h(
                "p",
                {},
                lines.map(function (line, i) {
                  return i ? [h("br"), line] : line;
                }),
              ),
            )
          : null;
      }
      var payment = [s.paymentMethod, s.financialStatusLabel].filter(Boolean).join(" · ");
      subView(
        "sdp-summary",
        t("summaryTitle"),
        [
          h(
            "ul",
            { class: "sdp-items" },
            s.lineItems.map(function (item) {
              return h(
                "li",
                {},
                h(
                  "span",
                  {},
                  h("span", { class: "sdp-strong" }, item.title),
                  item.variantTitle ? h("span", { class: "sdp-muted" }, item.variantTitle) : null,
                  h("span", { class: "sdp-muted" }, t("quantity", { quantity: item.quantity })),
                ),
                // A unit price: "2 × 39,95 €" when there are several, so it never reads as the line's total.
                h("span", {}, item.price && item.quantity > 1 ? item.quantity + " × " + item.price : item.price),
              );
            }),
          ),
          h(
            "dl",
            { class: "sdp-totals" },
            amount(t("subtotal"), s.subtotal),
            amount(t("shipping"), s.shipping),
            // Included tax is part of the subtotal already: named so, not read as added on top.
            amount(t(s.taxIncluded ? "taxIncluded" : "tax"), s.tax),
            amount(t("total"), s.total || state.order.total, true),
          ),
          address(t("shippingAddress"), s.shippingAddress),
          address(t("billingAddress"), s.billingAddress),
          payment ? h("div", { class: "sdp-address" }, h("h4", {}, t("payment")), h("p", {}, payment)) : null,
        ],
        moveFocus,
      );
    }

    function messageField() {
      return field(
        t("messageLabel"),
        h("textarea", { class: "sdp-input", id: uid("message"), rows: 3, maxlength: 2000 }),
        null,
        true,
      );
    }

    async function submitRequest(kind, fields) {
      var result = await api.request(state.order.id, kind, fields);
      showDone(result, kind);
    }

    function showReturn(moveFocus) {
      var items = state.order.summary.lineItems.filter(function (item) {
        return item.returnable > 0;
      });
      var rows = items.map(function (item) {
        var id = uid("qty");
        var options = [];
        for (var n = 0; n <= item.returnable; n++) options.push(h("option", { value: n }, String(n)));
        var select = h("select", { class: "sdp-input sdp-input--qty", id: id }, options);
        var row = h(
          "li",
          { class: "sdp-return-item" },
          h(
            "label",
            { for: id },
            h("span", { class: "sdp-strong" }, item.title),
            item.variantTitle ? h("span", { class: "sdp-muted" }, item.variantTitle) : null,
            h("span", { class: "sdp-visually-hidden" }, t("returnQuantity", { title: item.title })),
          ),
          select,
        );
        row.item = item;
        row.select = select;
        return row;
      });
      var itemsGroup = h(
        "fieldset",
        { class: "sdp-return-items" },
        h("legend", {}, t("returnIntro")),
        h("ul", {}, rows),
        h("p", { class: "sdp-error", id: uid("items-error"), hidden: true }),
      );
      var itemsError = itemsGroup.querySelector(".sdp-error");
      var itemsField = {
        control: rows[0] ? rows[0].select : itemsGroup,
        setError: function (message) {
          itemsError.textContent = message || "";
          itemsError.hidden = !message;
          rows.forEach(function (row) {
            if (message) row.select.setAttribute("aria-describedby", itemsError.id);
            else row.select.removeAttribute("aria-describedby");
          });
        },
      };
      var reason = field(
        t("reasonLabel"),
        h(
          "select",
          { class: "sdp-input", id: uid("reason"), required: true },
          h("option", { value: "" }, t("reasonChoose")),
          RETURN_REASONS.map(function (key) {
            return h(
              "option",
              { value: key },
              t(
                "reason" +
                  key.toLowerCase().replace(/(^|_)(\w)/g, function (_, __, c) {
                    return c.toUpperCase();
                  }),
              ),
            );
          }),
        ),
      );
      var message = messageField();
      subView(
        "sdp-return",
        t("returnTitle"),
        form(
          function (button) {
            var chosen = rows
              .filter(function (row) {
                return Number(row.select.value) > 0;
              })
              .map(function (row) {
                return { lineItemId: row.item.lineItemId, quantity: Number(row.select.value) };
              });
            var ok = validate([
              [
                itemsField,
                function () {
                  return chosen.length ? "" : t("returnNone");
                },
              ],
              [
                reason,
                function () {
                  return reason.control.value ? "" : t("reasonRequired");
                },
              ],
            ]);
            if (!ok) return;
            busy(button, function () {
              return submitRequest("return", {
                items: chosen,
                reason: reason.control.value,
                message: message.control.value.trim() || undefined,
              });
            });
          },
          [itemsGroup, reason, message, primary(t("returnSubmit"))],
        ),
        moveFocus,
      );
    }

    function showCancel(moveFocus) {
      var message = messageField();
      subView(
        "sdp-cancel",
        t("cancelTitle"),
        [
          h("p", {}, t("cancelIntro", { name: state.order.name })),
          form(
            function (button) {
              busy(button, function () {
                return submitRequest("cancel", { message: message.control.value.trim() || undefined });
              });
            },
            [
              message,
              h(
                "div",
                { class: "sdp-row" },
                primary(t("cancelConfirm")),
                secondary(t("cancelKeep"), function () {
                  showOrder(true);
                }),
              ),
            ],
          ),
        ],
        moveFocus,
      );
    }

    function showIssue(moveFocus) {
      var name = uid("issue");
      var radios = state.order.issueOptions.map(function (option) {
        var id = uid("issue");
        return h(
          "div",
          { class: "sdp-choice" },
          h("input", { type: "radio", id: id, name: name, value: option.key }),
          h("label", { for: id }, option.label),
        );
      });
      var errorEl = h("p", { class: "sdp-error", id: uid("issue-error"), hidden: true });
      var group = h(
        "fieldset",
        { class: "sdp-choices", "aria-describedby": errorEl.id },
        h("legend", {}, t("issueLegend")),
        radios,
        errorEl,
      );
      var groupField = {
        control: group.querySelector("input"),
        setError: function (text) {
          errorEl.textContent = text || "";
          errorEl.hidden = !text;
        },
      };
      var message = messageField();
      subView(
        "sdp-issue",
        t("issueTitle"),
        form(
          function (button) {
            var checked = group.querySelector("input:checked");
            var ok = validate([
              [
                groupField,
                function () {
                  return checked ? "" : t("issueRequired");
                },
              ],
            ]);
            if (!ok) return;
            busy(button, function () {
              return submitRequest("issue", {
                issue: checked.value,
                message: message.control.value.trim() || undefined,
              });
            });
          },
          [group, message, primary(t("issueSubmit"))],
        ),
        moveFocus,
      );
    }

    function showDone(result, kind) {
      var request = result.request;
      var back = h("button", { type: "button", class: "sdp-button" }, t("backToOrder", { name: state.order.name }));
      back.addEventListener("click", function () {
        busy(back, async function () {
          await openOrder(state.order.id);
        });
      });
      show(
        h(
          "section",
          { class: "sdp-done", "data-request-kind": kind },
          h("h3", {}, t("doneTitle")),
          result.message ? h("p", {}, result.message) : null,
          request.statusLabel
            ? h("p", { class: "sdp-muted" }, t("requestStatus", { status: request.statusLabel }))
            : null,
          back,
        ),
        true,
      );
    }

    // --- start ----------------------------------------------------------------------------------

    async function start() {
      view.replaceChildren(h("p", { class: "sdp-muted" }, t("loading")));
      try {
        var session = await api.session();
        state.channels = session.channels;
        if (session.signedIn) {
          state.shopper = session.shopper;
          await showOrders(false);
        } else {
          showSignIn(false);
        }
      } catch (error) {
        if (error && error.kind === "signIn") return fail(error);
        view.replaceChildren(
          h("p", { class: "sdp-error" }, errorMessage(error || {})),
          h(
            "button",
            {
              type: "button",
              class: "sdp-button sdp-button--secondary",
              onclick: function () {
                start();
              },
            },
            t("retry"),
          ),
        );
      }
    }

    start();
  }

  window.ShopdeskPortalApp = { mount: mount };
})();
