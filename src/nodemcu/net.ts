// NodeMCU's `net` module (ESP8266 3.x / ESP32 API) on ECMA-419 sockets, through xsnet's core.
//   import net from "nodemcu/net";
//   const srv = net.createServer(30);
//   srv.listen(80, (conn) => { conn.on("receive", (s, data) => s.send("echo: " + data)); });
// Lua's multiple results are arrays ([port, ip]); nil is undefined; a Lua error is a thrown Error carrying
// NodeMCU's message. docs/nodemcu-net.md describes every function, its status and each deliberate difference.
// References to "net.c" are nodemcu-firmware's app/modules/net.c (ESP8266, dev) and components/modules/net.c
// (ESP32, dev-esp32).
import { lookup, getServer, setServer } from "xsnet/core/dns";
import { parseIPv4Endpoint } from "xsnet/core/ip";
import { callSafe } from "xsnet/core/tasks";
import { DNS_PORT } from "xsnet/core/limits";
import { fail, checkHostName, checkTimeout, checkServerIndex, checkType } from "nodemcu/checks";
import { toInteger } from "xsnet/core/lua";
import { TCP, UDP } from "nodemcu/types";
import type { ResolveCallback } from "nodemcu/types";
import { NetSocket } from "nodemcu/socket";
import { NetServer } from "nodemcu/server";
import { NetUDPSocket } from "nodemcu/udpsocket";
import { NO_TLS } from "xsnet/core/tls";
import Modules from "modules";

export { TCP, UDP, NetSocket, NetServer, NetUDPSocket };
export type * from "nodemcu/types";

/**
 * Create a TCP client socket. Forms: `createConnection()` (3.x), `createConnection(net.TCP[, 0])` (2.x / ESP32),
 * `createConnection(net.UDP)` (2.x, deprecated: a UDP socket).
 * `secure` non-zero (2.x): a TLS socket, as nodemcu/tls's createConnection() (NodeMCU's tls.socket), in a build
 * with TLS (its manifest includes xsnet's manifest_tls.json; NodeMCU: the tls module compiled into the firmware).
 * @throws Error "invalid type"; Error "TLS is not in this build: include xsnet's manifest_tls.json ..." (NO_TLS).
 */
export function createConnection(): NetSocket;
export function createConnection(type: typeof TCP, secure?: number): NetSocket;
export function createConnection(type: typeof UDP, secure?: number): NetUDPSocket;
export function createConnection(type?: number, secure?: number): NetSocket | NetUDPSocket;
export function createConnection(type?: number, secure?: number): NetSocket | NetUDPSocket {
	const t = checkType(type);
	if (secure !== undefined && secure !== null && secure !== false as unknown) {
		const s = toInteger(secure);
		if (s === undefined) fail("wrong arg type");
		if (s !== 0 && t !== UDP) return tlsConnection();
	}
	return t === UDP ? new NetUDPSocket() : new NetSocket();
}

/** nodemcu/tls's createConnection(), found at run time: nodemcu/tls is in TLS builds only. */
function tlsConnection(): NetSocket {
	if (!Modules.has("nodemcu/tls")) fail(NO_TLS);
	const tls = Modules.importNow("nodemcu/tls") as { createConnection(): NetSocket };
	return tls.createConnection();
}

/**
 * Create a TCP server. The arguments, as the programs of every NodeMCU version write them:
 * - `createServer()`: a TCP server, timeout 30 s;
 * - `createServer(net.TCP)` (1, alone): the type (2.x programs, the ESP32 docs' send example), timeout 30 s;
 * - `createServer(timeout)`, any other single number (2 included): the timeout in seconds (3.x);
 * - `createServer(type, timeout)`: the type (net.TCP, or net.UDP for a UDP socket) and the timeout (2.x).
 * So a 1-second timeout is `createServer(net.TCP, 1)`. The timeout, in seconds (1..28800, default 30), is what
 * NodeMCU's docs promise: an accepted client with no traffic either way for that long is disconnected, and its socket
 * gets "reconnection" (or "disconnection") with -13 (ERR_ABRT). NodeMCU itself uses TCP keepalive there, which
 * never drops an idle live client; and NodeMCU 3.x reads its first argument as the timeout, so its
 * `createServer(net.TCP, 30)` and `createServer(net.TCP)` get 1 second.
 * @throws Error "invalid type", "wrong arg type"; RangeError "timeout out of range [1-28800]".
 */
