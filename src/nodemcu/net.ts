// NodeMCU's `net` module (ESP8266 3.x / ESP32 API) on ECMA-419 sockets, through xsnet's core.
//   import net from "nodemcu/net";
//   const srv = net.createServer(30);
//   srv.listen(80, (conn) => { conn.on("receive", (s, data) => s.send("echo: " + data)); });
// Lua's multiple results are arrays ([port, ip]); nil is undefined; a Lua error is a thrown Error carrying
// NodeMCU's message. docs/nodemcu-net.md describes every function, its status and each deliberate difference.
// References to "net.c" are nodemcu-firmware's app/modules/net.c (ESP8266, dev) and components/modules/net.c
// (ESP32, dev-esp32).
import { TcpConnection, RESOLVING, CONNECTING, CONNECTED, CLOSED } from "xsnet/core/tcp";
import type { TcpOwner, ReceiveFormat } from "xsnet/core/tcp";
import { TcpListener } from "xsnet/core/listener";
import type { ListenerOwner } from "xsnet/core/listener";
import { UdpEndpoint } from "xsnet/core/udp";
import type { UdpOwner } from "xsnet/core/udp";
import { lookup, isValidHostName, getServer, setServer } from "xsnet/core/dns";
import { toBytes, isCallerMemory } from "xsnet/core/bytes";
import type { SendData } from "xsnet/core/bytes";
import { parseIPv4, parseIPv4Endpoint } from "xsnet/core/ip";
import { callSafe } from "xsnet/core/tasks";
import {
	UDP_PAYLOAD_MAX, DNS_SERVERS_MAX, DNS_PORT,
	SERVER_TIMEOUT_DEFAULT_S, SERVER_TIMEOUT_MIN_S, SERVER_TIMEOUT_MAX_S,
} from "xsnet/core/limits";

/** Socket type constant of createConnection / createServer (NodeMCU: net.TCP = 1). */
export const TCP = 1 as const;
/** Socket type constant of createConnection / createServer (NodeMCU: net.UDP = 2). */
export const UDP = 2 as const;

// Callback types. The method-shaped helper lets an application annotate `data: string` (or ArrayBuffer) in its
// own callback without a cast, since the receive format is chosen at run time (socket.format).
type Bivariant<A extends unknown[]> = { bivarianceHack(...args: A): void }["bivarianceHack"];
/** "connection", "sent": `(socket)`. */
export type SocketCallback = (socket: NetSocket) => void;
/** "disconnection", "reconnection": `(socket, error)`; error 0 = closed by the peer, else an lwIP error number. */
export type ErrorCallback = (socket: NetSocket, error: number) => void;
/** "receive" of a TCP socket: `(socket, data)`; data is a string, or an ArrayBuffer with format = "buffer". */
export type ReceiveCallback = Bivariant<[socket: NetSocket, data: string | ArrayBuffer]>;
/** "dns": `(socket, ip)`; ip undefined when the name could not be resolved. */
export type DnsCallback<S> = (socket: S, ip: string | undefined) => void;
/** "receive" of a UDP socket: `(socket, data, port, ip)`. */
export type UDPReceiveCallback = Bivariant<[socket: NetUDPSocket, data: string | ArrayBuffer, port: number, ip: string]>;
/** "sent" of a UDP socket: `(socket)`. */
export type UDPSocketCallback = (socket: NetUDPSocket) => void;
/** net.server:listen's callback: `(socket)` for every accepted connection. */
export type AcceptCallback = (socket: NetSocket) => void;
/** net.dns.resolve's callback: `(undefined, ip)`; ip undefined when the name could not be resolved. */
export type ResolveCallback = (sk: undefined, ip: string | undefined) => void;

type Fn = (...args: any[]) => unknown;

// ---- argument checks shared by the methods ----

function fail(message: string): never {
	throw new Error(message);
}

/** A port: an integer 0..65535 given as a number or a decimal string (Lua accepts numeric strings). */
function toPort(value: unknown): number | undefined {
	if (typeof value === "string" && /^[0-9]{1,5}$/.test(value)) value = parseInt(value, 10);
	if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 65535) return undefined;
	return value;
}

