import type { ActionFunctionArgs } from "@remix-run/node";
import { portalLocale, signInMessages } from "~/domain/portal-messages";
import { portalOptions } from "~/models/portal-settings.server";
import { portalCall, portalError, portalJson, requirePortalSession } from "~/services/portal/portal-auth.server";
import {
  shopperOf,
  signInChannels,
  signInStoreCustomer,
  signOutPortalSession,
  storeLoginDiffers,
} from "~/services/portal/sign-in.server";
import { parseSessionRequest } from "~/services/portal/sign-in-input";

// POST /apps/shopdesk/portal/session {token?, signOut?, locale?}: who is signed in, and how one
// can sign in on this store. A token's session answers for itself (or is signed out); with no
// usable token, a shopper logged in to the store gets a session without a code.
export async function action({ request }: ActionFunctionArgs) {
  const call = await portalCall(request);
  const locale = portalLocale(call.locale);
  const text = signInMessages(locale);
  const parsed = parseSessionRequest(call.body, text);
  if (!parsed.ok) return portalError(400, parsed.error, { fields: parsed.fields });
  const channels = signInChannels(await portalOptions(call.shop.id));
  const { token, signOut } = parsed.data;

  const session = token ? await requirePortalSession(call).catch(signInAgain) : null;
  if (signOut) {
    if (session) await signOutPortalSession(call.shop.id, session.id);
    return portalJson({ signedIn: false, message: text.signedOut, channels });
  }
  // The store vouches for someone else than the session's shopper: they sign in as themselves.
  if (session && !storeLoginDiffers(call, session)) {
    return portalJson({ signedIn: true, shopper: await shopperOf(call.shop.id, session), channels });
  }
  const storeLogin = await signInStoreCustomer(call, locale);
  if (storeLogin?.ok) {
    if (session) await signOutPortalSession(call.shop.id, session.id);
    return portalJson({ signedIn: true, token: storeLogin.token, shopper: storeLogin.shopper, channels });
  }
  if (session) return portalJson({ signedIn: true, shopper: await shopperOf(call.shop.id, session), channels });
  if (token) return portalError(401, text.signInAgain, { signIn: true, channels });
  return portalJson({ signedIn: false, channels });
}

/** A token that no longer names a live session of this shop: as if none was sent. */
function signInAgain(thrown: unknown): null {
  if (thrown instanceof Response && thrown.status === 401) return null;
  throw thrown;
}
