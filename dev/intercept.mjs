// DEV/TEST ONLY network preload: node --import ./dev/intercept.mjs …
// Node's fetch (which @shopify/shopify-api uses) goes through undici's global dispatcher. This
// preload replaces it so that https://<shop>.myshopify.com connects, as plain HTTP/1.1, to the
// local store emulator at SHOPDESK_EMULATOR_URL; URLs and Host headers stay exactly as the app
// wrote them. Production never loads this file, so the app has no emulator branches.
import net from "node:net";
import { Agent, buildConnector, setGlobalDispatcher } from "undici";

const emulator = process.env.SHOPDESK_EMULATOR_URL ? new URL(process.env.SHOPDESK_EMULATOR_URL) : null;
if (!emulator) throw new Error("dev/intercept.mjs: set SHOPDESK_EMULATOR_URL=http://127.0.0.1:<port>");
const shopHost = /\.myshopify\.com$/;
const loopback = new Set(["127.0.0.1", "localhost", "::1"]);
const tls = buildConnector({});

setGlobalDispatcher(
  new Agent({
    connect(options, callback) {
      if (shopHost.test(options.hostname)) {
        const socket = net.connect({ host: emulator.hostname, port: Number(emulator.port) });
        socket.setNoDelay(true);
        socket.once("connect", () => callback(null, socket)).once("error", (error) => callback(error, null));
        return socket;
      }
      if (!loopback.has(options.hostname)) {
        // No other host is reachable here; fail at once and say why instead of timing out.
        queueMicrotask(() => callback(new Error(`dev/intercept.mjs: no network to ${options.hostname}`), null));
        return;
      }
      return tls(options, callback);
    },
  }),
);
