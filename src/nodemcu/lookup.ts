// sock:dns(name[, fn]) of net.socket and net.udpsocket: NodeMCU's argument rules, then one lookup through the
// core's DNS client (the servers of net.dns.setdnsserver).
import { lookup } from "xsnet/core/dns";
import { fail, optionalCallback, checkHostName } from "nodemcu/checks";
import type { Fn } from "nodemcu/types";

/**
 * Start resolving `name` for a socket's dns() method and return the "dns" callback it must keep (`fn`, or the
 * one it had). `deliver(ip)` runs once, asynchronously; ip is undefined when the name could not be resolved.
 * @throws Error "no domain specified" (not a string), "illegal argument" (empty or over 255 bytes),
 *   "invalid callback function", "no callback specified" (no fn and none registered). Source: net.c net_dns().
 */
export function socketDns(name: unknown, fn: unknown, current: Fn | undefined, deliver: (ip: string | undefined) => void): Fn {
	const host = checkHostName(name, "no domain specified");
	const cb = optionalCallback(fn) ?? current;
	if (!cb) fail("no callback specified");
	lookup(host, (_error, ip) => deliver(ip));
	return cb;
}