function isPortLike(value: unknown): boolean {
	return typeof value === "number" || (typeof value === "string" && /^[0-9]+$/.test(value));
}

/** A callback argument: a function, or null/undefined for "none"; else "invalid callback function". */
function optionalCallback(fn: unknown): Fn | undefined {
	if (fn === undefined || fn === null) return undefined;
	if (typeof fn !== "function") fail("invalid callback function");
	return fn as Fn;
}

/**
 * Arguments of listen([port], [ip], [fn]) as net.c reads them: a leading number (or numeric string) is the
 * port, then a string is the IP address, then the function. undefined/null stand for an omitted argument when
 * more arguments follow.
 */
function listenArguments(args: ArrayLike<unknown>): { port: number; ip: string; fn: unknown } {
	let i = 0;
	let port = 0;
	let ip = "0.0.0.0";
	if (isPortLike(args[0])) {
		const p = toPort(args[0]);
		if (p === undefined) fail("invalid port");
		port = p;
		i++;
	}
	else if (args[0] == null && args.length > 1) i++;
	if (typeof args[i] === "string") {
		const a = parseIPv4(args[i]);
		if (a === undefined) fail("invalid IP address");
		ip = a;
		i++;
	}
	else if (args[i] == null && i < args.length - 1) i++;
	return { port, ip, fn: args[i] };
}

/** The data of send(): bytes, or NodeMCU's errors. */
function sendBytes(data: unknown): Uint8Array {
	const bytes = toBytes(data);
	if (!bytes) fail("wrong arg type");
	if (!bytes.length) fail("no data to send");
	return bytes;
}

function checkFormat(value: unknown): ReceiveFormat {
	if (value !== "string" && value !== "buffer") fail('invalid format (use "string" or "buffer")');
	return value;
}

/** The host's error for a failed bind, in NodeMCU's words where it has some (lwip_lua_checkerr). */
function bindError(e: unknown): never {
	const message = (e as Error)?.message ?? String(e);
	if (/in use/i.test(message)) fail("address in use");
	fail(message);
}

/** Host name argument of connect() / dns() / net.dns.resolve(). */
function checkHostName(host: unknown, missing: string): string {
	if (typeof host !== "string") fail(missing);
	if (!isValidHostName(host)) fail("illegal argument");
	return host;
}

// ---- net.socket ----

/**
 * A TCP client or accepted connection (NodeMCU's net.socket), from net.createConnection() or a server's listen
 * callback. Events: "connection", "reconnection", "disconnection", "receive", "sent", "dns".
 */
export class NetSocket implements TcpOwner {
	// `declare`d fields exist only once assigned (an unused callback costs no property slot).
	/** The current connection; undefined when not connected / connecting. */
	declare private conn: TcpConnection | undefined;
	declare private fmt: ReceiveFormat | undefined;    // undefined = "string"
	declare private onConnection: Fn | undefined;
	declare private onReconnection: Fn | undefined;
	declare private onDisconnection: Fn | undefined;
	declare private onReceive: Fn | undefined;
	declare private onSent: Fn | undefined;
	declare private onDns: Fn | undefined;

	/** @internal Sockets are made by net.createConnection() and by servers; `connection` is an accepted one. */
	constructor(connection?: TcpConnection) {
		if (connection) {
			this.conn = connection;
			connection.owner = this;
		}
	}

	/**
	 * Receive format (an ECMA-419 term): "string" (default) delivers text decoded as UTF-8 by a streaming decoder,
	 * so a character split across TCP segments arrives whole; "buffer" delivers ArrayBuffers, byte-exact.
	 * May be changed at any time (e.g. in the listen callback); takes effect for the next delivery.
	 * @throws Error 'invalid format (use "string" or "buffer")'.
	 */
	get format(): ReceiveFormat {
		return this.fmt ?? "string";
	}
	set format(value: ReceiveFormat) {
		this.fmt = checkFormat(value);
		if (this.conn) this.conn.format = value;
	}

