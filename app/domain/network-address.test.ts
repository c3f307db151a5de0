import { describe, expect, it } from "vitest";
import { blockedAddressReason, parseIPv4, parseIPv6 } from "./network-address";

describe("blockedAddressReason", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.1.2", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "private"],
    ["169.254.169.254", "link-local"],
    ["0.0.0.0", "unspecified"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fc00::1", "private"],
    ["fd12:3456::1", "private"],
    ["fe80::1%eth0", "link-local"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:169.254.169.254", "link-local"],
    ["::ffff:a00:1", "private"],
    ["64:ff9b::10.0.0.1", "private"],
    ["2002:7f00:1::", "loopback"],
    ["[::1]", "loopback"],
    // IPv4-translated (::ffff:0:a.b.c.d) and local-use NAT64 (64:ff9b:1::/48, a network's own gateway).
    ["::ffff:0:7f00:1", "loopback"],
    ["::ffff:0:169.254.169.254", "link-local"],
    ["64:ff9b:1::a9fe:a9fe", "private"],
    ["64:ff9b:1:ffff::1", "private"],
  ])("refuses %s as %s", (address, word) => {
    expect(blockedAddressReason(address)).toContain(word);
  });

  it.each([
    "8.8.8.8",
    "172.32.0.1",
    "172.15.255.255",
    "100.128.0.1",
    "2606:4700::1111",
    "::ffff:8.8.8.8",
    "93.184.216.34",
  ])("allows the public address %s", (address) => {
    expect(blockedAddressReason(address)).toBeNull();
  });

  it("refuses text that is not an address", () => {
    expect(blockedAddressReason("localhost")).toBe("not an IP address");
    expect(blockedAddressReason("1.2.3")).toBe("not an IP address");
    expect(blockedAddressReason("1::2::3")).toBe("not an IP address");
  });
});

describe("parsing", () => {
  it("reads IPv4 strictly", () => {
    expect(parseIPv4("1.2.3.4")).toBe(0x01020304n);
    expect(parseIPv4("256.0.0.1")).toBeNull();
    expect(parseIPv4("0x7f.0.0.1")).toBeNull();
  });
  it("reads IPv6 with :: and a dotted tail", () => {
    expect(parseIPv6("::ffff:1.2.3.4")).toBe(0xffff01020304n);
    expect(parseIPv6("1:2:3:4:5:6:7:8")).toBe(0x00010002000300040005000600070008n);
    expect(parseIPv6("1:2:3:4:5:6:7:8:9")).toBeNull();
  });
});
