import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  Divider,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useMemo, useRef, useState } from "react";
import { z } from "zod";
import {
  BusinessHoursSchema,
  expectedAnswerWords,
  isOpen,
  MAX_INTERVALS_PER_DAY,
  nextOpening,
  WEEKDAYS,
  type BusinessHours,
  type Weekday,
} from "~/domain/business-hours";
import { readForm } from "~/lib/form-data.server";
import { businessHoursForm, saveBusinessHours } from "~/models/business-hours.server";
import { requireInstalledShop } from "~/models/shop.server";
import { authenticate } from "~/shopify.server";

// Settings → Business hours: when agents answer chat. Outside them the storefront widget shows
// "offline" and offers the contact form, whose automatic reply says when to expect an answer
// (decision 026). One schedule per workspace, in one time zone (the store's by default).

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const shop = await requireInstalledShop(session.shop, admin);
  const { hours, saved } = await businessHoursForm(shop.workspaceId, shop.ianaTimezone);
  return { hours, saved, now: new Date().toISOString() };
};

/** The page sends the whole schedule as one JSON field: the week editor has a variable shape. */
const FormSchema = z.object({ schedule: z.string().max(64 * 1024, "This schedule is too long to save.") });

/** Issues keyed by where they are ("weekly.3.closes", "holidays.0.date", "timezone"). */
type Problems = Record<string, string>;

export const action = async ({ request }: ActionFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const shop = await requireInstalledShop(session.shop, admin);
  const form = await readForm(request, FormSchema, "business hours");
  if (!form.ok) {
    return data(
      { ok: false as const, problems: { form: form.errors.form?.[0] ?? "Check the schedule." } },
      { status: form.status },
    );
  }
  let sent: unknown;
  try {
    sent = JSON.parse(form.data.schedule);
  } catch {
    return data(
      { ok: false as const, problems: { form: "The schedule could not be read. Reload the page and try again." } },
      { status: 400 },
    );
  }
  const parsed = BusinessHoursSchema.safeParse(sent);
  if (!parsed.success) {
    const problems: Problems = {};
    for (const issue of parsed.error.issues) problems[issue.path.join(".") || "form"] ??= issue.message;
    return data({ ok: false as const, problems }, { status: 400 });
  }
  const hours = await saveBusinessHours(shop.workspaceId, parsed.data);
  return { ok: true as const, hours };
};

// ---- The editor's state ----------------------------------------------------------------------

const DAY_LABELS: Record<Weekday, string> = {
  1: "Monday",
  2: "Tuesday",
  3: "Wednesday",
  4: "Thursday",
  5: "Friday",
  6: "Saturday",
  7: "Sunday",
};

interface Interval {
  opens: string;
  closes: string;
}
interface Draft {
  enabled: boolean;
  timezone: string;
  days: Record<Weekday, { open: boolean; intervals: Interval[] }>;
  holidays: { date: string; name: string }[];
}

const USUAL_HOURS: Interval = { opens: "09:00", closes: "17:00" };

function draftOf(hours: BusinessHours): Draft {
  const days = {} as Draft["days"];
  for (const day of WEEKDAYS) {
    const intervals = hours.weekly
      .filter((interval) => interval.day === day)
      .map(({ opens, closes }) => ({ opens, closes }));
    days[day] = { open: intervals.length > 0, intervals: intervals.length > 0 ? intervals : [{ ...USUAL_HOURS }] };
  }
  return { enabled: hours.enabled, timezone: hours.timezone, days, holidays: hours.holidays };
}

/** The schedule as the action takes it, and which day and row each weekly entry came from. */
function scheduleOf(draft: Draft) {
  const weekly: { day: Weekday; opens: string; closes: string }[] = [];
  const rows: { day: Weekday; row: number }[] = [];
  for (const day of WEEKDAYS) {
    if (!draft.days[day].open) continue;
    draft.days[day].intervals.forEach((interval, row) => {
      weekly.push({ day, opens: interval.opens.trim(), closes: interval.closes.trim() });
      rows.push({ day, row });
    });
  }
  const holidays = draft.holidays.map((holiday) => ({ date: holiday.date.trim(), name: holiday.name }));
  return { schedule: { enabled: draft.enabled, timezone: draft.timezone, weekly, holidays }, rows };
}

/** Every zone this browser and server know, with the current one kept even if it is an old name. */
function timeZoneOptions(current: string) {
  const zones = new Set(["UTC", ...Intl.supportedValuesOf("timeZone")]);
  zones.add(current);
  return [...zones].sort().map((zone) => ({ label: zone.replaceAll("_", " "), value: zone }));
}