	/**
	 * Connect to `port` on `host` (IPv4 dotted quad or host name; default "127.0.0.1"). Events follow: "dns"
	 * (the resolved IP, also for an IP literal), then "connection", or "reconnection"/"disconnection" with an
	 * error number (-14 refused, -13 timeout/abort, -4 unreachable, -6 name not found, -3 DNS timeout).
	 * A socket that was closed or disconnected may connect again.
	 * @param port 1..65535 (number or decimal string).
	 * @param fn optional "connection" callback (replaces the registered one; ESP8266's undocumented 4th argument).
	 * @throws Error "already connected" (connecting or connected), "specify port" (0 or missing),
	 *   "invalid port", "wrong arg type" (host not a string), "illegal argument" (host empty or over 255 bytes),
	 *   "invalid callback function". Source: net.c net_connect().
	 */
	connect(port: number | string, host?: string, fn?: SocketCallback | null): void {
		if (this.conn) fail("already connected");
		if (port === undefined || port === null) fail("specify port");
		const p = toPort(port);
		if (p === undefined) fail("invalid port");
		if (p === 0) fail("specify port");
		const h = (host === undefined || host === null) ? "127.0.0.1" : checkHostName(host, "wrong arg type");
		const cb = optionalCallback(fn);
		if (cb) this.onConnection = cb;
		const conn = new TcpConnection(this);
		if (this.fmt) conn.format = this.fmt;
		this.conn = conn;
		conn.connect(h, p);
	}

	/**
	 * Register `fn` for `event`, or remove the callback with null/undefined. One callback per event.
	 * TCP events: "connection" (socket), "reconnection" (socket, error), "disconnection" (socket, error),
	 * "receive" (socket, data), "sent" (socket), "dns" (socket, ip). When "reconnection" is registered it gets
	 * every error and "disconnection" only normal closes (error 0); otherwise "disconnection" gets everything.
	 * @throws Error "invalid callback name", "invalid callback function". Source: net.c net_on().
	 */
	on(event: "connection" | "sent", fn: SocketCallback | null | undefined): void;
	on(event: "reconnection" | "disconnection", fn: ErrorCallback | null | undefined): void;
	on(event: "receive", fn: ReceiveCallback | null | undefined): void;
	on(event: "dns", fn: DnsCallback<NetSocket> | null | undefined): void;
	on(event: string, fn?: Fn | null): void;
	on(event: string, fn?: Fn | null): void {
		if (typeof event !== "string") fail("invalid callback name");
		const cb = optionalCallback(fn);
		switch (event) {
			case "connection": this.onConnection = cb; break;
			case "reconnection": this.onReconnection = cb; break;
			case "disconnection": this.onDisconnection = cb; break;
			case "receive": this.onReceive = cb; break;
			case "sent": this.onSent = cb; break;
			case "dns": this.onDns = cb; break;
			default: fail("invalid callback name");
		}
	}

	/**
	 * Send `data`: a string (as UTF-8), an ArrayBuffer or a typed array / DataView (the bytes are copied when they
	 * cannot be handed over at once, so the caller may reuse its buffer). Any number of consecutive sends of any
	 * size are queued and sent in order, never dropped; the queue feeds the host socket as it drains.
	 * "sent" fires once per send() call, in order, after that call's bytes were handed to the TCP stack, never
	 * inside send(). Allowed while connecting (the bytes go out once connected).
	 * @param fn optional: becomes the "sent" callback, exactly like on("sent", fn) (NodeMCU docs).
	 * @throws Error "not connected", "wrong arg type", "no data to send", "invalid callback function".
	 */
	send(data: SendData, fn?: SocketCallback | null): void {
		const cb = optionalCallback(fn);
		const bytes = sendBytes(data);
		const conn = this.conn;
		if (!conn || conn.state === CLOSED) fail("not connected");
		if (cb) this.onSent = cb;
		if (!conn.write(bytes, undefined, isCallerMemory(data))) fail("not connected");
	}

