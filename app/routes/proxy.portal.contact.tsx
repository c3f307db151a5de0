import type { ActionFunctionArgs } from "@remix-run/node";
import { parseContactForm } from "~/domain/contact-form";
import { portalCall, portalError, portalJson } from "~/services/portal/portal-auth.server";
import { submitContactForm } from "~/services/portal/contact-form.server";

// POST /apps/shopdesk/portal/contact (App Proxy, no sign-in needed): the offline contact form
// { email, name?, message, orderNumber? } becomes a contact_form ticket answered by email, with
// one automatic reply saying when to expect an answer (decision 026).
export const action = async ({ request }: ActionFunctionArgs) => {
  const call = await portalCall(request);
  const parsed = parseContactForm(call.body, call.locale);
  if (!parsed.ok) return portalError(400, parsed.error, { field: parsed.field });
  const result = await submitContactForm(call, parsed.form);
  if (!result.ok) {
    const refused = portalError(result.status, result.error);
    refused.headers.set("Retry-After", String(result.retryAfterSeconds));
    return refused;
  }
  const { ok: _ok, created, ...answer } = result;
  return portalJson(answer, created ? 201 : 200);
};

// A GET (a link followed, a crawler): checked like any call, then told to POST (portalCall's 405).
export const loader = async ({ request }: ActionFunctionArgs) => {
  await portalCall(request);
  return portalError(405, "Send this request as a POST with a JSON body.");
};
