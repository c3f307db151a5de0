import type { ActionFunctionArgs } from "@remix-run/node";
import { portalCall, portalError, portalJson } from "~/services/portal/portal-auth.server";
import {
  QuickAnswersBodySchema,
  recordStorefrontUse,
  storefrontQuickAnswers,
  takeQuickAnswerLimits,
} from "~/services/portal/quick-answers.server";
import { tooManyAttempts } from "~/services/portal/sign-in.server";

// POST /apps/shopdesk/portal/quick-answers (App Proxy, decision 026) {locale?, token?, chatToken?}:
// the shop's enabled quick answers in the shopper's language. With {used: {quickAnswerId, path}}
// it records that the shopper opened that answer (201) instead; no sign-in needed for either.
export const action = async ({ request }: ActionFunctionArgs) => {
  const call = await portalCall(request);
  const body = QuickAnswersBodySchema.safeParse(call.body);
  if (!body.success) return portalError(400, body.error.issues[0]?.message ?? "Check your request.");
  const limit = await takeQuickAnswerLimits(call, Boolean(body.data.used));
  if (!limit.ok)
    return tooManyAttempts("Too many requests. Please wait a moment and try again.", limit.retryAfterSeconds);
  const { used } = body.data;
  if (!used) return portalJson({ quickAnswers: await storefrontQuickAnswers(call) });
  const recorded = await recordStorefrontUse(call, { ...body.data, used });
  if (!recorded.ok) return portalError(recorded.status, recorded.error);
  return portalJson({ recorded: true }, 201);
};

// A GET (a link followed, a crawler): checked like any call, then told to POST (portalCall's 405).
export const loader = async ({ request }: ActionFunctionArgs) => {
  await portalCall(request);
  return portalError(405, "Send this request as a POST with a JSON body.");
};