	/**
	 * Close the connection (or abandon a connection attempt). Queued bytes are still sent, then FIN (lwIP
	 * tcp_close()). No event fires afterwards, not even "disconnection" (net.c; nodemcu-firmware #1716).
	 * Callbacks stay registered: the socket can connect() again.
	 * @throws Error "not connected" when not connected (also on a second close(), as net.c).
	 */
	close(): void {
		const conn = this.conn;
		if (!conn) fail("not connected");
		this.conn = undefined;
		conn.close();
	}

	/**
	 * Remote port and IP: `[port, ip]`, or `[undefined, undefined]` when not connected.
	 * While the name of connect() is being resolved: `[port, "0.0.0.0"]` (as net.c).
	 */
	getpeer(): [number | undefined, string | undefined] {
		const conn = this.conn;
		if (!conn) return [undefined, undefined];
		if (conn.state === RESOLVING) return [conn.port, "0.0.0.0"];
		if (conn.state === CONNECTING || conn.state === CONNECTED) return [conn.port, conn.address];
		return [undefined, undefined];
	}

	/**
	 * Local port and IP: `[port, ip]`, or `[undefined, undefined]` when not connected (or when the host cannot
	 * tell: it needs the simulator's TCP localAddress/localPort extension).
	 */
	getaddr(): [number | undefined, string | undefined] {
		return this.conn ? this.conn.local() : [undefined, undefined];
	}

	/**
	 * Resolve `name` to an IPv4 address; the "dns" callback gets `(socket, ip)`, ip undefined on failure, always
	 * asynchronously. Does not affect the connection.
	 * @param fn optional: becomes the "dns" callback, exactly like on("dns", fn).
	 * @throws Error "no domain specified" (not a string), "illegal argument" (empty or over 255 bytes),
	 *   "invalid callback function", "no callback specified" (no fn and none registered). Source: net.c net_dns().
	 */
	dns(name: string, fn?: DnsCallback<NetSocket> | null): void {
		const host = checkHostName(name, "no domain specified");
		const cb = optionalCallback(fn);
		if (cb) this.onDns = cb;
		if (!this.onDns) fail("no callback specified");
		lookup(host, (_error, ip) => {
			if (this.onDns) callSafe(this.onDns, this, this, ip);
		});
	}

	/**
	 * Stop delivering "receive" events: incoming bytes stay in the TCP stack, whose receive window then closes,
	 * so the peer stops sending (real flow control, unlike ESP8266's flag). No-op when not connected (net.c);
	 * a new connection starts unheld.
	 */
	hold(): void {
		this.conn?.hold();
	}

	/** Undo hold(): bytes that arrived meanwhile are delivered on the next turn of the event loop. */
	unhold(): void {
		this.conn?.unhold();
	}

	/** Not available yet (needs a native TTL option). @throws Error always. */
	ttl(_ttl?: number): number {
		fail("ttl() is not implemented yet");
	}

	// ---- core events (TcpOwner); not for applications ----

	/** @internal */
	tcpResolved(_c: TcpConnection, address: string | undefined): void {
		if (this.onDns) callSafe(this.onDns, this, this, address);
	}

	/** @internal */
	tcpConnected(_c: TcpConnection): void {
		if (this.onConnection) callSafe(this.onConnection, this, this);
	}

	/** @internal */
	tcpReceived(_c: TcpConnection, data: string | ArrayBuffer): void {
		if (this.onReceive) callSafe(this.onReceive, this, this, data);
	}

	/** @internal */
	tcpSent(_c: TcpConnection, _token: unknown): void {
		if (this.onSent) callSafe(this.onSent, this, this);
	}

	/** @internal */
	tcpClosed(c: TcpConnection, error: number): void {
		if (this.conn === c) this.conn = undefined;
		const fn = (error !== 0 && this.onReconnection) ? this.onReconnection : this.onDisconnection;
		if (fn) callSafe(fn, this, this, error);
	}
}

// ---- net.server ----

/** A TCP server (NodeMCU's net.server), from net.createServer(). */
export class NetServer implements ListenerOwner {
	declare private listener: TcpListener | undefined;
	declare private onAccept: Fn | undefined;
	/** Keepalive idle time of accepted connections, in seconds (see net.createServer). */
	readonly timeout: number;

