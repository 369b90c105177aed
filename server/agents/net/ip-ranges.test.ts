import { describe, expect, it } from "vitest";
import { blockedReason, classifyAddress, isIpLiteral } from "./ip-ranges";

describe("classifyAddress", () => {
  it.each([
    // always blocked: metadata, link-local, unspecified, multicast, broadcast, reserved
    ["169.254.169.254", "always", "link-local (cloud metadata)"],
    ["169.254.0.1", "always", "link-local (cloud metadata)"],
    ["169.254.255.255", "always", "link-local (cloud metadata)"],
    ["100.100.100.200", "always", "cloud metadata"],
    ["0.0.0.0", "always", "unspecified"],
    ["0.1.2.3", "always", "unspecified"],
    ["224.0.0.1", "always", "multicast"],
    ["239.255.255.250", "always", "multicast"],
    ["255.255.255.255", "always", "broadcast"],
    ["240.0.0.1", "always", "reserved"],
    ["::", "always", "unspecified"],
    ["fe80::1", "always", "link-local"],
    ["febf:ffff::1", "always", "link-local"],
    ["[fe80::1]", "always", "link-local"],
    ["fe80::1%eth0", "always", "link-local"],
    ["fd00:ec2::254", "always", "cloud metadata"],
    ["ff02::1", "always", "multicast"],
    ["fec0::1", "always", "site-local"],
    // IPv4 inside IPv6 is judged by the IPv4
    ["::ffff:169.254.169.254", "always", "link-local (cloud metadata)"],
    ["::ffff:a9fe:a9fe", "always", "link-local (cloud metadata)"],
    ["64:ff9b::169.254.169.254", "always", "link-local (cloud metadata)"],
    ["::ffff:0:169.254.169.254", "always", "link-local (cloud metadata)"],
    ["::ffff:127.0.0.1", "private", "loopback"],
    ["::ffff:10.1.2.3", "private", "private"],
    ["64:ff9b::10.0.0.1", "private", "private"],
    ["::ffff:8.8.8.8", null, null],
    // private: blocked unless the organization allows private networks
    ["10.0.0.5", "private", "private"],
    ["10.255.255.255", "private", "private"],
    ["172.16.0.1", "private", "private"],
    ["172.31.255.254", "private", "private"],
    ["192.168.1.10", "private", "private"],
    ["127.0.0.1", "private", "loopback"],
    ["127.255.0.9", "private", "loopback"],
    ["100.64.0.1", "private", "carrier-grade NAT"],
    ["100.127.255.254", "private", "carrier-grade NAT"],
    ["::1", "private", "loopback"],
    ["[::1]", "private", "loopback"],
    ["fc00::1", "private", "unique local"],
    ["fd12:3456:789a::1", "private", "unique local"],
    // public, including the neighbours of blocked ranges
    ["8.8.8.8", null, null],
    ["1.1.1.1", null, null],
    ["172.15.255.255", null, null],
    ["172.32.0.0", null, null],
    ["169.253.255.255", null, null],
    ["169.255.0.0", null, null],
    ["100.63.255.255", null, null],
    ["100.128.0.0", null, null],
    ["100.100.100.201", "private", "carrier-grade NAT"],
    ["11.0.0.1", null, null],
    ["128.0.0.1", null, null],
    ["223.255.255.255", null, null],
    ["2001:4860:4860::8888", null, null],
    ["2606:4700::1111", null, null],
    ["fe00::1", null, null],
    // junk is never reachable
    ["not-an-ip", "always", "not an IP address"],
    ["", "always", "not an IP address"],
    ["999.1.1.1", "always", "not an IP address"],
  ])("%s → %s (%s)", (address, blocked, range) => {
    const c = classifyAddress(address);
    expect(c.blocked).toBe(blocked);
    if (c.blocked) expect(c.range).toBe(range);
  });
});

describe("blockedReason", () => {
  const closed = { allowPrivateNetworks: false };
  const open = { allowPrivateNetworks: true };

  it.each([
    ["127.0.0.1", true, false],
    ["10.0.0.5", true, false],
    ["::1", true, false],
    ["fd12::1", true, false],
    ["100.64.1.1", true, false],
    ["169.254.169.254", true, true],
    ["fe80::1", true, true],
    ["fd00:ec2::254", true, true],
    ["0.0.0.0", true, true],
    ["224.0.0.1", true, true],
    ["8.8.8.8", false, false],
  ])("%s: blocked with private networks off=%s, on=%s", (address, whenClosed, whenOpen) => {
    expect(blockedReason(address, closed) !== null).toBe(whenClosed);
    expect(blockedReason(address, open) !== null).toBe(whenOpen);
  });
});

describe("isIpLiteral", () => {
  it.each([
    ["127.0.0.1", true],
    ["[::1]", true],
    ["::ffff:10.0.0.1", true],
    ["localhost", false],
    ["agent.example.com", false],
  ])("%s → %s", (host, expected) => {
    expect(isIpLiteral(host)).toBe(expected);
  });
});
