// LuatOS's `socket` module (components/network/adapter/luat_lib_socket.c) on xsnet's core.
//   import socket from "luatos/socket";
//   const ctrl = socket.create(socket.LWIP_STA, (c, event, param) => { ... });
//   socket.config(ctrl); socket.connect(ctrl, "example.com", 80);
// Lua's multiple results are arrays ([ok, done]), nil is undefined; a function with one result returns it plainly.
// An invalid or released ctrl (undefined and null count as one) gives what LuatOS gives: nothing (undefined, or []
// where the results are an array); any other wrong argument type throws a TypeError naming the argument.
// docs/luatos-socket.md describes every function, its status and each deliberate difference.
import { toBytes } from "xsnet/core/bytes";
import { WRITE_OK, WRITE_QUEUE_FULL } from "xsnet/core/tcp";
import { readableBytes, readInto } from "xsnet/core/pull";
import { Utf8Decoder } from "xsnet/core/utf8";
import { RAW, rawOf, reserve, commit } from "luatos/zbuff-state";
import type { ZState } from "luatos/zbuff-state";
import type { ZBuff } from "luatos/zbuff";
import { decodeUtf8 } from "xsnet/core/utf8";
import { log } from "luatos/log";
import { tlsSettings, setSslLog } from "luatos/tls";
import { hasTls, NO_TLS } from "xsnet/core/tls";
import { LWIP_GP, LWIP_STA, LWIP_AP, LWIP_ETH, ETH0, USB, ADAPTER_COUNT, isRegistered } from "luatos/adapters";
import { adapterOf, setDNS, localIP, adapter, dft } from "luatos/socket-adapter";
import { LINK, ON_LINE, TX_OK, CLOSED, EVENT, RELEASED, setDebug } from "luatos/events";
import { SocketCtrl, ONLINE, LISTEN, IS_CTRL } from "luatos/ctrl";
import { Server } from "luatos/server";
import { sntp, ntptm } from "luatos/sntp";
import { argError, isNil, optInteger, checkInteger, optPort, optBoolean, optString, checkHost, optAddress, addressBytes } from "luatos/args";

export { LWIP_GP, LWIP_STA, LWIP_AP, LWIP_ETH, ETH0, USB, LINK, ON_LINE, TX_OK, CLOSED, EVENT, SocketCtrl };
// SNTP (socket.sntp / socket.ntptm): src/luatos/sntp.ts; the adapter-level functions: src/luatos/socket-adapter.ts.
export { sntp, ntptm, setDNS, localIP, adapter, dft };
export type { NtpTime } from "luatos/sntp";

/** An event callback: `cb(ctrl, event, param)`, param 0 (success, new data) or -1 (failure: close the ctrl). */
export type SocketCallback = (ctrl: SocketCtrl, event: number, param: number) => void;

/** state()'s descriptions, LuatOS's own (docs/luatos-socket.md gives them in English). */
const STATE_TEXT: readonly string[] = Object.freeze([
	"硬件离线", "离线", "等待DNS", "正在连接", "正在TLS握手", "在线", "在监听", "正在离线", "未知",
]);

/** The ctrl argument: undefined when nil or released; TypeError when not a ctrl. */
function ctrlOf(fn: string, value: unknown): SocketCtrl | undefined {
	if (value === undefined || value === null) return undefined;     // isNil, inline: every call passes here
	if (!(value instanceof SocketCtrl)) argError(fn, "ctrl", "ctrl (from socket.create)", value);
	return value.state < 0 ? undefined : value;      // RELEASED
}

/** A callback or task name argument: nil -> undefined. */
function handlerOf(fn: string, name: string, value: unknown): Function | string | undefined {
	if (isNil(value)) return undefined;
	if (typeof value !== "function" && typeof value !== "string") argError(fn, name, "function or task name", value);
	return value;
}