	/** @internal use net.createServer(). */
	constructor(timeout: number) {
		this.timeout = timeout;
	}

	/**
	 * Listen on `port` (omitted or 0 = any free port; see getaddr()) and `ip` (omitted = "0.0.0.0", every
	 * interface). `fn(socket)` runs for each accepted connection; if it registers "connection" on the socket,
	 * that event fires right after `fn` returns (ESP8266 net.c behaviour).
	 * @throws Error "already listening", "invalid port", "invalid IP address", "need callback",
	 *   "address in use" (or the host's message when binding fails otherwise). Source: net.c net_listen().
	 */
	listen(port: number | string, ip: string, fn: AcceptCallback): void;
	listen(port: number | string, fn: AcceptCallback): void;
	listen(ip: string, fn: AcceptCallback): void;
	listen(fn: AcceptCallback): void;
	listen(...args: unknown[]): void {
		if (this.listener?.listening) fail("already listening");
		const { port, ip, fn } = listenArguments(args);
		if (typeof fn !== "function") fail("need callback");
		const listener = new TcpListener(this);
		listener.keepAliveMs = this.timeout * 1000;
		try {
			listener.listen(port, ip);
		}
		catch (e) {
			bindError(e);
		}
		this.onAccept = fn as Fn;
		this.listener = listener;
	}

	/**
	 * Stop listening. Accepted connections stay open.
	 * @throws Error "not connected" when not listening (net.c).
	 */
	close(): void {
		const listener = this.listener;
		if (!listener?.listening) fail("not connected");
		this.listener = undefined;
		listener.close();
	}

	/** Listening port and IP: `[port, ip]` (ip "0.0.0.0" when bound to all), or `[undefined, undefined]`. */
	getaddr(): [number | undefined, string | undefined] {
		const listener = this.listener;
		if (!listener?.listening) return [undefined, undefined];
		return [listener.port, listener.address];
	}

	/** @internal */
	tcpAccepted(_listener: TcpListener, connection: TcpConnection): void {
		const socket = new NetSocket(connection);
		if (this.onAccept) callSafe(this.onAccept, this, socket);
		if (connection.owner === socket && connection.state === CONNECTED) {
			// "connection" right after the listen callback (unless it closed the socket), only if it registered
			// one (ESP8266 net.c)
			socket.tcpConnected(connection);
		}
	}
}

// ---- net.udpsocket ----

/** A UDP socket (NodeMCU's net.udpsocket), from net.createUDPSocket(). Events: "receive", "sent", "dns". */
export class NetUDPSocket implements UdpOwner {
	private endpoint: UdpEndpoint;
	declare private onReceive: Fn | undefined;
	declare private onSent: Fn | undefined;
	declare private onDns: Fn | undefined;

	/** @internal use net.createUDPSocket(). */
	constructor() {
		this.endpoint = new UdpEndpoint(this);
	}

	/** Receive format: "string" (default, UTF-8 text) or "buffer" (ArrayBuffer, byte-exact). */
	get format(): ReceiveFormat {
		return this.endpoint.format;
	}
	set format(value: ReceiveFormat) {
		this.endpoint.format = checkFormat(value);
	}

	/**
	 * Bind to `port` (omitted or 0 = any free port) and `ip` (omitted = "0.0.0.0").
	 * @throws Error "already listening", "invalid port", "invalid IP address", "address in use" (or the host's
	 *   message). Source: net.c net_listen().
	 */
	listen(port?: number | string, ip?: string): void {
		if (this.endpoint.isOpen) fail("already listening");
		const a = listenArguments(arguments);
		try {
			this.endpoint.open(a.port, a.ip);
		}
		catch (e) {
			bindError(e);
		}
	}

