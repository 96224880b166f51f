// NodeMCU's net.ifinfo(), net.multicastJoin(), net.multicastLeave() and the ttl() method of sockets, on xsnet's
// core/netif. References to "net.c" are nodemcu-firmware's app/modules/net.c (ESP8266, dev).
import { interfaceInfo, isMulticast, joinGroup, leaveGroup, socketTTL, TTL_MIN, TTL_MAX } from "xsnet/core/netif";
import type { InterfaceInfo } from "xsnet/core/netif";
import { parseIPv4 } from "xsnet/core/ip";
import { toInteger } from "xsnet/core/lua";
import { fail } from "nodemcu/checks";

/** What net.ifinfo() returns (a Lua table in NodeMCU). */
export type IfInfo = InterfaceInfo;

/**
 * Address configuration of interface `index`: 0 (default) = station, 1 = access point (STATION_INTERFACE,
 * ACCESS_POINT_INTERFACE of core/netif).
 * Returns `{ip, netmask, gateway, hwaddr, dhcp}`: dotted quads, each absent (undefined) while unset — typically
 * `gateway` (net.c: nil for 0.0.0.0); `hwaddr` the MAC address as text, "5c:cf:7f:01:02:03" (NodeMCU gives the
 * 6 raw bytes as a Lua string; JS strings are text, and this is the form wifi.sta.getmac() prints); `dhcp`
 * `{server_ip, client_ip, ntp_server}` only when DHCP configured the interface (boards).
 * Returns undefined for any other index, or when the interface does not exist (the simulator has no access
 * point). Source: net.c net_ifinfo() (3.x).
 * @throws Error "wrong arg type" when `index` is not an integer or a decimal string (luaL_checkinteger).
 */
export function ifinfo(index?: number): IfInfo | undefined {
	const i = index === undefined || index === null ? 0 : toInteger(index);
	if (i === undefined) fail("wrong arg type");
	return interfaceInfo(i);
}

/**
 * The two addresses of multicastJoin/Leave, checked in net.c's order: interface ("" or "any", any case, =
 * "0.0.0.0", every interface), then group. Stricter than net.c, which only checks the strings' lengths (7..15)
 * and passes anything else to lwIP, whose error it ignores: a malformed address or a group outside
 * 224.0.0.0/4 is refused here.
 */
function multicastArguments(ifIp: unknown, multicastIp: unknown): [string, string] {
	if (typeof ifIp !== "string") fail("wrong arg type");
	const ifAddress = (ifIp === "" || ifIp.toLowerCase() === "any") ? "0.0.0.0" : parseIPv4(ifIp);
	if (ifAddress === undefined) fail("invalid if ip");
	if (typeof multicastIp !== "string") fail("wrong arg type");
	const group = parseIPv4(multicastIp);
	if (group === undefined || !isMulticast(group)) fail("invalid multicast ip");
	return [ifAddress, group];
}

/**
 * Join multicast group `multicastIp` on the interface with address `ifIp` ("" or "any": every interface). The
 * membership belongs to the device, not to a socket: every UDP socket bound to the group's port receives the
 * group's datagrams (lwIP igmp_joingroup(), as NodeMCU). Joining twice is harmless. Returns nothing.
 * @throws Error "wrong arg type" (an address is not a string), "invalid if ip", "invalid multicast ip"
 *   (malformed, or not in 224.0.0.0/4); the host's message when it cannot join (NodeMCU ignores lwIP's error).
 *   Source: net.c net_multicastJoin().
 */
export function multicastJoin(ifIp: string, multicastIp: string): void {
	const [ifAddress, group] = multicastArguments(ifIp, multicastIp);
	try {
		joinGroup(ifAddress, group);
	}
	catch (e) {
		fail((e as Error)?.message ?? String(e));
	}
}

/**
 * Leave a group joined with multicastJoin() (same arguments). Leaving a group that was not joined does nothing
 * (as NodeMCU, which ignores lwIP's error). Returns nothing.
 * @throws Error "wrong arg type", "invalid if ip", "invalid multicast ip". Source: net.c net_multicastLeave().
 */
export function multicastLeave(ifIp: string, multicastIp: string): void {
	const [ifAddress, group] = multicastArguments(ifIp, multicastIp);
	leaveGroup(ifAddress, group);
}

/**
 * sock:ttl([ttl]) of TCP and UDP sockets: the IP time-to-live of the socket's packets, set first when `value` is
 * given. `value` is stored as lwIP's u8 field stores it: modulo 256 (300 → 44, -2 → 254); -1 or no value reads.
 * Returns the socket's value after the call (NodeMCU returns the argument as given, e.g. 300).
 * The default is the host's (64 on Linux; lwIP's 255 on ESP8266).
 * @param hostSocket the open host socket, undefined when the socket is not open.
 * @throws Error "socket is not open/bound yet", "wrong arg type" (not an integer), "ttl out of range [1-255]"
 *   (0 after the modulo: hosts do not send TTL-0 packets), or the host's message (ESP8266's lwIP 1.4 builds:
 *   "ttl() is not available on this platform yet"). Source: net.c net_ttl().
 */
export function ttlMethod(hostSocket: object | undefined, value: unknown): number {
	if (!hostSocket) fail("socket is not open/bound yet");
	let n: number | undefined;
	if (value !== undefined && value !== null) {
		const ttl = toInteger(value);
		if (ttl === undefined) fail("wrong arg type");
		if (ttl !== -1) {
			n = ((ttl % 256) + 256) % 256;
			if (n < TTL_MIN || n > TTL_MAX) fail(`ttl out of range [${TTL_MIN}-${TTL_MAX}]`);
		}
	}
	try {
		return socketTTL(hostSocket, n);
	}
	catch (e) {
		fail((e as Error)?.message ?? String(e));
	}
}
