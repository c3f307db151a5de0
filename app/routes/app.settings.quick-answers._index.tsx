import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  ButtonGroup,
  Card,
  EmptyState,
  IndexTable,
  InlineStack,
  Link,
  Page,
  Text,
} from "@shopify/polaris";
import { useEffect, useRef } from "react";
import { z } from "zod";
import { formatDeflectionRate, MAX_QUICK_ANSWERS, QUICK_ANSWER_STATS_DAYS } from "~/domain/quick-answers";
import { STARTER_QUICK_ANSWER_KEYS, STARTER_QUICK_ANSWERS } from "~/domain/starter-quick-answers";
import { readForm } from "~/lib/form-data.server";
import {
  addStarterQuickAnswer,
  listQuickAnswers,
  moveQuickAnswer,
  QuickAnswerNotFoundError,
  QuickAnswerRefused,
  setQuickAnswerEnabled,
} from "~/models/quick-answer.server";
import { quickAnswerStats } from "~/models/quick-answer-use.server";
import { requireInstalledShop } from "~/models/shop.server";
import { authenticate } from "~/shopify.server";

// Settings → Quick answers: the workspace's FAQ flows in the order the storefront widget offers
// them, each with its uses and deflection over the last 30 days; turn one on or off, move it, or
// open it in the editor. With none yet, a few common ones to add in one click.

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const shop = await requireInstalledShop(session.shop, admin);
  const [flows, stats] = await Promise.all([listQuickAnswers(shop.workspaceId), quickAnswerStats(shop.workspaceId)]);
  return {
    maxFlows: MAX_QUICK_ANSWERS,
    flows: flows.map((flow) => {
      const figures = stats.get(flow.id);
      return {
        id: flow.id,
        question: flow.content?.en.question ?? null,
        followUps: flow.content?.followUps.length ?? 0,
        enabled: flow.enabled,
        uses: figures?.uses ?? 0,
        deflection: formatDeflectionRate(figures?.deflectionRate ?? null),
      };
    }),
    starters: STARTER_QUICK_ANSWERS.map((starter) => ({
      key: starter.key,
      title: starter.title,
      question: starter.content.en.question,
    })),
  };
};

const ActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("add-starter"), key: z.enum(STARTER_QUICK_ANSWER_KEYS, "Choose a suggestion.") }),
    z.object({
      intent: z.literal("move"),
      quickAnswerId: z.string().max(100),
      direction: z.enum(["up", "down"], "Choose up or down."),
    }),
    z.object({
      intent: z.literal("enable"),
      quickAnswerId: z.string().max(100),
      enabled: z.enum(["true", "false"], "Choose on or off.").transform((value) => value === "true"),
    }),
  ],
  { error: "Choose what to do." },
);

export type IndexAnswer = { ok: true; message: string } | { ok: false; error: string };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const shop = await requireInstalledShop(session.shop, admin);
  const form = await readForm(request, ActionSchema, "quick answers");
  if (!form.ok) {
    const error = Object.values(form.errors).flat()[0] ?? "Check the form.";
    return data<IndexAnswer>({ ok: false, error }, { status: form.status });
  }
  try {
    const input = form.data;
    if (input.intent === "add-starter") {
      await addStarterQuickAnswer(shop.workspaceId, input.key);
      return data<IndexAnswer>({
        ok: true,
        message: "Quick answer added, turned off: check its words, then turn it on",
      });
    }
    if (input.intent === "move") {
      await moveQuickAnswer(shop.workspaceId, input.quickAnswerId, input.direction);
      return data<IndexAnswer>({ ok: true, message: "Order saved" });
    }
    await setQuickAnswerEnabled(shop.workspaceId, input.quickAnswerId, input.enabled);
    return data<IndexAnswer>({
      ok: true,
      message: input.enabled ? "Quick answer turned on" : "Quick answer turned off",
    });
  } catch (error) {
    if (error instanceof QuickAnswerNotFoundError)
      return data<IndexAnswer>({ ok: false, error: error.message }, { status: 404 });
    if (error instanceof QuickAnswerRefused)
      return data<IndexAnswer>({ ok: false, error: error.message }, { status: 400 });
    throw error;
  }
};