	/**
	 * Register `fn` for "receive" `(socket, data, port, ip)`, "sent" `(socket)` or "dns" `(socket, ip)`;
	 * null/undefined removes it.
	 * @throws Error "invalid callback name", "invalid callback function".
	 */
	on(event: "receive", fn: UDPReceiveCallback | null | undefined): void;
	on(event: "sent", fn: UDPSocketCallback | null | undefined): void;
	on(event: "dns", fn: DnsCallback<NetUDPSocket> | null | undefined): void;
	on(event: string, fn?: Fn | null): void;
	on(event: string, fn?: Fn | null): void {
		if (typeof event !== "string") fail("invalid callback name");
		const cb = optionalCallback(fn);
		switch (event) {
			case "receive": this.onReceive = cb; break;
			case "sent": this.onSent = cb; break;
			case "dns": this.onDns = cb; break;
			default: fail("invalid callback name");
		}
	}

	/**
	 * Send one datagram of `data` (string as UTF-8, ArrayBuffer, typed array) to `ip`:`port`. An unbound socket is
	 * bound to any port first. "sent" fires once per send(), on a later turn (net.c calls it inside send()).
	 * @param fn optional: becomes the "sent" callback, like on("sent", fn).
	 * @throws Error "need port" (0 or missing), "invalid port", "invalid IP address", "wrong arg type",
	 *   "no data to send", "datagram too large (max 1472 bytes)" (UDP_PAYLOAD_MAX), "invalid callback function",
	 *   or the host's message.
	 */
	send(port: number | string, ip: string, data: SendData, fn?: UDPSocketCallback | null): void {
		if (port === undefined || port === null) fail("need port");
		const p = toPort(port);
		if (p === undefined) fail("invalid port");
		if (p === 0) fail("need port");
		const address = parseIPv4(ip);
		if (address === undefined) fail("invalid IP address");
		const bytes = sendBytes(data);
		if (bytes.length > UDP_PAYLOAD_MAX) fail(`datagram too large (max ${UDP_PAYLOAD_MAX} bytes)`);
		const cb = optionalCallback(fn);
		if (cb) this.onSent = cb;
		try {
			this.endpoint.send(bytes, address, p, undefined);
		}
		catch (e) {
			fail((e as Error)?.message ?? String(e));
		}
	}

	/**
	 * Close (unbind) the socket; it may listen() or send() again later. No event fires afterwards.
	 * @throws Error "not connected" when not bound (net.c).
	 */
	close(): void {
		if (!this.endpoint.isOpen) fail("not connected");
		this.endpoint.close();
	}

	/** Bound local port and IP: `[port, ip]` ("0.0.0.0" when bound to all), or `[undefined, undefined]`. */
	getaddr(): [number | undefined, string | undefined] {
		return this.endpoint.local();
	}

	/** Resolve `name`; see NetSocket.dns(). Callback `(socket, ip)`. */
	dns(name: string, fn?: DnsCallback<NetUDPSocket> | null): void {
		const host = checkHostName(name, "no domain specified");
		const cb = optionalCallback(fn);
		if (cb) this.onDns = cb;
		if (!this.onDns) fail("no callback specified");
		lookup(host, (_error, ip) => {
			if (this.onDns) callSafe(this.onDns, this, this, ip);
		});
	}

	/** Not available yet (needs a native TTL option). @throws Error always. */
	ttl(_ttl?: number): number {
		fail("ttl() is not implemented yet");
	}

	/** @internal */
	udpReceived(_e: UdpEndpoint, data: string | ArrayBuffer, port: number, address: string): void {
		if (this.onReceive) callSafe(this.onReceive, this, this, data, port, address);
	}

	/** @internal */
	udpSent(_e: UdpEndpoint, _token: unknown): void {
		if (this.onSent) callSafe(this.onSent, this, this);
	}
}

// ---- module functions ----

/**
 * Create a TCP client socket. Forms: `createConnection()` (3.x), `createConnection(net.TCP[, 0])` (2.x / ESP32),
 * `createConnection(net.UDP)` (2.x, deprecated: a UDP socket).
 * @throws Error "invalid type"; "secure connections not yet supported" when `secure` is non-zero (no TLS yet).
 */
