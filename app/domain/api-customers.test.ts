import { describe, expect, it } from "vitest";
import {
  CustomerCreateSchema,
  customerObject,
  CustomerUpdateSchema,
  decodeCustomerCursor,
  encodeCustomerCursor,
} from "./api-customers";

const at = new Date("2026-12-01T10:00:00.000Z");

describe("customerObject", () => {
  it("shows the primary email, the name's parts, every address as a channel and the integrations given", () => {
    const row = {
      id: "6f1c1f9e-0000-4000-8000-000000000001",
      name: "Ada  de Maple",
      emails: ["ada@example.com", "ada@work.example"],
      phones: ["+4412345678"],
      note: null,
      createdAt: at,
      updatedAt: at,
    };
    expect(customerObject(row, { "3": { points: 10 } })).toMatchObject({
      email: "ada@example.com",
      firstname: "Ada",
      lastname: "de Maple",
      channels: [
        { type: "email", address: "ada@example.com", preferred: true },
        { type: "email", address: "ada@work.example", preferred: false },
        { type: "phone", address: "+4412345678", preferred: true },
      ],
      integrations: { "3": { points: 10 } },
      created_datetime: "2026-12-01T10:00:00.000+00:00",
      uri: `/api/customers/${row.id}/`,
    });
    expect(customerObject({ ...row, name: null, emails: [] })).toMatchObject({
      email: null,
      firstname: "",
      lastname: "",
    });
  });
});

describe("customer cursors", () => {
  it("round-trip and refuse anything the API did not give out", () => {
    const cursor = { at, id: "6f1c1f9e-0000-4000-8000-000000000001" };
    expect(decodeCustomerCursor(encodeCustomerCursor(cursor))).toEqual(cursor);
    expect(decodeCustomerCursor("bogus")).toBeNull();
    expect(decodeCustomerCursor(Buffer.from("c:2026-13-45T99:00:00.000Z|x").toString("base64url"))).toBeNull();
  });
});

describe("customer bodies", () => {
  it("lower-case the email and take name, else firstname and lastname", () => {
    expect(CustomerCreateSchema.parse({ email: " Ada@Example.com ".trim(), name: "Ada" })).toEqual({
      email: "ada@example.com",
      name: "Ada",
    });
    expect(CustomerCreateSchema.parse({ email: "a@b.example", firstname: "A", lastname: "B" }).name).toBe("A B");
    expect(CustomerCreateSchema.parse({ email: "a@b.example" }).name).toBeNull();
    expect(CustomerUpdateSchema.parse({})).toEqual({ email: undefined, name: undefined });
    expect(CustomerUpdateSchema.parse({ name: null }).name).toBeNull();
  });
});
