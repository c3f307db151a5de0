import { data, type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import type { WidgetActionAnswer } from "~/components/IntegrationWidgets";
import { readForm } from "~/lib/form-data.server";
import { storableString } from "~/lib/storable-text";
import { requireInstalledShop } from "~/models/shop.server";
import { agentForRequest } from "~/services/agents.server";
import { runWidgetAction } from "~/services/integrations/widget-actions.server";
import { TicketParamsSchema } from "~/services/tickets/ticket-forms.server";
import { authenticate } from "~/shopify.server";

// Runs a sidebar widget's custom action for the ticket (the button's modal posts here). The form
// names the widget, the button's ref and the editable fields' values; the server rebuilds the
// request from the stored template (services/integrations/widget-actions.server.ts).

const ValuesSchema = z.record(
  z.string().max(40),
  storableString({ error: "Each value is text." }).refine((value) => value.length <= 4_000, "A value is too long."),
);

const WidgetActionFormSchema = z.object({
  widgetId: z.coerce.number("Choose a widget.").int().positive("Choose a widget.").max(2_147_483_647),
  ref: z.string("Choose an action.").min(1, "Choose an action.").max(500),
  values: z
    .string()
    .max(64_000)
    .default("{}")
    .transform((text, context) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        context.addIssue({ code: "custom", message: "The values are not readable; reload the page." });
        return z.NEVER;
      }
    })
    .pipe(ValuesSchema.refine((values) => Object.keys(values).length <= 100, "Too many values.")),
});

const answer = (body: WidgetActionAnswer, status = 200) => data<WidgetActionAnswer>(body, { status });

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const auth = await authenticate.admin(request);
  const shop = await requireInstalledShop(auth.session.shop, auth.admin);
  const ids = TicketParamsSchema.safeParse(params);
  if (!ids.success)
    return answer({ ok: false, errors: { form: "This ticket does not exist or belongs to another workspace." } }, 404);
  const form = await readForm(request, WidgetActionFormSchema, "widget action");
  if (!form.ok) {
    const errors = Object.fromEntries(Object.entries(form.errors).map(([field, messages]) => [field, messages?.[0]]));
    return answer({ ok: false, errors }, form.status);
  }
  const agent = await agentForRequest(request, auth);
  const result = await runWidgetAction(
    { id: shop.workspaceId, timeZone: shop.ianaTimezone },
    ids.data.ticketId,
    agent ? { id: agent.id, name: agent.name } : null,
    form.data,
  );
  if (!result.ok) return answer({ ok: false, errors: result.errors }, result.status);
  return answer({ ok: true, toast: result.toast });
};