export function createConnection(): NetSocket;
export function createConnection(type: typeof TCP, secure?: number): NetSocket;
export function createConnection(type: typeof UDP, secure?: number): NetUDPSocket;
export function createConnection(type?: number, secure?: number): NetSocket | NetUDPSocket;
export function createConnection(type?: number, secure?: number): NetSocket | NetUDPSocket {
	if (type !== undefined && type !== null && type !== TCP && type !== UDP) fail("invalid type");
	if (secure !== undefined && secure !== null && secure !== 0 && secure !== false as unknown)
		fail("secure connections not yet supported");
	return type === UDP ? new NetUDPSocket() : new NetSocket();
}

function checkTimeout(timeout: unknown): number {
	if (timeout === undefined || timeout === null) return SERVER_TIMEOUT_DEFAULT_S;
	if (typeof timeout !== "number" || !Number.isFinite(timeout)) fail("wrong arg type");
	if (timeout < SERVER_TIMEOUT_MIN_S || timeout > SERVER_TIMEOUT_MAX_S)
		fail(`timeout out of range [${SERVER_TIMEOUT_MIN_S}-${SERVER_TIMEOUT_MAX_S}]`);
	return timeout;
}

/**
 * Create a TCP server. One argument is the timeout (3.x `createServer(timeout)`); two are type and timeout
 * (2.x `createServer(net.TCP, 30)`; net.UDP gives a UDP socket). The timeout, in seconds (1..28800, default 30),
 * is what NodeMCU really implements: the TCP keepalive idle time of accepted connections (a dead peer is
 * dropped; an idle live one is not). Unlike NodeMCU 3.x, `createServer(net.TCP, 30)` means 30 s, not 1 s.
 * @throws Error "invalid type", "wrong arg type", "timeout out of range [1-28800]".
 */
export function createServer(timeout?: number): NetServer;
export function createServer(type: typeof TCP, timeout?: number): NetServer;
export function createServer(type: typeof UDP, timeout?: number): NetUDPSocket;
export function createServer(...args: (number | undefined)[]): NetServer | NetUDPSocket;
export function createServer(...args: (number | undefined)[]): NetServer | NetUDPSocket {
	let type: unknown = TCP, timeout: unknown;
	if (args.length >= 2) {
		type = args[0] ?? TCP;
		timeout = args[1];
	}
	else timeout = args[0];
	if (type !== TCP && type !== UDP) fail("invalid type");
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
	 * DNS server `index` (0 or 1, default 0) as "a.b.c.d" (or "a.b.c.d:port" in the simulator), undefined when
	 * unset.
	 * @throws Error "server index out of range [0-1]".
	 */
	getdnsserver(index?: number): string | undefined {
		return getServer(checkServerIndex(index));
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

function checkServerIndex(index: unknown): number {
	if (index === undefined || index === null) return 0;
	if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= DNS_SERVERS_MAX)
		fail(`server index out of range [0-${DNS_SERVERS_MAX - 1}]`);
	return index;
}

function notYet(name: string): never {
	fail(`net.${name}() is not implemented yet`);
}

/** Not available yet (needs the native interface module). @throws Error always. */
export function ifinfo(_index?: number): never {
	notYet("ifinfo");
}
/** Not available yet (needs native multicast support). @throws Error always. */
export function multicastJoin(_ifIp: string, _multicastIp: string): never {
	notYet("multicastJoin");
}
/** Not available yet (needs native multicast support). @throws Error always. */
export function multicastLeave(_ifIp: string, _multicastIp: string): never {
	notYet("multicastLeave");
}
/** Not available yet (needs native ICMP). @throws Error always. */
export function ping(..._args: unknown[]): never {
	notYet("ping");
}

/** The `net` module object, as NodeMCU's: `net.createConnection()`, `net.dns.resolve()`, `net.TCP`, ... */
const net = Object.freeze({
	TCP: TCP as typeof TCP, UDP: UDP as typeof UDP,
	createConnection, createServer, createUDPSocket,
	dns,
	ifinfo, multicastJoin, multicastLeave, ping,
});

export default net;