/**
 * Create a socket control block on adapter `adapter` (default: socket.dft()). Events go to `handler`: a function
 * `cb(ctrl, event, param)`, a task name (`sys.sendMsg(name, event, param)`, read with `sys.waitMsg`), or, with
 * neither, `sys.publish("NWCTRL*", adapter, socketId, event, param)`.
 * @returns the ctrl, or undefined when the adapter does not exist here (only LWIP_STA does).
 * @throws TypeError (adapter not an integer, handler neither a function nor a string).
 */
export function create(adapter?: number | null, handler?: SocketCallback | string | null): SocketCtrl | undefined {
	const index = adapterOf("socket.create", adapter);
	const h = handlerOf("socket.create", "cb", handler);
	if (index < 0 || index >= ADAPTER_COUNT || !isRegistered(index)) return undefined;
	return new SocketCtrl(index, h);
}

/** Log every event of `ctrl` ("D/socket NWCTRL*: 1 ON_LINE 0") while `on` is true. */
export function debug(ctrl: SocketCtrl | undefined | null, on?: boolean): void {
	const c = ctrlOf("socket.debug", ctrl);
	const flag = optBoolean("socket.debug", "onoff", on);
	if (c && flag !== undefined) setDebug(c, flag);
}

/**
 * Configure the next connect/listen: local port (UDP bind and server port; 0 = any; a TCP client's is chosen by
 * the stack, as LuatOS's lwIP adapter does), UDP instead of TCP, TLS, TCP keep-alive idle time in seconds (the
 * interval and count are taken but the host uses one value: idle = interval).
 * TLS (isTls, TCP clients): serverCert (PEM) is the trusted CA, and the server's certificate and name are then
 * checked; without it the server is not verified (as LuatOS). clientCert + clientKey (PEM, PKCS#8 key): mutual TLS.
 * See luatos/tls.ts and docs/luatos-socket.md "TLS".
 * @returns true; false (with an error line) for unusable certificates or keys, or isTls in a build without TLS
 *   (its manifest did not include xsnet's manifest_tls.json); undefined for an invalid ctrl.
 * @throws TypeError naming the argument; RangeError for a port outside 0..65535.
 */
export function config(ctrl: SocketCtrl | undefined | null, localPort?: number | null, isUdp?: boolean | null,
	isTls?: boolean | null, keepIdle?: number | null, keepInterval?: number | null, keepCnt?: number | null,
	serverCert?: string | null, clientCert?: string | null, clientKey?: string | null, clientPassword?: string | null): boolean | undefined {
	const c = ctrlOf("socket.config", ctrl);
	if (!c) return undefined;
	const fn = "socket.config";
	const port = optPort(fn, "localPort", localPort, 0);
	const udp = optBoolean(fn, "isUdp", isUdp);
	const tls = optBoolean(fn, "isTls", isTls);
	const idle = optInteger(fn, "keepIdle", keepIdle, 0);
	optInteger(fn, "keepInterval", keepInterval, 0);
	optInteger(fn, "keepCnt", keepCnt, 0);
	optString(fn, "serverCert", serverCert);
	optString(fn, "clientCert", clientCert);
	optString(fn, "clientKey", clientKey);
	optString(fn, "clientPassword", clientPassword);
	if (tls && !hasTls()) {
		log("E", "socket", `config: ${NO_TLS}`);    // LuatOS built without TLS refuses isTls the same way
		return false;
	}
	const secure = tls ? tlsSettings(serverCert, clientCert, clientKey, clientPassword) : undefined;
	if (typeof secure === "string") {
		log("E", "socket", `config: ${secure}`);
		return false;
	}
	c.tls = secure;
	c.localPort = port;
	c.udp = !!udp;
	c.keepIdle = idle > 0 ? idle : 0;
	return true;
}

/** `[true, true]`: the adapter is up (xsnet's station always is); the state becomes 1. `[]` for an invalid ctrl. */
export function linkup(ctrl: SocketCtrl | undefined | null): [boolean, boolean] | [] {
	const c = ctrlOf("socket.linkup", ctrl);
	if (!c) return [];
	c.linkup();
	return [true, true];
}

