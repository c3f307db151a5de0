import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMailCatcher, type MailCatcher } from "./mail-catcher.ts";

let catcher: MailCatcher;
beforeAll(async () => {
  catcher = await startMailCatcher();
});
afterAll(() => catcher.close());

const send = (mail: Record<string, unknown>, auth?: { user: string; pass: string }) =>
  nodemailer
    .createTransport({ host: catcher.host, port: catcher.smtpPort, ignoreTLS: true, ...(auth ? { auth } : {}) })
    .sendMail({ from: "Maple <support@maple.example>", to: "ava@example.com", text: "Hello", ...mail });

describe("the demo's mail catcher", () => {
  it("keeps each message parsed, with its threading headers, and lists it on its page, escaped", async () => {
    await send({
      subject: "Re: <b>Where</b> is my parcel?",
      messageId: "<r1@maple.example>",
      inReplyTo: "<m2@mail.example>",
      references: ["<m1@mail.example>", "<m2@mail.example>"],
      text: "It ships today.\n<script>alert(1)</script>",
    });
    const mail = await catcher.waitFor((caught) => caught.messageId === "<r1@maple.example>");
    expect(mail).toMatchObject({
      from: '"Maple" <support@maple.example>',
      to: "ava@example.com",
      envelope: { from: "support@maple.example", to: ["ava@example.com"] },
      subject: "Re: <b>Where</b> is my parcel?",
      inReplyTo: "<m2@mail.example>",
      references: ["<m1@mail.example>", "<m2@mail.example>"],
      login: null,
    });
    expect(mail.text).toContain("It ships today.");

    const page = await (await fetch(catcher.url!)).text();
    expect(page).toContain("Re: &#60;b&#62;Where&#60;/b&#62; is my parcel?");
    expect(page).toContain("&#60;r1@maple.example&#62;");
    expect(page).not.toContain("<script>alert(1)</script>");
    const listed = (await (await fetch(`${catcher.url}/messages.json`)).json()) as { messageId: string }[];
    expect(listed.map((caught) => caught.messageId)).toContain("<r1@maple.example>");
  });

  it("refuses recipients and logins when told to, with the server's words", async () => {
    catcher.refuseRecipients("550 5.1.1 Mailbox unavailable");
    await expect(send({ subject: "refused" })).rejects.toMatchObject({ response: "550 5.1.1 Mailbox unavailable" });
    catcher.refuseRecipients(null);

    catcher.requireLogin({ user: "shop", pass: "right" });
    await expect(send({ subject: "no login" })).rejects.toMatchObject({ responseCode: 530 });
    await expect(send({ subject: "bad login" }, { user: "shop", pass: "wrong" })).rejects.toMatchObject({
      response: "535 Authentication failed",
    });
    await send({ subject: "logged in" }, { user: "shop", pass: "right" });
    expect((await catcher.waitFor((caught) => caught.subject === "logged in")).login).toBe("shop");
    catcher.requireLogin(null);
    expect(catcher.messages().map((caught) => caught.subject)).not.toContain("refused");
  });
});

describe("a catcher whose page port is taken", () => {
  it("fails to start without leaving its SMTP server behind", async () => {
    const taken = Number(new URL(catcher.url!).port);
    await expect(startMailCatcher({ webPort: taken })).rejects.toMatchObject({ code: "EADDRINUSE" });
  });
});
