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
      // Live chat, quick answers, business hours (decision 026). The chat token goes along where
      // the contract takes it, so a quick answer and a later chat count as one visitor's.
      async availability() {
        var data = await call("availability", withChatToken({}));
        return {
          online: data.online !== false,
          nextOpenAt: data.nextOpenAt || null,
          timezone: data.timezone || null,
          message: data.message || "",
        };
      },
      async quickAnswers() {
        var data = await call("quick-answers", withChatToken({}));
        return Array.isArray(data.quickAnswers) ? data.quickAnswers : [];
      },
      quickAnswerUsed(quickAnswerId, path) {
        return call("quick-answers", withChatToken({ used: { quickAnswerId: quickAnswerId, path: path } }));
      },
      async contact(fields) {
        return call("contact", withChatToken(fields));
      },
      async chatToken(previous) {
        var body = previous ? { chatToken: previous } : {};
        try {
          return await call("chat-token", body);
        } catch (error) {
          // A portal session that ended: the chat goes on as the visitor the chat token names.
          if (error.kind !== "signIn") throw error;
          return call("chat-token", body);
        }
      },
    };
  }

  // ---------------------------------------------------------------------------------------------
  // The chat widget token and where the live endpoints are, kept in localStorage so the visitor is
  // the same in every tab and after a reload (portal.js reads it too, for the presence heartbeat).

  var CHAT_KEY = "shopdesk-chat";

  function storedChat() {
    try {
      var value = JSON.parse(window.localStorage.getItem(CHAT_KEY) || "null");
      return value && typeof value.chatToken === "string" ? value : null;
    } catch {
      return null;
    }
  }

  function storeChat(patch) {
    try {
      if (patch === null) window.localStorage.removeItem(CHAT_KEY);
      else window.localStorage.setItem(CHAT_KEY, JSON.stringify(Object.assign({}, storedChat(), patch)));
    } catch {
      // Storage blocked: the chat lasts as long as the page.
    }
  }

  function withChatToken(body) {
    var stored = storedChat();
    if (stored) body.chatToken = stored.chatToken;
    return body;
  }

  /** Entry seqs are bigint strings: compared by length, then digit by digit. */
  function seqAfter(a, b) {
    a = String(a || "0");
    b = String(b || "0");
    return a.length !== b.length ? a.length > b.length : a > b;
  }

  /**
   * The live chat on the app's origin (liveUrl + /chat/*): calls with the widget token, the
   * event stream (resumed after the last seq shown, polling /chat/state every 5 s after three
   * failed connects) and a visitor token renewed through the App Proxy when it expires.
   * `on` receives message(m), chat(chat or null) and connection("live" | "polling" | "down").
   */
  function createChat(api, on) {
    var session = null;
    var source = null;
    var failures = 0;
    var pollTimer = null;
    var retryTimer = null;
    var polls = 0;
    var running = false;
    var lastSeq = "0";
    var seen = {};

    async function ensureSession(renew) {
      var expires = session ? Date.parse(session.expiresAt) : 0;
      if (session && !renew && !(expires && expires - Date.now() < 60000)) return session;
      var previous = storedChat();
      var data = await api.chatToken(previous ? previous.chatToken : null);
      session = {
        chatToken: data.chatToken,
        liveUrl: String(data.liveUrl || "").replace(/\/+$/, ""),
        visitor: data.visitor || {},
        expiresAt: data.expiresAt || null,
      };
      storeChat({ chatToken: session.chatToken, liveUrl: session.liveUrl });
      return session;
    }

    /** One call to liveUrl + path; a 401 renews the token once. JSON in, JSON (or null) out. */
    async function live(method, path, body) {
      for (var attempt = 0; ; attempt++) {
        var s = await ensureSession(attempt > 0);
        var headers = { Authorization: "Bearer " + s.chatToken, Accept: "application/json" };
        var isForm = typeof FormData !== "undefined" && body instanceof FormData;
        if (body && !isForm) headers["Content-Type"] = "application/json";
        var response;
        try {
          response = await fetch(s.liveUrl + path, {
            method: method,
            headers: headers,
            body: body ? (isForm ? body : JSON.stringify(body)) : undefined,
            mode: "cors",
            credentials: "omit",
          });
        } catch {
          throw { kind: "network" };
        }
        if (response.status === 401 && attempt === 0) continue;
        var data = null;
        if (response.status !== 204) {
          try {
            data = await response.json();
          } catch {
            data = null;
          }
        }
        if (response.ok) return data;
        throw {
          kind: "error",
          status: response.status,
          message: data && typeof data.error === "string" ? data.error : "",
          retryAfter: Number(response.headers.get("Retry-After")) || 0,
        };
      }
    }

    /** A message once: the stream, a poll and a send's answer may all carry the same seq. */
    function receive(message, complete) {
      if (!message || message.seq == null) return;
      var seq = String(message.seq);
      // `complete`: a send's own answer, read after everything of it was stored, so it may fill in
      // what an earlier copy lacked (an image stored a moment after its message).
      if (seen[seq] && !complete) return;
      seen[seq] = true;
      if (seqAfter(seq, lastSeq)) lastSeq = seq;
      on.message(message);
    }

    function connect() {
      window.clearTimeout(retryTimer);
      if (!running || !session || typeof window.EventSource !== "function") return startPolling();
      var url =
        session.liveUrl +
        "/chat/stream?token=" +
        encodeURIComponent(session.chatToken) +
        (lastSeq !== "0" ? "&after=" + encodeURIComponent(lastSeq) : "");
      var es = new window.EventSource(url);
      source = es;
      es.addEventListener("ready", function () {
        failures = 0;
        stopPolling();
        on.connection("live");
      });
      es.addEventListener("message", function (event) {
        try {
          receive(JSON.parse(event.data));
        } catch {
          // A malformed event is skipped; the next poll or reconnect fills any gap.
        }
      });
      es.addEventListener("chat", function (event) {
        try {
          on.chat(JSON.parse(event.data));
        } catch {
          // As above.
        }
      });
      es.onerror = function () {
        if (source !== es) return;
        failures += 1;
        // The browser reconnects by itself (with Last-Event-ID) unless the answer was an error
        // (an expired token: renewed below); three failures in a row and polling takes over.
        if (failures >= 3 || es.readyState === 2) {
          es.close();
          source = null;
          if (failures >= 3) return startPolling();
          on.connection("down");
          retryTimer = window.setTimeout(function () {
            ensureSession(true).then(connect, function () {
              failures += 1;
              startPolling();
            });
          }, 1000);
        } else {
          on.connection("down");
        }
      };
    }

    async function poll() {
      polls += 1;
      try {
        var data = await live("GET", "/chat/state" + (lastSeq !== "0" ? "?after=" + encodeURIComponent(lastSeq) : ""));
        on.chat(data.chat || null);
        (data.messages || []).forEach(receive);
        on.connection("polling");
      } catch {
        on.connection("down");
      }
      // Once a minute the stream is tried again; one failure and polling goes on.
      if (running && polls % 12 === 0 && !source) {
        failures = 2;
        connect();
      }
    }

    function startPolling() {
      if (!running || pollTimer) return;
      polls = 0;
      pollTimer = window.setInterval(poll, 5000);
      poll();
    }

    function stopPolling() {
      if (pollTimer) window.clearInterval(pollTimer);
      pollTimer = null;
    }

    return {
      live: live,
      receive: receive,
      session: function () {
        return session;
      },
      ensureSession: ensureSession,
      /** The whole chat now, then live: the caller renders the state's messages through `on`. */
      async start() {
        await ensureSession(false);
        var data = await live("GET", "/chat/state");
        on.chat(data.chat || null);
        (data.messages || []).forEach(receive);
        if (!running) {
          running = true;
          failures = 0;
          connect();
        }
        return data;
      },
      /** A new stream after what was shown: for a chat that began (or moved) after it connected. */
      reconnect() {
        if (!running || !source) return;
        var es = source;
        source = null;
        es.close();
        failures = 0;
        connect();
      },
      /** Forgets what was shown (a reverted chat): the next chat's messages come fresh. */
      reset() {
        seen = {};
      },
      /** Drops the connection as a network would (tests and debugging); it comes back by itself. */
      drop() {
        var es = source;
        if (!es) return;
        es.close();
        es.onerror();
      },
      attachmentUrl(url) {
        if (!url || !session) return null;
        var absolute = /^https?:\/\//i.test(url) ? url : session.liveUrl + (url.charAt(0) === "/" ? "" : "/") + url;
        if (/[?&]token=/.test(absolute)) return absolute;
        return absolute + (absolute.indexOf("?") === -1 ? "?" : "&") + "token=" + encodeURIComponent(session.chatToken);
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
    var current = "home"; // the view on screen: "home", "chat" or "other"

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
      current = el.classList.contains("sdp-home") ? "home" : "other";
      // The greeting belongs to the home view; every other view starts with its own heading.
      if (options.greeting) options.greeting.hidden = current !== "home";
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
          homeBack(),
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
          homeBack(),
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

    // --- home -----------------------------------------------------------------------------------

    var IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];
    var MAX_IMAGE_BYTES = 5 * 1024 * 1024;
    var home = { availability: null, quickAnswers: null, sessionLoaded: false };

    function homeBack() {
      return backButton(t("back"), function () {
        showHome(true);
      });
    }

    /** "tomorrow at 09:00"-like words for the next opening, in the shopper's language and zone. */
    function formatOpening(iso) {
      var date = new Date(iso);
      if (isNaN(date.getTime())) return "";
      try {
        var sameDay = new Date().toDateString() === date.toDateString();
        return new Intl.DateTimeFormat(
          locale,
          sameDay ? { hour: "numeric", minute: "2-digit" } : { weekday: "long", hour: "numeric", minute: "2-digit" },
        ).format(date);
      } catch {
        return formatTime(iso);
      }
    }

    function choice(label, hint, onclick, props) {
      return h(
        "li",
        {},
        h(
          "button",
          Object.assign({ type: "button", class: "sdp-choice-card", onclick: onclick }, props || {}),
          h("span", { class: "sdp-choice-card__label" }, label),
          hint ? h("span", { class: "sdp-choice-card__hint" }, hint) : null,
          h("span", { class: "sdp-choice-card__arrow", "aria-hidden": "true" }, "›"),
        ),
      );
    }

    function showHome(moveFocus) {
      rememberView("home");
      var availability = home.availability;
      var offline = availability && !availability.online && !(chatState.chat && chatState.chat.ticketId);
      var talk;
      if (offline) {
        var when = availability.nextOpenAt ? formatOpening(availability.nextOpenAt) : "";
        talk = h(
          "li",
          {},
          h(
            "div",
            { class: "sdp-offline", "data-offline": "" },
            h("p", { class: "sdp-strong" }, t("offlineTitle")),
            h("p", {}, availability.message || (when ? t("offlineBack", { when: when }) : t("offlineIntro"))),
            h(
              "button",
              {
                type: "button",
                class: "sdp-button sdp-button--secondary",
                onclick: function () {
                  showContact(true);
                },
              },
              t("offlineContact"),
            ),
          ),
        );
      } else {
        var ongoing = chatState.chat && chatState.chat.ticketId;
        talk = choice(ongoing ? t("homeChatContinue") : t("homeChat"), t("homeChatHint"), function () {
          showChat(true);
        });
      }
      show(
        h(
          "section",
          { class: "sdp-home" },
          h("h3", { class: "sdp-visually-hidden" }, t("homeTitle")),
          h(
            "ul",
            { class: "sdp-choice-cards" },
            choice(t("homeTrack"), t("homeTrackHint"), function (event) {
              busy(event.currentTarget, function () {
                return openTracking();
              });
            }),
            home.quickAnswers && home.quickAnswers.length === 0
              ? null
              : choice(t("homeAnswers"), t("homeAnswersHint"), function (event) {
                  busy(event.currentTarget, function () {
                    return showQuickAnswers(true);
                  });
                }),
            talk,
          ),
        ),
        moveFocus,
      );
      if (moveFocus) {
        var first = view.querySelector("button");
        if (first) first.focus();
      }
    }

    async function openTracking() {
      if (!home.sessionLoaded) await loadSession();
      if (state.shopper) await showOrders(true);
      else showSignIn(true);
    }

    async function loadSession() {
      var session = await api.session();
      home.sessionLoaded = true;
      state.channels = session.channels;
      state.shopper = session.signedIn ? session.shopper : null;
      updateAccount();
    }

    // --- quick answers --------------------------------------------------------------------------

    /** A flow's node in the shopper's language: question, answer, links, follow-ups. */
    function answerNode(node) {
      node = node || {};
      return {
        question: String(node.question || node.title || ""),
        answer: String(node.answer || node.body || ""),
        links: (node.links || []).filter(function (link) {
          return link && (safeUrl(link.url) || /^\/(?!\/)/.test(String(link.url || "")));
        }),
        followUps: node.followUps || node.children || [],
      };
    }

    async function showQuickAnswers(moveFocus) {
      if (!home.quickAnswers) home.quickAnswers = await api.quickAnswers();
      var flows = home.quickAnswers;
      show(
        h(
          "section",
          { class: "sdp-answers" },
          homeBack(),
          h("h3", {}, t("answersTitle")),
          flows.length
            ? h(
                "ul",
                { class: "sdp-choice-cards" },
                flows.map(function (flow) {
                  return choice(answerNode(flow).question, null, function () {
                    showAnswer(flow, [], true);
                  });
                }),
              )
            : h("p", { class: "sdp-muted" }, t("answersEmpty")),
        ),
        moveFocus,
      );
    }

    /** One answer of a flow; `path` is the follow-ups taken ([] for the flow's own answer). */
    function showAnswer(flow, path, moveFocus) {
      var node = answerNode(flow);
      for (var i = 0; i < path.length; i++) node = answerNode(node.followUps[path[i]]);
      // Recorded for the merchant's deflection figures; the shopper never waits on it.
      api.quickAnswerUsed(flow.id, path.join(".")).catch(function () {});
      var back = path.length
        ? backButton(t("back"), function () {
            showAnswer(flow, path.slice(0, -1), true);
          })
        : backButton(t("backToAnswers"), function () {
            showQuickAnswers(true);
          });
      show(
        h(
          "section",
          { class: "sdp-answer", "data-quick-answer": flow.id, "data-path": path.join(".") },
          back,
          h("h3", {}, node.question),
          h(
            "div",
            { class: "sdp-answer__body" },
            node.answer.split(/\n{2,}/).map(function (paragraph) {
              return h(
                "p",
                {},
                paragraph.split("\n").map(function (line, index) {
                  return index ? [h("br"), line] : line;
                }),
              );
            }),
          ),
          node.links.length
            ? h(
                "ul",
                { class: "sdp-answer__links" },
                node.links.map(function (link) {
                  var external = !!safeUrl(link.url);
                  return h(
                    "li",
                    {},
                    h(
                      "a",
                      external ? { href: link.url, target: "_blank", rel: "noopener noreferrer" } : { href: link.url },
                      String(link.label || link.title || link.url),
                      external ? h("span", { class: "sdp-visually-hidden" }, " (" + t("newTab") + ")") : null,
                      external ? h("span", { "aria-hidden": "true" }, " ↗") : null,
                    ),
                  );
                }),
              )
            : null,
          node.followUps.length
            ? [
                h("h4", {}, t("answersMore")),
                h(
                  "ul",
                  { class: "sdp-choice-cards" },
                  node.followUps.map(function (followUp, index) {
                    return choice(answerNode(followUp).question, null, function () {
                      showAnswer(flow, path.concat(index), true);
                    });
                  }),
                ),
              ]
            : null,
          h(
            "div",
            { class: "sdp-answer__more" },
            h("p", { class: "sdp-muted" }, t("answersStillNeed")),
            secondary(
              home.availability && !home.availability.online ? t("offlineContact") : t("homeChat"),
              function () {
                if (home.availability && !home.availability.online) showContact(true);
                else showChat(true);
              },
            ),
          ),
        ),
        moveFocus,
      );
    }

    // --- offline contact form -------------------------------------------------------------------

    function showContact(moveFocus) {
      var shopper = state.shopper || {};
      var email = field(
        t("emailLabel"),
        input({ type: "email", name: "email", autocomplete: "email", value: shopper.email || "", required: true }),
      );
      var name = field(
        t("nameLabel"),
        input({ type: "text", name: "name", autocomplete: "name", value: shopper.firstName || "" }),
        null,
        true,
      );
      var message = field(
        t("messageLabel"),
        h("textarea", { class: "sdp-input", id: uid("message"), rows: 4, maxlength: 5000, required: true }),
      );
      var orderNumber = field(
        t("orderNumberLabel"),
        input({ type: "text", name: "orderNumber", autocomplete: "off" }),
        null,
        true,
      );
      var availability = home.availability || {};
      var when = availability.nextOpenAt ? formatOpening(availability.nextOpenAt) : "";
      show(
        h(
          "section",
          { class: "sdp-contact" },
          homeBack(),
          h("h3", {}, t("contactTitle")),
          h(
            "p",
            { class: "sdp-muted" },
            when ? t("offlineBack", { when: when }) + " " + t("offlineIntro") : t("offlineIntro"),
          ),
          form(
            function (button) {
              var emailValue = email.control.value.trim();
              var messageValue = message.control.value.trim();
              var ok = validate([
                [
                  email,
                  function () {
                    return EMAIL.test(emailValue) ? "" : t("emailInvalid");
                  },
                ],
                [
                  message,
                  function () {
                    return messageValue ? "" : t("messageRequired");
                  },
                ],
              ]);
              if (!ok) return;
              busy(button, async function () {
                var result = await api.contact({
                  email: emailValue,
                  name: name.control.value.trim() || undefined,
                  message: messageValue,
                  orderNumber: orderNumber.control.value.trim() || undefined,
                });
                showContactSent(emailValue, result && result.message);
              });
            },
            [email, name, message, orderNumber, primary(t("contactSubmit"))],
          ),
        ),
        moveFocus,
      );
    }

    function showContactSent(email, serverMessage) {
      show(
        h(
          "section",
          { class: "sdp-done", "data-contact-sent": "" },
          h("h3", {}, t("contactDoneTitle")),
          h("p", {}, serverMessage || t("contactDone", { email: email })),
          h(
            "button",
            {
              type: "button",
              class: "sdp-button",
              onclick: function () {
                showHome(true);
              },
            },
            t("backHome"),
          ),
        ),
        true,
      );
    }

    // --- live chat ------------------------------------------------------------------------------

    var chatState = { chat: null, ticketId: null, starting: null, online: true, connection: "live" };
    var chatView = null; // the chat's DOM, kept between visits so nothing is rebuilt or lost
    var typingSentAt = 0;
    var readSent = "0";
    var presenceAt = 0;
    var chat = createChat(api, {
      message: function (message) {
        chatUi().add(message);
      },
      chat: function (next) {
        chatChanged(next);
      },
      connection: function (kind) {
        chatState.connection = kind;
        if (chatView) chatView.setConnection(kind);
      },
    });
    // For tests and support: the live connection of this widget (drop() acts as a lost network).
    content.shopdeskChat = chat;

    function rememberTicket(ticketId) {
      chatState.ticketId = ticketId || null;
      storeChat({ ticketId: chatState.ticketId });
    }

    function chatChanged(next) {
      var had = chatState.ticketId;
      // A chat that reverted (24 hours after an unanswered agent message) comes as null, or from the
      // stream once as the old chat marked `reverted`.
      if (next && next.reverted) next = null;
      chatState.chat = next;
      if (!next || !next.ticketId) {
        if (had) {
          // The 24-hour revert: the shop's last word stood unanswered; the next message is a new chat.
          rememberTicket(null);
          chat.reset();
          if (chatView) chatView.clear();
          if (current === "chat") showHome(true);
          if (current === "home") announce(t("chatEnded"));
        }
        if (chatView) chatView.update();
        if (had && current === "home") showHome(false);
        return;
      }
      // A chat that began after the stream connected, or another ticket (the agent set another
      // customer): the thread simply goes on there, on a stream that starts with it.
      if (next.ticketId !== had) {
        rememberTicket(next.ticketId);
        chat.reconnect();
      }
      if (chatView) chatView.update();
    }

    function chatError(error) {
      if (error && error.status === 413) return t("attachmentTooLarge");
      if (error && error.status === 415) return t("attachmentWrongType");
      if (error && error.status === 429) return t("chatTooFast", { seconds: error.retryAfter || 60 });
      return errorMessage(error || {});
    }

    function newClientId() {
      var random = window.crypto && window.crypto.randomUUID ? window.crypto.randomUUID() : null;
      return random || "c" + Date.now().toString(36) + Math.random().toString(36).slice(2);
    }

    function isVisible(el) {
      return document.visibilityState === "visible" && !!el && el.getClientRects().length > 0;
    }

    function sendPresence() {
      if (!storedChat() || Date.now() - presenceAt < 30000) return;
      presenceAt = Date.now();
      chat.live("POST", "/chat/presence", { page: window.location.href, title: document.title }).catch(function () {});
    }

    /** The thread, composer and indicators, built once and kept (the back arrow leaves them as they are). */
    function chatUi() {
      if (chatView) return chatView;
      var threadId = uid("thread");
      var thread = h("ol", { class: "sdp-thread", id: threadId, role: "log", "aria-label": t("chatTitle") });
      var intro = h("p", { class: "sdp-chat__intro" }, t("chatIntro"));
      var typing = h("p", { class: "sdp-typing", "aria-live": "polite" });
      var connectionLine = h("p", { class: "sdp-hint sdp-chat__connection", hidden: true });
      var seen = h("p", { class: "sdp-seen" }, t("chatSeen"));
      var email = field(
        t("emailLabel"),
        input({ type: "email", name: "email", autocomplete: "email", required: true }),
        t("chatEmailHint"),
      );
      var text = h("textarea", {
        class: "sdp-input sdp-composer__input",
        id: uid("chat-message"),
        rows: 2,
        maxlength: 5000,
        "aria-label": t("chatMessageLabel"),
        placeholder: t("chatPlaceholder"),
      });
      var fileId = uid("file");
      var file = h("input", {
        type: "file",
        id: fileId,
        class: "sdp-visually-hidden sdp-composer__file",
        accept: IMAGE_TYPES.join(","),
      });
      var attach = h(
        "label",
        { for: fileId, class: "sdp-icon-button", title: t("chatAttach") },
        h("span", { class: "sdp-visually-hidden" }, t("chatAttach")),
        icon(
          "M16.5 6.5 8.9 14.1a1.5 1.5 0 0 0 2.1 2.1l7.6-7.6a3 3 0 0 0-4.2-4.2l-7.8 7.8a4.5 4.5 0 0 0 6.4 6.4l7-7",
          true,
        ),
      );
      var sendButton = h("button", { type: "submit", class: "sdp-button sdp-composer__send" }, t("chatSend"));
      var composerError = h("p", { class: "sdp-error", id: uid("composer-error"), hidden: true, role: "alert" });
      text.setAttribute("aria-describedby", composerError.id);
      var composer = h(
        "form",
        {
          class: "sdp-composer",
          novalidate: true,
          onsubmit: function (event) {
            event.preventDefault();
            submitText();
          },
        },
        email,
        composerError,
        h("div", { class: "sdp-composer__row" }, file, attach, text, sendButton),
      );
      var connection = h("span", { class: "sdp-chat__status" });
      var back = h(
        "button",
        {
          type: "button",
          class: "sdp-icon-button sdp-chat__back",
          "aria-label": t("back"),
          onclick: function () {
            stopTyping();
            showHome(true);
          },
        },
        h("span", { "aria-hidden": "true" }, "←"),
      );
      var root = h(
        "section",
        { class: "sdp-chat" },
        h("div", { class: "sdp-chat__header" }, back, h("div", {}, h("h3", {}, t("chatTitle")), connection)),
        connectionLine,
        h("div", { class: "sdp-thread-scroll" }, intro, thread, typing),
        composer,
      );

      function scrollDown() {
        var scroller = root.querySelector(".sdp-thread-scroll");
        scroller.scrollTop = scroller.scrollHeight;
      }

      function showComposerError(message) {
        composerError.textContent = message || "";
        composerError.hidden = !message;
      }

      function needsEmail() {
        var session = chat.session();
        var known = (session && session.visitor && session.visitor.email) || (state.shopper && state.shopper.email);
        return !known && !(chatState.chat && chatState.chat.ticketId);
      }

      function bubble(message) {
        var mine = message.from === "shopper";
        var li = h("li", {
          class: "sdp-msg",
          "data-from": mine ? "shopper" : "agent",
          "data-seq": message.seq != null ? String(message.seq) : null,
          "data-client-id": message.clientId || null,
        });
        fill(li, message);
        return li;
      }

      function fill(li, message) {
        var mine = message.from === "shopper";
        var images = (message.attachments || []).map(function (attachment) {
          var src = attachment.previewUrl || chat.attachmentUrl(attachment.url);
          var alt = t("chatImage", { name: attachment.filename || "" });
          return src
            ? h(
                "a",
                { class: "sdp-msg__image", href: src, target: "_blank", rel: "noopener noreferrer" },
                h("img", { src: src, alt: alt, loading: "lazy" }),
              )
            : h("span", { class: "sdp-muted" }, alt);
        });
        li.replaceChildren(
          h(
            "p",
            { class: mine ? "sdp-visually-hidden" : "sdp-msg__author" },
            mine ? t("chatYou") : message.authorName || t("chatAgent"),
          ),
          h("div", { class: "sdp-msg__bubble" }, message.body ? h("p", {}, message.body) : null, images),
          h(
            "p",
            { class: "sdp-msg__meta" },
            message.createdAt ? h("time", { datetime: message.createdAt }, formatClock(message.createdAt)) : null,
          ),
        );
      }

      function formatClock(iso) {
        var date = new Date(iso);
        if (isNaN(date.getTime())) return "";
        try {
          return new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit" }).format(date);
        } catch {
          return formatTime(iso);
        }
      }

      function setPending(li, stateName, retry, error) {
        li.setAttribute("data-state", stateName);
        var meta = li.querySelector(".sdp-msg__meta");
        var old = meta.querySelector(".sdp-msg__state");
        if (old) old.remove();
        if (stateName === "sending") meta.appendChild(h("span", { class: "sdp-msg__state" }, t("sending")));
        if (stateName === "failed") {
          var button = h("button", { type: "button", class: "sdp-link", onclick: retry }, t("retry"));
          meta.appendChild(
            h("span", { class: "sdp-msg__state sdp-msg__state--failed" }, chatError(error) + " ", button),
          );
        }
      }

      function updateSeen() {
        var mine = thread.querySelectorAll('.sdp-msg[data-from="shopper"][data-seq]');
        var last = mine[mine.length - 1];
        var read = chatState.chat && chatState.chat.agentReadSeq;
        if (last && read && !seqAfter(last.getAttribute("data-seq"), read)) {
          if (seen.parentNode !== last) last.appendChild(seen);
        } else if (seen.parentNode) {
          seen.remove();
        }
      }

      /** Tells the server how far the shopper has read, when the thread is on screen. */
      function markRead() {
        if (current !== "chat" || !isVisible(thread) || !(chatState.chat && chatState.chat.ticketId)) return;
        var agents = thread.querySelectorAll('.sdp-msg[data-from="agent"][data-seq]');
        var last = agents[agents.length - 1];
        if (!last) return;
        var seq = last.getAttribute("data-seq");
        if (!seqAfter(seq, readSent)) return;
        readSent = seq;
        chat.live("POST", "/chat/read", { upTo: seq }).catch(function () {
          readSent = "0";
        });
      }

      function add(message) {
        var li =
          thread.querySelector('.sdp-msg[data-seq="' + String(message.seq).replace(/\D/g, "") + '"]') ||
          (message.clientId
            ? thread.querySelector('.sdp-msg[data-client-id="' + String(message.clientId).replace(/"/g, "") + '"]')
            : null);
        if (li) {
          // Our own optimistic message, now stored: it keeps its place and takes its seq.
          li.setAttribute("data-seq", String(message.seq));
          li.removeAttribute("data-state");
          var preview = li.querySelector("img");
          fill(li, message);
          if (preview && !(message.attachments || []).length) li.querySelector(".sdp-msg__bubble").appendChild(preview);
        } else {
          thread.appendChild(bubble(message));
        }
        intro.hidden = true;
        updateSeen();
        scrollDown();
        markRead();
      }

      async function post(li, payload, isFile) {
        setPending(li, "sending");
        showComposerError("");
        try {
          var result = isFile
            ? await chat.live("POST", "/chat/attachments", payload())
            : await chat.live("POST", "/chat/messages", payload);
          if (result && result.chat) chatChanged(result.chat);
          if (result && result.message) chat.receive(result.message, true);
          var session = chat.session();
          if (!isFile && payload.email && session) session.visitor.email = payload.email;
          update();
        } catch (error) {
          setPending(
            li,
            "failed",
            function () {
              post(li, payload, isFile);
            },
            error,
          );
          announce(chatError(error), "error");
        }
      }

      function submitText() {
        var body = text.value.trim();
        if (!body) {
          showComposerError(t("messageRequired"));
          text.focus();
          return;
        }
        var payload = { body: body, clientId: newClientId() };
        if (needsEmail()) {
          var value = email.control.value.trim();
          var ok = validate([
            [
              email,
              function () {
                return EMAIL.test(value) ? "" : t("emailInvalid");
              },
            ],
          ]);
          if (!ok) return;
          payload.email = value;
        }
        stopTyping();
        var li = bubble({
          from: "shopper",
          body: body,
          clientId: payload.clientId,
          createdAt: new Date().toISOString(),
        });
        thread.appendChild(li);
        intro.hidden = true;
        text.value = "";
        scrollDown();
        text.focus();
        post(li, payload, false);
      }

      function sendFile(picked) {
        if (!picked) return;
        if (IMAGE_TYPES.indexOf(picked.type) === -1) return showComposerError(t("attachmentWrongType"));
        if (picked.size > MAX_IMAGE_BYTES) return showComposerError(t("attachmentTooLarge"));
        if (needsEmail()) {
          // The first message says who is writing; a picture alone cannot.
          email.setError(t("chatEmailFirst"));
          email.control.focus();
          return;
        }
        var clientId = newClientId();
        var previewUrl = window.URL && URL.createObjectURL ? URL.createObjectURL(picked) : null;
        var li = bubble({
          from: "shopper",
          body: "",
          clientId: clientId,
          createdAt: new Date().toISOString(),
          attachments: [{ filename: picked.name, previewUrl: previewUrl }],
        });
        thread.appendChild(li);
        intro.hidden = true;
        scrollDown();
        post(
          li,
          function () {
            var data = new FormData();
            data.append("file", picked, picked.name);
            data.append("clientId", clientId);
            return data;
          },
          true,
        );
      }

      file.addEventListener("change", function () {
        var picked = file.files && file.files[0];
        file.value = "";
        sendFile(picked);
      });

      text.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          submitText();
        }
      });
      text.addEventListener("input", function () {
        showComposerError("");
        if (!text.value.trim()) return stopTyping();
        if (!(chatState.chat && chatState.chat.ticketId)) return;
        // Once every 3 s while typing: the server holds "typing" a little longer than that.
        if (Date.now() - typingSentAt < 3000) return;
        typingSentAt = Date.now();
        chat.live("POST", "/chat/typing", { typing: true }).catch(function () {});
      });
      text.addEventListener("blur", stopTyping);

      function update() {
        var c = chatState.chat;
        typing.textContent = c && c.agentTyping ? t("chatTyping") : "";
        typing.hidden = !(c && c.agentTyping);
        email.hidden = !needsEmail();
        if (email.hidden) email.setError("");
        connection.textContent = chatState.online ? t("chatOnline") : t("chatAway");
        updateSeen();
      }

      function setConnection(kind) {
        connectionLine.hidden = kind !== "down";
        connectionLine.textContent = kind === "down" ? t("chatReconnecting") : "";
      }

      function clear() {
        thread.replaceChildren();
        intro.hidden = false;
        readSent = "0";
        update();
      }

      if (window.IntersectionObserver) {
        // The panel opening (or the page coming back) puts the thread on screen: read up to its end.
        new IntersectionObserver(function (entries) {
          if (
            entries.some(function (entry) {
              return entry.isIntersecting;
            })
          ) {
            markRead();
            sendPresence();
          }
        }).observe(thread);
      }
      document.addEventListener("visibilitychange", markRead);

      chatView = {
        root: root,
        text: text,
        add: add,
        update: update,
        clear: clear,
        setConnection: setConnection,
        needsEmail: needsEmail,
        focus: function () {
          (needsEmail() ? email.control : text).focus();
        },
      };
      return chatView;
    }

    function stopTyping() {
      if (!typingSentAt) return;
      typingSentAt = 0;
      chat.live("POST", "/chat/typing", { typing: false }).catch(function () {});
    }

    function icon(path, stroke) {
      var ns = "http://www.w3.org/2000/svg";
      var svg = document.createElementNS(ns, "svg");
      svg.setAttribute("viewBox", "0 0 24 24");
      svg.setAttribute("width", "22");
      svg.setAttribute("height", "22");
      svg.setAttribute("aria-hidden", "true");
      svg.setAttribute("focusable", "false");
      var shape = document.createElementNS(ns, "path");
      shape.setAttribute("d", path);
      shape.setAttribute("fill", stroke ? "none" : "currentColor");
      if (stroke) {
        shape.setAttribute("stroke", "currentColor");
        shape.setAttribute("stroke-width", "2");
        shape.setAttribute("stroke-linecap", "round");
        shape.setAttribute("stroke-linejoin", "round");
      }
      svg.appendChild(shape);
      return svg;
    }

    /** The chat's state, then its live connection: once per page, whichever view asks first. */
    function startChat() {
      if (!chatState.starting) {
        chatState.starting = chat.start().then(
          function (data) {
            chatState.online = data.online !== false;
            if (chatView) chatView.update();
          },
          function (error) {
            chatState.starting = null;
            throw error;
          },
        );
      }
      return chatState.starting;
    }

    async function showChat(moveFocus) {
      var ui = chatUi();
      // show() would rebuild the view: the chat's DOM is moved in as it is, history and draft.
      show(ui.root, false);
      current = "chat";
      rememberView("chat");
      ui.update();
      if (moveFocus) ui.focus();
      try {
        await startChat();
      } catch (error) {
        announce(chatError(error), "error");
      }
      if (current !== "chat") return;
      ui.update();
      if (moveFocus && !view.contains(document.activeElement)) ui.focus();
      sendPresence();
    }

    // --- start ----------------------------------------------------------------------------------

    function start() {
      var wasInChat = lastView() === "chat";
      showHome(false);
      // Home first, at once; what it offers is refined as the answers arrive.
      api.availability().then(
        function (availability) {
          home.availability = availability;
          chatState.online = availability.online;
          if (current === "home") showHome(view.contains(document.activeElement));
        },
        function () {
          // Unknown hours: "Talk to an agent" stays, the chat itself says more.
        },
      );
      loadSession().catch(function () {
        home.sessionLoaded = false;
      });
      var stored = storedChat();
      if (stored) {
        chatState.ticketId = stored.ticketId || null;
        // A returning visitor: back in the chat if that is where they were in this tab, else the
        // chat (if still going) is one click away; either way it is live again and they are present.
        if (wasInChat) showChat(false);
        else
          startChat().then(
            function () {
              if (current === "home" && chatState.chat) showHome(false);
            },
            function () {},
          );
        sendPresence();
      }
    }

    var VIEW_KEY = "shopdesk-portal-view";
    function lastView() {
      try {
        return window.sessionStorage.getItem(VIEW_KEY);
      } catch {
        return null;
      }
    }
    function rememberView(name) {
      try {
        window.sessionStorage.setItem(VIEW_KEY, name);
      } catch {
        // Storage blocked: the widget opens on its home view.
      }
    }

    start();
  }

  window.ShopdeskPortalApp = { mount: mount };
})();
