// For tests in the same process as the emulator: an undici dispatcher that sends
// https://<shop>.myshopify.com requests to the emulator as plain HTTP (what dev/intercept.mjs does
// for a whole process), so tests call Shopify URLs exactly as the app does.
import net from "node:net";
import { Agent, fetch as undiciFetch, type RequestInit } from "undici";

export function emulatorDispatcher(emulatorUrl: string): Agent {
  const target = new URL(emulatorUrl);
  return new Agent({
    connect(_options, callback) {
      const socket = net.connect({ host: target.hostname, port: Number(target.port) });
      socket.setNoDelay(true);
      socket.once("connect", () => callback(null, socket)).once("error", (error) => callback(error, null));
      return socket;
    },
  });
}

/** fetch() for https://<shop>.myshopify.com/… URLs, answered by the emulator at `emulatorUrl`. */
export function shopFetcher(emulatorUrl: string) {
  const dispatcher = emulatorDispatcher(emulatorUrl);
  const shopFetch = (url: string, init: RequestInit = {}) => undiciFetch(url, { ...init, dispatcher });
  return Object.assign(shopFetch, { close: () => dispatcher.close() });
}