/**
 * Connect to `host` (a name, a dotted quad, or an IPv4 address as a big-endian integer) and `port`. TCP: state 2
 * (name lookup) or 3, then ON_LINE(0), or ON_LINE(-1) on refusal, a failed lookup or a timeout. UDP: bound and
 * "connected" (only that peer's datagrams; port 0 = any peer), then ON_LINE(0). A name with port 0 is looked up
 * only (ON_LINE when the lookup ends; remoteIP() then has the address).
 * @returns `[true, false]` (ON_LINE follows), `[false, false]` when the ctrl already has a socket open, `[]` for an
 *   invalid ctrl.
 * @throws TypeError (host neither string nor integer, port not an integer, ipv6dns not a boolean); RangeError
 *   (port outside 0..65535).
 */
export function connect(ctrl: SocketCtrl | undefined | null, host: string | number, port: number,
	ipv6dns?: boolean | null): [boolean, boolean] | [] {
	const c = ctrlOf("socket.connect", ctrl);
	if (!c) return [];
	const h = checkHost("socket.connect", "host", host);
	const p = checkInteger("socket.connect", "port", port);
	if (p < 0 || p > 65535) throw new RangeError(`socket.connect: port: ${p} is not a port (0..65535)`);
	optBoolean("socket.connect", "ipv6dns", ipv6dns);
	if (!c.connect(h, p)) return [false, false];
	return [true, false];
}

/**
 * Disconnect: an online TCP socket closes gracefully (state 7; queued bytes are sent first) and CLOSED(0) follows:
 * `[true, false]`. Anything else is closed at once, no event: `[true, true]`. `[]` for an invalid ctrl.
 */
export function discon(ctrl: SocketCtrl | undefined | null): [boolean, boolean] | [] {
	const c = ctrlOf("socket.discon", ctrl);
	if (!c) return [];
	return [true, c.discon()];
}

/**
 * Close the socket at once, no event (LuatOS's force close); state 1. Bytes tx() queued are still sent, then FIN
 * (lwIP's tcp_close); bytes not read are dropped.
 */
export function close(ctrl: SocketCtrl | undefined | null): void {
	ctrlOf("socket.close", ctrl)?.close();
}

// Uint8Array.prototype: tx() takes a plain Uint8Array as its bytes without a call (the prototype test costs ~700
// instructions in XS, `instanceof Uint8Array` ~1,100)
const U8 = Uint8Array.prototype;

/** The bytes of tx()'s data other than a plain Uint8Array. */
function dataBytes(data: unknown): Uint8Array {
	const z = rawOf(data);
	const bytes = z ? z.b.subarray(0, z.cursor) : toBytes(data);
	if (!bytes) argError("socket.tx", "data", "string, ArrayBuffer, typed array or zbuff", data);
	return bytes;
}

/**
 * Send `data` (a string as UTF-8, an ArrayBuffer, a typed array, or a zbuff's [0, used)). TCP: queued in order, up
 * to the send queue bound (xsnet/core/limits sendQueueLimit(), 1 MiB by default). UDP: one datagram to `ip`:`port` (ip a dotted quad or a big-endian integer; default: connect's
 * peer). TX_OK(0) follows once every tx() so far was handed to the stack (LuatOS: acknowledged by the peer).
 * @returns `[true, false, false]` queued; `[false, true, false]` (full, LuatOS's network_tx "buffer full") when
 *   the bytes the stack cannot take at once would pass the send queue bound: nothing of them is queued, a later
 *   tx() works once the queue drained; `[false]` when not online or for a datagram over 1460 bytes, `[]` for an
 *   invalid ctrl.
 * @throws TypeError naming the argument; RangeError for a port outside 0..65535.
 */
