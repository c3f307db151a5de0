import { describe, expect, it } from "vitest";
import { describeSmtpError } from "./smtp.server";

const server = { host: "smtp.example.com", port: 587 };

describe("describeSmtpError", () => {
  it("gives the server's own reply when it answered", () => {
    const auth = {
      message: "Invalid login: 535 Authentication failed",
      response: "535 Authentication failed",
      command: "AUTH PLAIN",
    };
    expect(describeSmtpError(auth, server)).toBe("535 Authentication failed");
    expect(
      describeSmtpError({ message: "x", response: "500 Error: command not recognized", command: "STARTTLS" }, server),
    ).toBe("The server refused STARTTLS: 500 Error: command not recognized");
  });

  it("names network failures plainly", () => {
    expect(describeSmtpError({ message: "connect ECONNREFUSED 10.0.0.1:587", code: "ESOCKET" }, server)).toMatch(
      /^Connection refused by smtp\.example\.com:587/,
    );
    expect(describeSmtpError({ message: "getaddrinfo ENOTFOUND smtp.example.com", code: "EDNS" }, server)).toBe(
      "Host not found: smtp.example.com. Check the host name.",
    );
    expect(describeSmtpError({ message: "Greeting never received", code: "ETIMEDOUT" }, server)).toMatch(
      /^No answer from/,
    );
    expect(
      describeSmtpError({ message: "error:0A00010B:SSL routines::wrong version number\n", code: "ESOCKET" }, server),
    ).toMatch(/^TLS failed with smtp\.example\.com:587/);
    expect(describeSmtpError("something odd\n\nhappened", server)).toBe("something odd happened");
    expect(describeSmtpError({ message: "x".repeat(2000) }, server)).toHaveLength(500);
  });
});
