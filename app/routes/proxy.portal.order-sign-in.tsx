import type { ActionFunctionArgs } from "@remix-run/node";
import { portalLocale, signInMessages } from "~/domain/portal-messages";
import { portalOptions } from "~/models/portal-settings.server";
import { portalCall, portalError, portalJson } from "~/services/portal/portal-auth.server";
import { signInWithOrder, tooManyAttempts } from "~/services/portal/sign-in.server";
import { parseOrderSignIn } from "~/services/portal/sign-in-input";

// POST /apps/shopdesk/portal/order-sign-in {email, orderNumber, locale?}: a session for that one
// order when the store has an order of that number placed with that email. One 401 otherwise.
export async function action({ request }: ActionFunctionArgs) {
  const call = await portalCall(request);
  const locale = portalLocale(call.locale);
  const text = signInMessages(locale);
  const parsed = parseOrderSignIn(call.body, text);
  if (!parsed.ok) return portalError(400, parsed.error, { fields: parsed.fields });
  if (!(await portalOptions(call.shop.id)).signInOrderNumber) return portalError(403, text.channelOff.orderNumber);
  const result = await signInWithOrder(call, { ...parsed.data, locale });
  if (result.ok) return portalJson({ token: result.token, shopper: result.shopper });
  if (result.reason === "rate-limited") return tooManyAttempts(text.tooManyAttempts, result.retryAfterSeconds);
  return portalError(401, text.orderRefused);
}