export function tx(ctrl: SocketCtrl | undefined | null, data: string | ArrayBuffer | ArrayBufferView | ZBuff,
	ip?: string | number | null, port?: number | null, flag?: number | null): [boolean, boolean, boolean] | [false] | [] {
	// hot: a live ctrl by its brand and plain bytes by their prototype, without a call (ctrlOf, dataBytes)
	const c = (ctrl as SocketCtrl | undefined)?.[IS_CTRL] && ctrl!.state >= 0 ? ctrl! : ctrlOf("socket.tx", ctrl);
	if (!c) return [];
	const bytes = typeof data === "object" && data !== null && Object.getPrototypeOf(data) === U8 ? data as Uint8Array : dataBytes(data);
	// (`== null`: nil, as isNil, without a call on the hot path)
	const address = ip == null ? undefined : optAddress("socket.tx", "ip", ip);
	const p = port == null ? 0 : optPort("socket.tx", "port", port, 0);
	if (flag != null) optInteger("socket.tx", "flag", flag, 0);
	const result = c.tx(bytes, typeof data === "object", address, p);     // isCallerMemory (data is not null here)
	if (result === WRITE_QUEUE_FULL) return [false, true, false];
	if (result !== WRITE_OK) return [false];
	// a new array each time: one made by the module body would be in flash on a board, where JSON.stringify
	// refuses it ("read only value": XS marks flash objects as it marks live ones during a collection)
	return [true, false, false];
}

/** A limit argument: nil -> undefined (none). */
function limitOf(fn: string, value: unknown): number | undefined {
	if (isNil(value)) return undefined;
	const n = checkInteger(fn, "limit", value);
	if (n < 0) throw new RangeError(`${fn}: limit: ${n} is negative`);
	return n;
}

/**
 * Receive. Without `buff`: `[true, n]`, n the bytes waiting (TCP) or the next datagram's length (UDP). With a
 * zbuff: the bytes are appended at its `used` (it grows as needed), at most `limit`: TCP `[true, n, undefined,
 * undefined]` (the rest stays), UDP `[true, n, ip, port]` with one datagram (the rest of it beyond `limit` is
 * dropped) and ip LuatOS's 5-byte form ("\0" + four octets as characters). `[true, 0]` when nothing waits,
 * `[false, 0]` when not online (after the peer closed: once, for bytes that arrived before), `[]` for an invalid
 * ctrl. A read with a buffer clears the new-data flag (EVENT(0) comes again with the next new bytes).
 * @throws TypeError (buff not a zbuff, flag or limit not an integer); RangeError (limit negative).
 */
export function rx(ctrl: SocketCtrl | undefined | null, buff?: ZBuff | null, flag?: number | null, limit?: number | null):
	[boolean, number] | [boolean, number, string | undefined, number | undefined] | [] {
	// hot: a live ctrl by its brand, without a call (ctrlOf)
	const c = (ctrl as SocketCtrl | undefined)?.[IS_CTRL] && ctrl!.state >= 0 ? ctrl! : ctrlOf("socket.rx", ctrl);
	if (!c) return [];
	const z = buff == null ? undefined : (buff as { [RAW]?: ZState })[RAW];     // rawOf, inline: the zbuff's state
	if (!z && buff != null) argError("socket.rx", "buff", "zbuff", buff);
	if (flag != null) optInteger("socket.rx", "flag", flag, 0);
	const max = limit == null ? undefined : limitOf("socket.rx", limit);
	// TCP: its connection, reached directly (hot path; a ctrl has a connection or a UDP endpoint, never both), and
	// ctrl.readable inline (online implies not ended)
	const conn = c.conn;
	if (conn ? c.state !== ONLINE && !(c.ended && conn.signalled) : !c.readable) return [false, 0];
	const pending = conn ? readableBytes(conn) : c.pending();
	if (!pending) return [true, 0];
	if (!z) return [true, pending];
	const count = max !== undefined && max < pending ? max : pending;
	if (conn) {
		// TCP: straight into the zbuff (it grows to used + count, as LuatOS resizes); reserve() without a call when it
		// would give its last view again (an echo's rx: the same room each time)
		const n = readInto(conn, z.viewAt === z.cursor && z.viewLength === count ? z.view! : reserve(z, count));
		z.cursor += n;                        // commit(z, n): reserve made room for count >= n bytes
		return n ? [true, n, undefined, undefined] : [true, 0];
	}
	const { bytes, from } = c.take(count);
	const n = bytes.byteLength;
	if (n) {
		reserve(z, n).set(new Uint8Array(bytes));
		commit(z, n);
	}
	return n && from ? [true, n, addressBytes(from.address), from.port] : [true, 0];
}

