import ipaddr from "ipaddr.js";

/**
 * Which addresses HelixAgent may connect to when it talks to an agent on a user's behalf.
 *
 * "always" ranges are never reachable, whatever the organization allows: link-local (where cloud
 * metadata services live and hand out credentials), multicast, broadcast and unspecified addresses.
 * "private" ranges are the organization's own networks: reachable only when it allows private networks.
 */
export type AddressClass =
  | { blocked: null; address: string }
  | { blocked: "always" | "private"; address: string; range: string };

type Ranges = ReadonlyArray<readonly [cidr: [ipaddr.IPv4 | ipaddr.IPv6, number], label: string]>;

const cidrs = (list: ReadonlyArray<readonly [string, string]>): Ranges => list.map(([cidr, label]) => [ipaddr.parseCIDR(cidr), label] as const);

// Checked first, so fd00:ec2::254 (inside fc00::/7) counts as metadata, not as a private address.
const ALWAYS_BLOCKED = cidrs([
  ["0.0.0.0/8", "unspecified"],
  ["169.254.0.0/16", "link-local (cloud metadata)"],
  ["100.100.100.200/32", "cloud metadata"],
  ["224.0.0.0/4", "multicast"],
  ["255.255.255.255/32", "broadcast"],
  ["240.0.0.0/4", "reserved"],
  ["::/128", "unspecified"],
  ["fe80::/10", "link-local"],
  ["fec0::/10", "site-local"],
  ["fd00:ec2::254/128", "cloud metadata"],
  ["ff00::/8", "multicast"],
]);

const PRIVATE = cidrs([
  ["10.0.0.0/8", "private"],
  ["172.16.0.0/12", "private"],
  ["192.168.0.0/16", "private"],
  ["127.0.0.0/8", "loopback"],
  ["100.64.0.0/10", "carrier-grade NAT"],
  ["::1/128", "loopback"],
  ["fc00::/7", "unique local"],
]);

// IPv6 forms that carry an IPv4 address the packet ends up at: IPv4-mapped (::ffff:a.b.c.d),
// IPv4-translated (::ffff:0:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d). Judged by the IPv4 inside.
const EMBEDS_IPV4 = cidrs([
  ["::ffff:0:0/96", "IPv4-mapped"],
  ["::ffff:0:0:0/96", "IPv4-translated"],
  ["64:ff9b::/96", "NAT64"],
]);

function matchRange(ip: ipaddr.IPv4 | ipaddr.IPv6, ranges: Ranges): string | null {
  for (const [cidr, label] of ranges) {
    if (ip.kind() === cidr[0].kind() && ip.match(cidr)) return label;
  }
  return null;
}

function embeddedIPv4(ip: ipaddr.IPv6): ipaddr.IPv4 | null {
  if (!matchRange(ip, EMBEDS_IPV4)) return null;
  const bytes = ip.toByteArray().slice(12);
  return new ipaddr.IPv4(bytes);
}

/** Classifies one IP address (v4 or v6, with or without brackets). Anything unparseable is blocked. */
export function classifyAddress(address: string): AddressClass {
  const text = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (!ipaddr.isValid(text)) return { blocked: "always", address, range: "not an IP address" };
  let ip = ipaddr.parse(text);
  if (ip.kind() === "ipv6") {
    const inner = embeddedIPv4(ip as ipaddr.IPv6);
    if (inner) ip = inner;
  }
  const always = matchRange(ip, ALWAYS_BLOCKED);
  if (always) return { blocked: "always", address, range: always };
  const priv = matchRange(ip, PRIVATE);
  if (priv) return { blocked: "private", address, range: priv };
  return { blocked: null, address };
}

/** The reason an address may not be reached under `allowPrivateNetworks`, or null when it may. */
export function blockedReason(address: string, policy: { allowPrivateNetworks: boolean }): Exclude<AddressClass, { blocked: null }> | null {
  const c = classifyAddress(address);
  if (c.blocked === "always") return c;
  if (c.blocked === "private" && !policy.allowPrivateNetworks) return c;
  return null;
}

/** True for a literal IP address (IPv6 possibly in brackets), as opposed to a host name. */
export function isIpLiteral(host: string): boolean {
  return ipaddr.isValid(host.replace(/^\[|\]$/g, ""));
}