export function createServer(timeout?: number): NetServer;
export function createServer(type: typeof TCP, timeout?: number): NetServer;
export function createServer(type: typeof UDP, timeout?: number): NetUDPSocket;
export function createServer(...args: (number | undefined)[]): NetServer | NetUDPSocket;
export function createServer(...args: (number | undefined)[]): NetServer | NetUDPSocket {
	let type: unknown = TCP, timeout: unknown;
	if (args.length >= 2) {
		type = checkType(args[0]) ?? TCP;
		timeout = args[1];
	}
	else if (toInteger(args[0]) !== TCP) timeout = args[0];
	const t = checkTimeout(timeout);
	return type === UDP ? new NetUDPSocket() : new NetServer(t);
}

/** Create a UDP socket (net.udpsocket). Never fails. */
export function createUDPSocket(): NetUDPSocket {
	return new NetUDPSocket();
}

/**
 * net.dns: resolve names and manage the DNS servers.
 */
export const dns = Object.freeze({
	/**
	 * Resolve `host` to an IPv4 address: `fn(undefined, ip)`, ip undefined on failure; always asynchronous.
	 * ESP8266 form; ESP32 NodeMCU calls `fn(ip)` (nodemcu-firmware #3362) — here it is always `(undefined, ip)`.
	 * @throws Error "wrong arg type" (host not a string), "illegal argument" (empty or over 255 bytes),
	 *   "invalid callback function".
	 */
	resolve(host: string, fn: ResolveCallback): void {
		const h = checkHostName(host, "wrong arg type");
		if (typeof fn !== "function") fail("invalid callback function");
		lookup(h, (_error, ip) => callSafe(fn, undefined, undefined, ip));
	},

	/**
	 * The address of DNS server `index` (0 or 1, default 0), "a.b.c.d", as NodeMCU's docs promise (also when it was
	 * set with a port: getdnsport() tells that); undefined when unset.
	 * @throws Error "server index out of range [0-1]".
	 */
	getdnsserver(index?: number): string | undefined {
		return parseIPv4Endpoint(getServer(checkServerIndex(index)), DNS_PORT)?.address;
	},

	/**
	 * Extension: the port of DNS server `index` (0 or 1, default 0): 53 unless setdnsserver() was given
	 * "a.b.c.d:port"; undefined when the server is unset.
	 * @throws Error "server index out of range [0-1]".
	 */
	getdnsport(index?: number): number | undefined {
		return parseIPv4Endpoint(getServer(checkServerIndex(index)), DNS_PORT)?.port;
	},

	/**
	 * Set DNS server `index` (0 or 1, default 0) to `ip` ("a.b.c.d"; extension: "a.b.c.d:port").
	 * @throws Error "invalid dns server ip" (malformed, "0.0.0.0", "255.255.255.255"), "server index out of
	 *   range [0-1]".
	 */
	setdnsserver(ip: string, index?: number): void {
		const e = parseIPv4Endpoint(ip, DNS_PORT);
		if (!e || e.address === "0.0.0.0" || e.address === "255.255.255.255") fail("invalid dns server ip");
		const i = checkServerIndex(index);
		setServer(i, e.port === DNS_PORT ? e.address : `${e.address}:${e.port}`);
	},
});

// net.ifinfo(idx), net.multicastJoin(if_ip, mc_ip), net.multicastLeave(if_ip, mc_ip): src/nodemcu/netif.ts;
// net.ping(host, [count], onReply, [onDone]): src/nodemcu/ping.ts (ICMP echo machinery: src/core/ping.ts).
import { ifinfo, multicastJoin, multicastLeave } from "nodemcu/netif";
import { ping } from "nodemcu/ping";
export { ifinfo, multicastJoin, multicastLeave, ping };
export type { IfInfo } from "nodemcu/netif";
export type { PingReplyCallback, PingDoneCallback } from "nodemcu/ping";

/** The `net` module object, as NodeMCU's: `net.createConnection()`, `net.dns.resolve()`, `net.TCP`, ... */
const net = Object.freeze({
	TCP: TCP as typeof TCP, UDP: UDP as typeof UDP,
	createConnection, createServer, createUDPSocket,
	dns,
	ifinfo, multicastJoin, multicastLeave, ping,
});

export default net;