/**
 * Receive as a string (UTF-8, U+FFFD for invalid bytes; a TCP character split between reads stays whole): at most
 * `limit` bytes (0 or nil = all). `[true, text]` (TCP), `[true, text, ip, port]` (UDP, ip in the 5-byte form),
 * `[true, ""]` when nothing waits, `[false]` when not online, `[]` for an invalid ctrl.
 * @throws TypeError (limit not an integer).
 */
export function read(ctrl: SocketCtrl | undefined | null, limit?: number | null):
	[boolean] | [boolean, string] | [boolean, string, string, number] | [] {
	const c = ctrlOf("socket.read", ctrl);
	if (!c) return [];
	const max = isNil(limit) ? 0 : checkInteger("socket.read", "limit", limit);
	if (!c.readable) return [false];
	const pending = c.pending();
	if (!pending) return [true, ""];
	const { bytes, from } = c.take(max > 0 && max < pending ? max : pending);
	if (from) return [true, decodeUtf8(new Uint8Array(bytes)), addressBytes(from.address), from.port];
	const decoder = c.decoder ??= new Utf8Decoder();
	return [true, decoder.decode(new Uint8Array(bytes))];
}

/**
 * `[true, true]` when unread new data is flagged; else `[true, false]` and EVENT follows (EVENT(0) new data,
 * EVENT(-1) the peer closed or an error); `[false, false]` when not online; `[]` for an invalid ctrl.
 */
export function wait(ctrl: SocketCtrl | undefined | null): [boolean, boolean] | [] {
	// hot (libnet.wait): a live ctrl by its brand, without a call (ctrlOf)
	const c = (ctrl as SocketCtrl | undefined)?.[IS_CTRL] && ctrl!.state >= 0 ? ctrl! : ctrlOf("socket.wait", ctrl);
	if (!c) return [];
	return c.waitEvent();
}

/**
 * Listen on config()'s local port (0 = any free port). Without `backlog` (or 0), the first client is carried by
 * this ctrl (state 5, ON_LINE(0)); with `backlog` > 0, the ctrl stays listening (state 6) and each client posts
 * ON_LINE(0) for accept(ctrl, cb). A port that cannot be bound gives ON_LINE(-1) (with an error line).
 * @returns `[true, false]`, `[false, false]` when the ctrl has another socket open or is UDP, `[]` for an invalid
 *   ctrl.
 * @throws TypeError (backlog not an integer).
 */
export function listen(ctrl: SocketCtrl | undefined | null, backlog?: number | null): [boolean, boolean] | [] {
	const c = ctrlOf("socket.listen", ctrl);
	if (!c) return [];
	const n = optInteger("socket.listen", "backlog", backlog, 0);
	if (c.server) {                           // listening already (LuatOS: listen in state 6 answers (true, false))
		c.waitFor("online");
		return [true, false];
	}
	if (c.busy) return [false, false];
	if (c.udp) {
		log("E", "socket", "listen: a UDP ctrl cannot listen (receive with connect(ctrl, ip, 0))");
		return [false, false];
	}
	if (c.tls) {
		log("E", "socket", "listen: TLS servers are not supported (config without isTls)");
		return [false, false];
	}
	c.close();
	c.waitFor("online");
	let server: Server;
	try {
		server = new Server(c, c.localPort ?? 0, n > 0 ? n : 0);
	}
	catch (e) {
		log("E", "socket", `listen fail port ${c.localPort ?? 0}: ${(e as Error)?.message ?? e}`);
		c.listenFailed();
		return [true, false];
	}
	c.server = server;
	c.state = LISTEN;
	return [true, false];
}

