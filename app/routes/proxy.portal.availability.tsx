import type { ActionFunctionArgs } from "@remix-run/node";
import { availability } from "~/domain/business-hours";
import { defaultTimeZone, getBusinessHours } from "~/models/business-hours.server";
import { portalCall, portalError, portalJson } from "~/services/portal/portal-auth.server";

// POST /apps/shopdesk/portal/availability (App Proxy, no sign-in needed): whether agents are in
// for this store's workspace, when they are next, and one line saying so in the shopper's
// language: { online, nextOpenAt, timezone, message } (decision 026).
export const action = async ({ request }: ActionFunctionArgs) => {
  const call = await portalCall(request);
  const hours = await getBusinessHours(call.shop.workspaceId);
  return portalJson(availability(hours, new Date(), call.locale, defaultTimeZone(call.shop.ianaTimezone)));
};

// A GET (a link followed, a crawler): checked like any call, then told to POST (portalCall's 405).
export const loader = async ({ request }: ActionFunctionArgs) => {
  await portalCall(request);
  return portalError(405, "Send this request as a POST with a JSON body.");
};
