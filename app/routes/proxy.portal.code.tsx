import type { ActionFunctionArgs } from "@remix-run/node";
import { portalLocale, signInMessages } from "~/domain/portal-messages";
import { portalOptions } from "~/models/portal-settings.server";
import { portalCall, portalError, portalJson } from "~/services/portal/portal-auth.server";
import { requestSignInCode } from "~/services/portal/sign-in.server";
import { parseCodeRequest } from "~/services/portal/sign-in-input";

// POST /apps/shopdesk/portal/code {channel, destination, locale?}: send me a sign-in code. The
// answer is the same, byte for byte, for an address the store knows or not, and whether a code was
// sent or a limit was hit (decided after the answer, in requestSignInCode).
export async function action({ request }: ActionFunctionArgs) {
  const call = await portalCall(request);
  const locale = portalLocale(call.locale);
  const text = signInMessages(locale);
  const parsed = parseCodeRequest(call.body, text);
  if (!parsed.ok) return portalError(400, parsed.error, { fields: parsed.fields });
  const { channel, destination } = parsed.data;
  const options = await portalOptions(call.shop.id);
  if (!(channel === "email" ? options.signInEmailCode : options.signInSmsCode)) {
    return portalError(403, text.channelOff[channel]);
  }
  await requestSignInCode(call, { channel, destination, locale });
  return portalJson({ ok: true, message: text.codeRequested[channel] });
}