/**
 * Accept a client of a listening ctrl. `accept(ctrl)`: LuatOS's single-client form, `[true, undefined, ip, port]`
 * of the client the ctrl carries. `accept(ctrl, cb | taskName)`: the client moves to a new ctrl with that
 * handler, `[true, newCtrl, ip, port]` (ip dotted); EVENT(0) follows for bytes it sent before. `[false,
 * undefined]` when no client waits, `[]` for an invalid ctrl.
 * @throws TypeError (handler neither a function nor a string).
 */
export function accept(ctrl: SocketCtrl | undefined | null, handler?: SocketCallback | string | null):
	[boolean, SocketCtrl | undefined, string | undefined, number | undefined] | [boolean, undefined] | [] {
	const c = ctrlOf("socket.accept", ctrl);
	if (!c) return [];
	const h = handlerOf("socket.accept", "cb", handler);
	const server = c.server;
	if (!server) return [false, undefined];
	if (h === undefined) {
		const peer = server.peer();
		return peer ? [true, undefined, peer.address, peer.port] : [false, undefined];
	}
	const conn = server.take();
	if (!conn) return [false, undefined];
	const child = new SocketCtrl(c.adapter, h);
	child.keepIdle = c.keepIdle;
	child.localPort = c.localPort;
	child.conn = conn;
	conn.owner = child;
	child.state = ONLINE;
	if (conn.signalled) child.emit(EVENT, 0);
	return [true, child, conn.address, conn.port];
}

/** `[n, description]`: 0 link off, 1 offline, 2 DNS, 3 connecting, 5 online, 6 listening, 7 disconnecting; undefined for an invalid ctrl. */
export function state(ctrl: SocketCtrl | undefined | null): [number, string] | undefined {
	const c = ctrlOf("socket.state", ctrl);
	if (!c) return undefined;
	return [c.state, STATE_TEXT[c.state] ?? STATE_TEXT[8]];
}

/** Close and free the ctrl: every later call with it gives nothing, and no event is delivered any more. */
export function release(ctrl: SocketCtrl | undefined | null): void {
	const c = ctrlOf("socket.release", ctrl);
	if (!c) return;
	c.close();
	c.state = RELEASED;
	c.cb = undefined;
	c.task = undefined;
}

/**
 * Set the TLS library's log level for connections opened afterwards: 0 off, 1-2 handshake steps and alerts, 3-4
 * every record too (the simulator: OpenSSL's, on stderr). @throws TypeError (level not an integer).
 */
export function sslLog(level?: number | null): void {
	setSslLog(optInteger("socket.sslLog", "level", level, 1));
}

/**
 * The addresses the name of connect() resolved to: the first 4 A records of the DNS answer in its order, padded
 * with undefined (LuatOS l_socket_remote_ip); all undefined after a connect to an IP literal, before the lookup
 * ended, after close, or for an invalid ctrl.
 */
export function remoteIP(ctrl: SocketCtrl | undefined | null): [string | undefined, string | undefined, string | undefined, string | undefined] {
	const ips = ctrlOf("socket.remoteIP", ctrl)?.dnsIps;
	return [ips?.[0], ips?.[1], ips?.[2], ips?.[3]];
}

/** The `socket` module object, as LuatOS's: `socket.create(...)`, `socket.EVENT`, ... */
const socket = Object.freeze({
	LWIP_GP, LWIP_STA, LWIP_AP, LWIP_ETH, ETH0, USB,
	LINK, ON_LINE, TX_OK, CLOSED, EVENT,
	create, debug, config, linkup, connect, discon, close, tx, rx, read, wait, listen, accept, state, release,
	setDNS, sslLog, localIP, remoteIP, adapter, dft, sntp, ntptm,
});

export default socket;