export default function BusinessHoursSettings() {
  const loaded = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>();
  const shopify = useAppBridge();
  const [draft, setDraft] = useState(() => draftOf(loaded.hours));
  const [now, setNow] = useState(() => new Date(loaded.now));
  const [clientProblems, setClientProblems] = useState<Problems>({});
  const toasted = useRef<unknown>(null);

  // The preview follows the clock once the page is in the browser.
  useEffect(() => {
    setNow(new Date());
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, []);

  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  useEffect(() => {
    if (!answer || toasted.current === answer) return;
    toasted.current = answer;
    if (answer.ok) shopify.toast.show("Business hours saved");
  }, [answer, shopify]);

  const { schedule, rows } = useMemo(() => scheduleOf(draft), [draft]);
  const checked = useMemo(() => BusinessHoursSchema.safeParse(schedule), [schedule]);
  const problems: Problems = { ...(answer && !answer.ok ? answer.problems : {}), ...clientProblems };
  const zones = useMemo(() => timeZoneOptions(draft.timezone), [draft.timezone]);

  const change = (update: (current: Draft) => Draft) => {
    setDraft(update);
    setClientProblems({});
  };
  const setDay = (day: Weekday, value: Draft["days"][Weekday]) =>
    change((current) => ({ ...current, days: { ...current.days, [day]: value } }));

  const problemAt = (day: Weekday, row: number, field: "opens" | "closes") => {
    const index = rows.findIndex((entry) => entry.day === day && entry.row === row);
    return index < 0 ? undefined : problems[`weekly.${index}.${field}`];
  };

  const save = () => {
    if (!checked.success) {
      const found: Problems = {};
      for (const issue of checked.error.issues) found[issue.path.join(".") || "form"] ??= issue.message;
      setClientProblems(found);
      return;
    }
    fetcher.submit({ schedule: JSON.stringify(schedule) }, { method: "post" });
  };

  const copyMondayToWeekdays = () =>
    change((current) => {
      const monday = current.days[1];
      const days = { ...current.days };
      for (const day of [2, 3, 4, 5] as const) {
        days[day] = { open: monday.open, intervals: monday.intervals.map((interval) => ({ ...interval })) };
      }
      return { ...current, days };
    });

  const preview = (() => {
    if (!draft.enabled) return "Business hours are off: chat shows as online at all times.";
    if (!checked.success) return "Fix the highlighted fields to see when chat is online.";
    if (isOpen(checked.data, now)) return "Right now: online.";
    const opening = nextOpening(checked.data, now);
    if (!opening) return "Right now: offline. No opening hours are set, so chat never shows as online.";
    const zone = draft.timezone.replaceAll("_", " ");
    return `Right now: offline. Next opening ${expectedAnswerWords(opening, now, draft.timezone, "en")} (${zone} time).`;
  })();

  const errorCount = Object.keys(problems).filter((key) => key !== "form").length;

  return (
    <Page backAction={{ content: "Settings", url: "/app/settings" }}>
      <TitleBar title="Business hours" />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {problems.form && (
              <Banner tone="critical">
                <p>{problems.form}</p>
              </Banner>
            )}
            {errorCount > 0 && !problems.form && (
              <Banner tone="critical">
                <p>Some hours need fixing before they can be saved: see the highlighted fields.</p>
              </Banner>
            )}
            <Card>
              <BlockStack gap="300">
                <Checkbox
                  label="Use business hours"
                  helpText="Outside these hours the chat on your store shows as offline and shoppers leave a message instead. Turned off, chat shows as online at all times."
                  checked={draft.enabled}
                  onChange={(enabled) => change((current) => ({ ...current, enabled }))}
                />
                <Select
                  label="Time zone"
                  options={zones}
                  value={draft.timezone}
                  onChange={(timezone) => change((current) => ({ ...current, timezone }))}
                  helpText="The hours and holidays below are in this time zone."
                  error={problems.timezone}
                />
                <Box background="bg-surface-secondary" padding="300" borderRadius="200">
                  <Text as="p" variant="bodyMd" fontWeight="semibold" id="business-hours-preview">
                    {preview}
                  </Text>
                </Box>
              </BlockStack>
            </Card>

            <Card>
              <BlockStack gap="400">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    Weekly hours
                  </Text>
                  <Button onClick={copyMondayToWeekdays}>Copy Monday to weekdays</Button>
                </InlineStack>
                <Text as="p" tone="subdued">
                  24-hour times, e.g. 09:00 to 17:30. Use 24:00 to stay open until midnight.
                </Text>
                {WEEKDAYS.map((day) => {
                  const value = draft.days[day];
                  return (
                    <BlockStack gap="200" key={day}>
                      <Divider />
                      <InlineGrid columns={{ xs: 1, md: ["oneThird", "twoThirds"] }} gap="300">
                        <Checkbox
                          label={DAY_LABELS[day]}
                          helpText={value.open ? undefined : "Closed"}
                          checked={value.open}
                          onChange={(open) => setDay(day, { ...value, open })}
                        />
                        {value.open && (
                          <BlockStack gap="200">
                            {value.intervals.map((interval, row) => {
                              const update = (field: keyof Interval) => (text: string) =>
                                setDay(day, {
                                  ...value,
                                  intervals: value.intervals.map((other, index) =>
                                    index === row ? { ...other, [field]: text } : other,
                                  ),
                                });
                              return (
                                <InlineStack gap="200" blockAlign="start" key={row} wrap={false}>
                                  <TextField
                                    label={`${DAY_LABELS[day]} opens`}
                                    labelHidden={row > 0}
                                    value={interval.opens}
                                    onChange={update("opens")}
                                    autoComplete="off"
                                    placeholder="09:00"
                                    error={problemAt(day, row, "opens")}
                                  />
                                  <TextField
                                    label={`${DAY_LABELS[day]} closes`}
                                    labelHidden={row > 0}
                                    value={interval.closes}
                                    onChange={update("closes")}
                                    autoComplete="off"
                                    placeholder="17:00"
                                    error={problemAt(day, row, "closes")}
                                  />
                                  {value.intervals.length > 1 && (
                                    <Box paddingBlockStart={row === 0 ? "600" : "0"}>
                                      <Button
                                        variant="plain"
                                        tone="critical"
                                        accessibilityLabel={`Remove ${DAY_LABELS[day]} ${interval.opens}–${interval.closes}`}
                                        onClick={() =>
                                          setDay(day, {
                                            ...value,
                                            intervals: value.intervals.filter((_, index) => index !== row),
                                          })
                                        }
                                      >
                                        Remove
                                      </Button>
                                    </Box>
                                  )}
                                </InlineStack>
                              );
                            })}
                            <InlineStack>
                              <Button
                                variant="plain"
                                disabled={value.intervals.length >= MAX_INTERVALS_PER_DAY}
                                accessibilityLabel={`Add hours on ${DAY_LABELS[day]}`}
                                onClick={() => {
                                  const last = value.intervals.at(-1);
                                  const next =
                                    last && last.closes < "18:00"
                                      ? { opens: "18:00", closes: "20:00" }
                                      : { ...USUAL_HOURS };
                                  setDay(day, { ...value, intervals: [...value.intervals, next] });
                                }}
                              >
                                Add hours
                              </Button>
                            </InlineStack>
                          </BlockStack>
                        )}
                      </InlineGrid>
                    </BlockStack>
                  );
                })}
              </BlockStack>
            </Card>

            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Holidays
                </Text>
                <Text as="p" tone="subdued">
                  Closed all day, whatever the weekly hours say.
                </Text>
                {draft.holidays.length === 0 && <Text as="p">No holidays yet.</Text>}
                {draft.holidays.map((holiday, index) => {
                  const update = (field: "date" | "name") => (text: string) =>
                    change((current) => ({
                      ...current,
                      holidays: current.holidays.map((other, at) =>
                        at === index ? { ...other, [field]: text } : other,
                      ),
                    }));
                  return (
                    <InlineStack gap="200" blockAlign="start" key={index} wrap={false}>
                      <TextField
                        label="Date"
                        type="date"
                        value={holiday.date}
                        onChange={update("date")}
                        autoComplete="off"
                        error={problems[`holidays.${index}.date`]}
                      />
                      <TextField
                        label="Name"
                        value={holiday.name}
                        onChange={update("name")}
                        autoComplete="off"
                        placeholder="Christmas Day"
                        maxLength={100}
                        error={problems[`holidays.${index}.name`]}
                      />
                      <Box paddingBlockStart="600">
                        <Button
                          variant="plain"
                          tone="critical"
                          accessibilityLabel={`Remove holiday ${holiday.name || holiday.date}`}
                          onClick={() =>
                            change((current) => ({
                              ...current,
                              holidays: current.holidays.filter((_, at) => at !== index),
                            }))
                          }
                        >
                          Remove
                        </Button>
                      </Box>
                    </InlineStack>
                  );
                })}
                {problems.holidays && (
                  <Text as="p" tone="critical">
                    {problems.holidays}
                  </Text>
                )}
                <InlineStack>
                  <Button
                    onClick={() =>
                      change((current) => ({ ...current, holidays: [...current.holidays, { date: "", name: "" }] }))
                    }
                  >
                    Add holiday
                  </Button>
                </InlineStack>
              </BlockStack>
            </Card>

            <InlineStack align="end">
              <Button variant="primary" onClick={save} loading={fetcher.state !== "idle"}>
                Save
              </Button>
            </InlineStack>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