export default function QuickAnswersSettings() {
  const { flows, starters, maxFlows } = useLoaderData<typeof loader>();
  const shopify = useAppBridge();
  const fetcher = useFetcher<IndexAnswer>();
  const shown = useRef<unknown>(null);
  useEffect(() => {
    const answer = fetcher.data;
    if (fetcher.state !== "idle" || !answer || shown.current === answer) return;
    shown.current = answer;
    if (answer.ok) shopify.toast.show(answer.message);
  }, [fetcher.state, fetcher.data, shopify]);
  const busy = fetcher.state !== "idle";
  const submit = (form: Record<string, string>) => fetcher.submit(form, { method: "post" });
  const atMost = flows.length >= maxFlows;

  return (
    <Page
      backAction={{ content: "Settings", url: "/app/settings" }}
      primaryAction={
        flows.length > 0
          ? { content: "Create quick answer", url: "/app/settings/quick-answers/new", disabled: atMost }
          : undefined
      }
    >
      <TitleBar title="Quick answers" />
      <BlockStack gap="400">
        <Text as="p" tone="subdued">
          Answers to common questions that shoppers get instantly in the help widget on your store, before they reach an
          agent. Deflection is the share of uses after which the shopper did not contact you within a day.
        </Text>
        {fetcher.data && !fetcher.data.ok && (
          <Banner tone="critical" title="That did not work">
            <p>{fetcher.data.error}</p>
          </Banner>
        )}
        {flows.length === 0 ? (
          <Card>
            <EmptyState
              heading="Answer common questions instantly"
              action={{ content: "Create quick answer", url: "/app/settings/quick-answers/new" }}
              image=""
            >
              <BlockStack gap="300">
                <p>Write a question and its answer, with follow-ups, in each language your store speaks.</p>
                <Text as="p" fontWeight="semibold">
                  Or start from a common one:
                </Text>
                <BlockStack gap="200">
                  {starters.map((starter) => (
                    <InlineStack key={starter.key} align="space-between" blockAlign="center" gap="200">
                      <Text as="span">
                        {starter.title}: “{starter.question}”
                      </Text>
                      <Button
                        accessibilityLabel={`Add ${starter.title}`}
                        disabled={busy}
                        onClick={() => submit({ intent: "add-starter", key: starter.key })}
                      >
                        Add
                      </Button>
                    </InlineStack>
                  ))}
                </BlockStack>
              </BlockStack>
            </EmptyState>
          </Card>
        ) : (
          <Card padding="0">
            <IndexTable
              resourceName={{ singular: "quick answer", plural: "quick answers" }}
              itemCount={flows.length}
              selectable={false}
              headings={[
                { title: "Question" },
                { title: "Shown" },
                { title: `Uses (${QUICK_ANSWER_STATS_DAYS} days)`, alignment: "end" },
                { title: "Deflection", alignment: "end" },
                { title: "Order" },
              ]}
            >
              {flows.map((flow, index) => (
                <IndexTable.Row id={flow.id} key={flow.id} position={index}>
                  <IndexTable.Cell>
                    <BlockStack gap="050">
                      <Link url={`/app/settings/quick-answers/${flow.id}`} dataPrimaryLink removeUnderline>
                        {flow.question ?? "A quick answer that cannot be read: open it to write it again"}
                      </Link>
                      {flow.followUps > 0 && (
                        <Text as="span" tone="subdued" variant="bodySm">
                          {flow.followUps === 1 ? "1 follow-up" : `${flow.followUps} follow-ups`}
                        </Text>
                      )}
                    </BlockStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <InlineStack gap="200" blockAlign="center" wrap={false}>
                      {flow.enabled ? <Badge tone="success">On</Badge> : <Badge>Off</Badge>}
                      <Button
                        variant="plain"
                        disabled={busy}
                        accessibilityLabel={`${flow.enabled ? "Turn off" : "Turn on"} “${flow.question ?? ""}”`}
                        onClick={() =>
                          submit({ intent: "enable", quickAnswerId: flow.id, enabled: String(!flow.enabled) })
                        }
                      >
                        {flow.enabled ? "Turn off" : "Turn on"}
                      </Button>
                    </InlineStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {flow.uses}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {flow.deflection}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <ButtonGroup variant="segmented">
                      <Button
                        size="slim"
                        disabled={busy || index === 0}
                        accessibilityLabel={`Move “${flow.question ?? ""}” up`}
                        onClick={() => submit({ intent: "move", quickAnswerId: flow.id, direction: "up" })}
                      >
                        ↑
                      </Button>
                      <Button
                        size="slim"
                        disabled={busy || index === flows.length - 1}
                        accessibilityLabel={`Move “${flow.question ?? ""}” down`}
                        onClick={() => submit({ intent: "move", quickAnswerId: flow.id, direction: "down" })}
                      >
                        ↓
                      </Button>
                    </ButtonGroup>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          </Card>
        )}
        {atMost && (
          <Banner tone="info">
            <p>You have {maxFlows} quick answers, the most a store can offer. Delete one to add another.</p>
          </Banner>
        )}
      </BlockStack>
    </Page>
  );
}
