import { describe, expect, it } from "vitest";
import { classifyRouteError } from "./route-errors";

// What Remix hands a boundary for a thrown Response (isRouteErrorResponse checks these fields).
const response = (status: number, data: unknown) => ({ status, statusText: "", internal: false, data });

describe("classifyRouteError", () => {
  it("keeps the Shopify library's App Bridge pages (2xx responses) as they are", () => {
    const html = '<script data-api-key="k" src="https://cdn.shopify.com/shopifycloud/app-bridge.js"></script>';
    expect(classifyRouteError(response(200, html))).toEqual({ kind: "shopify-auth", html });
  });

  it("knows a 404 and an ended session", () => {
    expect(classifyRouteError(response(404, "Customer not found"))).toEqual({ kind: "not-found" });
    expect(classifyRouteError(response(401, null))).toEqual({ kind: "signed-out" });
  });

  it("shows our short message for another 4xx, never a library's body", () => {
    expect(classifyRouteError(response(409, { message: "Customers both have Shopify orders" }))).toEqual({
      kind: "refused",
      message: "Customers both have Shopify orders",
    });
    expect(classifyRouteError(response(400, "Shop param is invalid"))).toEqual({
      kind: "refused",
      message: "Shop param is invalid",
    });
    expect(classifyRouteError(response(400, '{"errors":"bad"}'))).toEqual({ kind: "refused", message: null });
    expect(classifyRouteError(response(400, "<html>…</html>"))).toEqual({ kind: "refused", message: null });
  });

  it("treats 5xx responses and exceptions as unexpected", () => {
    expect(classifyRouteError(response(500, "Detected call to shopify.authenticate.admin() from …"))).toEqual({
      kind: "unexpected",
    });
    expect(classifyRouteError(response(503, null))).toEqual({ kind: "unexpected" });
    expect(classifyRouteError(new Error("Unexpected Server Error"))).toEqual({ kind: "unexpected" });
    expect(classifyRouteError("a string")).toEqual({ kind: "unexpected" });
  });
});
