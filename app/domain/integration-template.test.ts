import { describe, expect, it } from "vitest";
import {
  integrationTemplateValues,
  renderIntegrationRequest,
  renderIntegrationUrl,
  type IntegrationFacts,
} from "./integration-template";

const FACTS: IntegrationFacts = {
  ticket: {
    number: 42,
    subject: "Where is my order?",
    status: "open",
    channel: "email",
    priority: "high",
    tags: ["returns", "vip"],
  },
  customer: {
    id: "c-1",
    name: "Ava Lind",
    firstName: null,
    lastName: null,
    email: "ava+shop@example.com",
    phone: null,
  },
  order: { name: "#1042" },
  assignee: { name: "Bea Martin", email: "bea@maple.example" },
};

const values = integrationTemplateValues(FACTS);

describe("integrationTemplateValues", () => {
  it("gives the anchor's variables: ticket.id is the number agents see", () => {
    expect(values.get("ticket.id")).toBe("42");
    expect(values.get("ticket.status")).toBe("open");
    expect(values.get("ticket.tags")).toBe("returns,vip");
    expect(values.get("ticket.customer.firstname")).toBe("Ava");
    expect(values.get("ticket.customer.lastname")).toBe("Lind");
    expect(values.get("ticket.order.name")).toBe("#1042");
    expect(values.get("ticket.assignee_user.email")).toBe("bea@maple.example");
  });

  it("leaves what is missing empty", () => {
    const bare = integrationTemplateValues({ ticket: null, customer: null, order: null, assignee: null });
    expect(renderIntegrationUrl("https://x.example/?e={{ticket.customer.email}}&o={{ticket.order.name}}", bare)).toBe(
      "https://x.example/?e=&o=",
    );
  });
});

describe("renderIntegrationUrl", () => {
  it("URL-encodes values so they cannot add parameters or change the path", () => {
    const tricky = new Map([...values, ["ticket.subject", "a&admin=1/../x"]]);
    expect(
      renderIntegrationUrl(
        "https://api.loop.example/customers?email={{ticket.customer.email}}&order={{ ticket.order.name }}&s={{ticket.subject}}",
        tricky,
      ),
    ).toBe("https://api.loop.example/customers?email=ava%2Bshop%40example.com&order=%231042&s=a%26admin%3D1%2F..%2Fx");
  });

  it("renders unknown variables as nothing, like macros", () => {
    expect(renderIntegrationUrl("https://x.example/{{constructor}}/{{ticket.secret}}", values)).toBe(
      "https://x.example//",
    );
  });
});

describe("renderIntegrationRequest", () => {
  const http = {
    url: "https://hooks.example/t/{{ticket.id}}",
    method: "post",
    form: {
      email: "{{ticket.customer.email}}",
      nested: { order: "{{ticket.order.name}}", n: 3 },
      list: ["{{ticket.id}}"],
    },
    request_content_type: "application/json",
  };

  it("sends the form as JSON with raw values and headers rendered", () => {
    const request = renderIntegrationRequest(http, { "X-Customer": "{{ticket.customer.email}}" }, values);
    expect(request.method).toBe("POST");
    expect(request.url).toBe("https://hooks.example/t/42");
    expect(request.headers).toEqual({ "X-Customer": "ava+shop@example.com", "content-type": "application/json" });
    expect(JSON.parse(request.body!)).toEqual({
      email: "ava+shop@example.com",
      nested: { order: "#1042", n: 3 },
      list: ["42"],
    });
  });

  it("form-encodes when asked, objects as JSON text", () => {
    const request = renderIntegrationRequest(
      { ...http, request_content_type: "application/x-www-form-urlencoded" },
      {},
      values,
    );
    expect(request.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    const sent = new URLSearchParams(request.body);
    expect(sent.get("email")).toBe("ava+shop@example.com");
    expect(sent.get("nested")).toBe('{"order":"#1042","n":3}');
  });

  it("sends no body for GET and keeps a header value on one line", () => {
    const tricky = new Map([...values, ["ticket.subject", "hi\r\nX-Evil: 1"]]);
    const request = renderIntegrationRequest({ ...http, method: "GET" }, { "X-Subject": "{{ticket.subject}}" }, tricky);
    expect(request.body).toBeUndefined();
    expect(request.headers).toEqual({ "X-Subject": "hi X-Evil: 1" });
  });
});
