import { describe, expect, it } from "vitest";
import {
  describeMacroActions,
  MACRO_LANGUAGES,
  MACRO_VARIABLES,
  macroActionsSchema,
  macroFormFields,
  MacroFormSchema,
  MacroListQuerySchema,
  macroValues,
  missingVariables,
  previewLine,
  readMacroActions,
  renderTemplate,
  sampleValues,
  SAMPLE_FACTS,
  splitName,
  STARTER_MACRO_KEYS,
  STARTER_MACROS,
  templateProblems,
  templateVariables,
  type MacroFacts,
} from "./macros";
import { SHOPPER_ORDER_STATUSES } from "./order-status";
import { MAX_MESSAGE_LENGTH } from "./tickets";

const values = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe("rendering a macro's text", () => {
  it("fills variables, with or without spaces inside the braces", () => {
    const text = "Hi {{ticket.customer.firstname}}, order {{  ticket.order.name  }} from {{ shop.name }}.";
    expect(
      renderTemplate(
        text,
        values({ "ticket.customer.firstname": "Ava", "ticket.order.name": "#1001", "shop.name": "Maple" }),
      ),
    ).toBe("Hi Ava, order #1001 from Maple.");
  });

  it("renders a missing value as nothing, never as braces, and tidies the space before punctuation", () => {
    expect(renderTemplate("Hi {{ ticket.customer.firstname }},", values({}))).toBe("Hi,");
    expect(renderTemplate("Merci {{ ticket.customer.firstname }} !", values({}))).toBe("Merci !");
    expect(renderTemplate("Order {{ ticket.order.name }} is late", values({}))).toBe("Order is late");
    expect(renderTemplate("Hi {{ ticket.customer.firstname }} {{ ticket.customer.lastname }}.", values({}))).toBe(
      "Hi.",
    );
    expect(renderTemplate("{{ ticket.order.name }}", values({ "ticket.order.name": "" }))).toBe("");
  });

  it("renders unknown variables as nothing", () => {
    expect(renderTemplate("a{{ ticket.customer.password }}b{{nope}}c{{ ticket }}d", values({}))).toBe("abcd");
  });

  it("never reaches object properties: prototype paths are unknown variables", () => {
    const text = "{{constructor}}{{__proto__}}{{ toString }}{{ ticket.constructor.name }}{{ values.get }}";
    expect(renderTemplate(text, values({}))).toBe("");
    expect(renderTemplate("{{ __proto__.polluted }}", values({}))).toBe("");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("runs no code: expressions, calls and templates are not variables", () => {
    const text = "{{ 1 + 1 }}{{ process.exit() }}{{ `x` }}{{ ticket.number; alert(1) }}${ticket.number}";
    expect(renderTemplate(text, values({ "ticket.number": "7" }))).toBe("${ticket.number}");
  });

  it("leaves text that is not a complete {{ }} pair as typed", () => {
    expect(renderTemplate("{ticket.number} {{ticket.number", values({ "ticket.number": "7" }))).toBe(
      "{ticket.number} {{ticket.number",
    );
    expect(renderTemplate("{{{ticket.number}}}", values({ "ticket.number": "7" }))).toBe("{7}");
    expect(renderTemplate("}} and {{", values({}))).toBe("}} and {{");
  });

  it("uses the default when the value is missing, and the value when it is there", () => {
    const text = `Hi {{ ticket.customer.firstname | default: "there" }}, {{ shop.name|default:'us' }}`;
    expect(renderTemplate(text, values({}))).toBe("Hi there, us");
    expect(renderTemplate(text, values({ "ticket.customer.firstname": "Ava", "shop.name": "Maple" }))).toBe(
      "Hi Ava, Maple",
    );
  });

  it("accepts Liquid's first_name spelling and any letter case", () => {
    expect(
      renderTemplate(
        "{{ ticket.customer.first_name }} {{ Ticket.Customer.FirstName }}",
        values({ "ticket.customer.firstname": "Ava" }),
      ),
    ).toBe("Ava Ava");
  });

  it("does not interpret values: braces in a value stay as the customer's text", () => {
    expect(renderTemplate("{{ ticket.subject }}", values({ "ticket.subject": "{{ shop.name }} $& $1" }))).toBe(
      "{{ shop.name }} $& $1",
    );
  });

  it("drops NUL characters", () => {
    expect(renderTemplate("a\u0000b", values({}))).toBe("ab");
  });

  it("lists the variables used and those without a value", () => {
    const text = '{{ ticket.order.name }} {{ shop.name | default: "us" }} {{ ticket.order.name }} {{ nope }}';
    expect(templateVariables(text)).toEqual(["ticket.order.name", "shop.name"]);
    expect(missingVariables(text, values({}))).toEqual(["ticket.order.name"]);
  });

  it("knows only the variables it is given: a widget's own fields instead of the macro variables", () => {
    const fields = values({ id: "1001", order_name: "#1042", address1: "12 Rue des Lilas" });
    expect(renderTemplate("Return {{order_name}} at {{ address1 }}", fields, fields)).toBe(
      "Return #1042 at 12 Rue des Lilas",
    );
    // The macro variables are unknown there, and a widget's field is unknown to a macro.
    expect(renderTemplate("{{ticket.number}}/{{id}}", values({ "ticket.number": "7", id: "1" }), fields)).toBe("/1");
    expect(renderTemplate("{{id}}", fields)).toBe("");
    expect(missingVariables("/returns/{{id}}/{{state}}", fields, new Set(["id", "state"]))).toEqual(["state"]);
  });
});

describe("checking a macro's text", () => {
  it("accepts every variable of the catalogue and a default", () => {
    const all = MACRO_VARIABLES.map((variable) => `{{ ${variable.path} }}`).join(" ");
    expect(templateProblems(all)).toEqual([]);
    expect(templateProblems(`{{ ticket.customer.firstname | default: "there" }}`)).toEqual([]);
  });

  it("names unknown variables, broken expressions and unclosed braces", () => {
    expect(templateProblems("Hi {{ ticket.custmer.name }}")).toEqual([
      "{{ ticket.custmer.name }} is not a variable Shopdesk knows. Choose one from the list of variables.",
    ]);
    expect(templateProblems("{{ 1 + 1 }}")[0]).toMatch(/is not a variable/);
    expect(templateProblems("{{constructor}}")[0]).toMatch(/is not a variable Shopdesk knows/);
    expect(templateProblems("Hi {{ ticket.customer.firstname ,")).toEqual([
      "A variable is not closed: each {{ needs a matching }}.",
    ]);
    expect(templateProblems("Hi { name }")).toEqual([]);
  });
});

describe("values from a ticket's facts", () => {
  it("fills every variable of the catalogue from complete facts", () => {
    for (const language of MACRO_LANGUAGES) {
      const filled = macroValues(SAMPLE_FACTS, language);
      expect(MACRO_VARIABLES.filter((variable) => !filled.get(variable.path))).toEqual([]);
    }
  });

  it("writes dates, money, statuses and channels in the macro's language", () => {
    expect(sampleValues("en").get("ticket.order.status")).toBe("In transit");
    expect(sampleValues("fr").get("ticket.order.status")).toBe("En transit");
    expect(sampleValues("de").get("ticket.order.status")).toBe("Unterwegs");
    expect(sampleValues("es").get("ticket.order.status")).toBe("En tránsito");
    expect(sampleValues("en").get("ticket.order.created_at")).toBe("March 3, 2026");
    expect(sampleValues("fr").get("ticket.order.created_at")).toBe("3 mars 2026");
    expect(sampleValues("de").get("ticket.order.total")).toMatch(/^89,99\s€$/);
    expect(sampleValues("es").get("ticket.channel")).toBe("correo electrónico");
    expect(sampleValues("en").get("ticket.order.items")).toBe("2 × Aviator sunglasses, Canvas tote");
  });

  it("has shopper-facing words for every order status in every language", () => {
    for (const language of MACRO_LANGUAGES) {
      for (const status of SHOPPER_ORDER_STATUSES) {
        const facts: MacroFacts = { ...SAMPLE_FACTS, order: { ...SAMPLE_FACTS.order!, shopperStatus: status } };
        expect(macroValues(facts, language).get("ticket.order.status"), `${language} ${status}`).not.toBe("");
      }
    }
    const unknown: MacroFacts = { ...SAMPLE_FACTS, order: { ...SAMPLE_FACTS.order!, shopperStatus: "constructor" } };
    expect(macroValues(unknown, "en").get("ticket.order.status")).toBe("");
  });

  it("leaves missing facts empty: no customer, order, store or agent", () => {
    const empty = macroValues({ ticket: null, customer: null, order: null, shop: null, agent: null }, "en");
    expect([...empty.values()].every((value) => value === "")).toBe(true);
  });

  it("splits a full name when there is no first name of its own", () => {
    expect(splitName("  Ava  Maria Lind ")).toEqual(["Ava", "Maria Lind"]);
    expect(splitName(null)).toEqual(["", ""]);
    const facts: MacroFacts = {
      ...SAMPLE_FACTS,
      customer: { name: "Jonas Weber", firstName: null, lastName: null, email: null, phone: null },
    };
    const filled = macroValues(facts, "de");
    expect([filled.get("ticket.customer.firstname"), filled.get("ticket.customer.lastname")]).toEqual([
      "Jonas",
      "Weber",
    ]);
  });

  it("cuts a preview to one line", () => {
    expect(previewLine("\n\n  Hi   there,\nsecond line")).toBe("Hi there,");
    expect(previewLine("x".repeat(150), 20)).toBe(`${"x".repeat(19)}…`);
    expect(previewLine("   ")).toBe("");
  });
});

describe("actions", () => {
  it("accepts each action and normalises tags", () => {
    const agentId = "6f1c1f55-8d0a-4a53-8c43-7a8d8bb1e0b7";
    expect(
      macroActionsSchema.parse({
        status: "snoozed",
        snoozeHours: 24,
        addTags: [" Refund ", "VIP"],
        removeTags: ["new"],
        assignTo: agentId,
        priority: "high",
      }),
    ).toEqual({
      status: "snoozed",
      snoozeHours: 24,
      addTags: ["refund", "vip"],
      removeTags: ["new"],
      assignTo: agentId,
      priority: "high",
    });
    expect(macroActionsSchema.parse({})).toEqual({});
    expect(macroActionsSchema.parse({ status: "closed", snoozeHours: 24 })).toEqual({ status: "closed" });
  });

  it("refuses what cannot be applied", () => {
    const bad = [
      { status: "deleted" },
      { status: "snoozed" },
      { status: "snoozed", snoozeHours: 5 },
      { assignTo: "someone" },
      { priority: "asap" },
      { addTags: ["a,b"] },
      { addTags: ["x"], removeTags: ["X"] },
      { addTags: Array.from({ length: 21 }, (_, index) => `t${index}`) },
    ];
    for (const actions of bad)
      expect(macroActionsSchema.safeParse(actions).success, JSON.stringify(actions)).toBe(false);
  });

  it("reads stored actions it cannot understand as none", () => {
    expect(readMacroActions({ status: "exploded" })).toEqual({ actions: {}, readable: false });
    expect(readMacroActions(null)).toEqual({ actions: {}, readable: true });
  });

  it("describes actions in words", () => {
    const agentId = "6f1c1f55-8d0a-4a53-8c43-7a8d8bb1e0b7";
    expect(
      describeMacroActions(
        {
          addTags: ["refund"],
          removeTags: ["new"],
          priority: "urgent",
          assignTo: agentId,
          status: "snoozed",
          snoozeHours: 72,
        },
        new Map([[agentId, "Bea Martin"]]),
      ),
    ).toEqual([
      "Add tags: refund",
      "Remove tags: new",
      "Set priority to Urgent",
      "Assign to Bea Martin",
      "Snooze the ticket for 3 days",
    ]);
    expect(describeMacroActions({ assignTo: "me", status: "closed" })).toEqual([
      "Assign to whoever applies it",
      "Close the ticket",
    ]);
    expect(describeMacroActions({ assignTo: agentId })).toEqual(["Assign to an agent who is no longer here"]);
  });
});

describe("the settings form", () => {
  const save = (fields: Record<string, string>) =>
    MacroFormSchema.safeParse({
      intent: "save",
      name: "Refund",
      language: "en",
      body: "Hi {{ shop.name }}",
      ...fields,
    });

  it("turns the form's fields into a macro with its actions", () => {
    const parsed = save({
      name: "  Refund   issued ",
      status: "snoozed",
      snoozeHours: "168",
      addTags: "refund, VIP ,",
      removeTags: "",
      assignTo: "me",
      priority: "",
    });
    expect(parsed.success && parsed.data).toEqual({
      intent: "save",
      id: undefined,
      name: "Refund issued",
      language: "en",
      body: "Hi {{ shop.name }}",
      actions: { status: "snoozed", snoozeHours: 168, addTags: ["refund", "vip"], assignTo: "me" },
    });
  });

  it("refuses a missing name, another language, NUL bytes, an oversized body and unknown variables", () => {
    const message = (fields: Record<string, string>) => {
      const parsed = save(fields);
      return parsed.success ? null : parsed.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`);
    };
    expect(message({ name: "   " })).toEqual(["name: Give the macro a name."]);
    expect(message({ name: "x".repeat(81) })).toEqual(["name: A name is at most 80 characters."]);
    expect(message({ language: "it" })).toEqual(["language: Choose the language the text is written in."]);
    expect(message({ body: "Hi\u0000" })?.[0]).toMatch(/^body: This text contains a character that cannot be saved/);
    expect(message({ name: "a\u0000" })?.[0]).toMatch(/^name: This text contains a character/);
    expect(message({ body: "x".repeat(MAX_MESSAGE_LENGTH + 1) })).toEqual([
      "body: The text is at most 64 KiB; shorten it.",
    ]);
    expect(message({ body: "x".repeat(MAX_MESSAGE_LENGTH) })).toBeNull();
    expect(message({ body: "  \n " })).toEqual(["body: Write the text of the reply."]);
    expect(message({ body: "Hi {{ ticket.customer.password }}" })?.[0]).toMatch(/is not a variable Shopdesk knows/);
    expect(message({ status: "snoozed" })).toEqual(["snoozeHours: Choose how long to snooze."]);
    expect(message({ assignTo: "not-an-agent" })).toEqual(["assignTo: Choose who gets the ticket."]);
    expect(message({ id: "123" })).toEqual(["id: This macro does not exist."]);
  });

  it("reads delete and add-starters forms, and refuses unknown ones", () => {
    expect(MacroFormSchema.safeParse({ intent: "delete", ids: "nope" }).success).toBe(false);
    expect(MacroFormSchema.safeParse({ intent: "delete", ids: "" }).success).toBe(false);
    const id = "6f1c1f55-8d0a-4a53-8c43-7a8d8bb1e0b7";
    expect(MacroFormSchema.parse({ intent: "delete", ids: `${id}, ${id}` })).toEqual({ intent: "delete", ids: [id] });
    expect(MacroFormSchema.parse({ intent: "add-starters" })).toEqual({
      intent: "add-starters",
      languages: ["en", "fr", "de", "es"],
    });
    expect(MacroFormSchema.parse({ intent: "add-starters", languages: "fr,fr,de" })).toEqual({
      intent: "add-starters",
      languages: ["fr", "de"],
    });
    expect(MacroFormSchema.safeParse({ intent: "add-starters", languages: "klingon" }).success).toBe(false);
    const unknown = MacroFormSchema.safeParse({ intent: "drop" });
    expect(unknown.success || unknown.error.issues[0]?.message).toBe("Unknown macro form.");
  });

  it("gives a macro's fields back as the form sends them", () => {
    const fields = macroFormFields({
      name: "Refund",
      language: "en",
      body: "Hi",
      actions: { addTags: ["refund", "vip"], status: "snoozed", snoozeHours: 72, assignTo: "me" },
    });
    expect(MacroFormSchema.parse({ intent: "save", ...fields })).toMatchObject({
      actions: { addTags: ["refund", "vip"], status: "snoozed", snoozeHours: 72, assignTo: "me" },
    });
  });

  it("reads the list's query", () => {
    expect(MacroListQuerySchema.parse({ q: "  refund ", language: "fr" })).toEqual({ q: "refund", language: "fr" });
    expect(MacroListQuerySchema.safeParse({ language: "xx" }).success).toBe(false);
    expect(MacroListQuerySchema.safeParse({ q: "\u0000" }).success).toBe(false);
  });
});

describe("the starter set", () => {
  it("has every macro in every language, once", () => {
    expect(STARTER_MACRO_KEYS.length).toBeGreaterThanOrEqual(6);
    for (const key of STARTER_MACRO_KEYS) {
      expect(
        STARTER_MACROS.filter((macro) => macro.key === key)
          .map((macro) => macro.language)
          .sort(),
        key,
      ).toEqual([...MACRO_LANGUAGES].sort());
    }
    expect(STARTER_MACROS).toHaveLength(STARTER_MACRO_KEYS.length * MACRO_LANGUAGES.length);
  });

  it("has names unique per language, valid texts and actions, and uses variables", () => {
    for (const language of MACRO_LANGUAGES) {
      const names = STARTER_MACROS.filter((macro) => macro.language === language).map((macro) => macro.name);
      expect(new Set(names).size, language).toBe(names.length);
    }
    for (const macro of STARTER_MACROS) {
      const label = `${macro.key} (${macro.language})`;
      const parsed = MacroFormSchema.safeParse({
        intent: "save",
        name: macro.name,
        language: macro.language,
        body: macro.body,
      });
      expect(parsed.success ? [] : parsed.error.issues.map((issue) => issue.message), label).toEqual([]);
      expect(templateProblems(macro.body), label).toEqual([]);
      expect(templateVariables(macro.body), label).toContain("ticket.customer.firstname");
      expect(macroActionsSchema.parse(macro.actions), label).toEqual(macro.actions);
    }
  });

  it("reads well with nothing known, and with everything known", () => {
    for (const macro of STARTER_MACROS) {
      const empty = renderTemplate(macro.body, new Map());
      // French puts a space before : ; ! ? on purpose; no language before , or . nor two spaces.
      expect(empty, macro.key).not.toMatch(/[{}]| [,.]|[^\S\n]{2}/);
      const full = renderTemplate(macro.body, sampleValues(macro.language));
      expect(full, macro.key).toContain("Ava");
      expect(full).not.toMatch(/[{}]/);
    }
  });
});
