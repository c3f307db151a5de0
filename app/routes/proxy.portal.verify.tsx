import type { ActionFunctionArgs } from "@remix-run/node";
import { portalLocale, signInMessages } from "~/domain/portal-messages";
import { portalOptions } from "~/models/portal-settings.server";
import { portalCall, portalError, portalJson } from "~/services/portal/portal-auth.server";
import { tooManyAttempts, verifySignInCode } from "~/services/portal/sign-in.server";
import { parseVerifyRequest } from "~/services/portal/sign-in-input";

// POST /apps/shopdesk/portal/verify {channel, destination, code, locale?}: the code received, for
// a session token. One 401 for a wrong, expired, used, replaced or never-sent code.
export async function action({ request }: ActionFunctionArgs) {
  const call = await portalCall(request);
  const locale = portalLocale(call.locale);
  const text = signInMessages(locale);
  const parsed = parseVerifyRequest(call.body, text);
  if (!parsed.ok) return portalError(400, parsed.error, { fields: parsed.fields });
  const { channel } = parsed.data;
  const options = await portalOptions(call.shop.id);
  if (!(channel === "email" ? options.signInEmailCode : options.signInSmsCode)) {
    return portalError(403, text.channelOff[channel]);
  }
  const result = await verifySignInCode(call, { ...parsed.data, locale });
  if (result.ok) return portalJson({ token: result.token, shopper: result.shopper });
  if (result.reason === "rate-limited") return tooManyAttempts(text.tooManyAttempts, result.retryAfterSeconds);
  return portalError(401, text.codeRefused);
}
