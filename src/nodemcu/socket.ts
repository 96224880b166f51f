// NodeMCU's net.socket: a TCP client or accepted connection. The socket is its own core connection (it extends
// xsnet's core TcpConnection and implements its events), so an idle socket is one object.
// References to "net.c" are nodemcu-firmware's app/modules/net.c (ESP8266) and components/modules/net.c (ESP32).
import type { TlsTarget } from "xsnet/core/tls";
import { TcpConnection, RESOLVING, CONNECTING, CONNECTED, WRITE_QUEUE_FULL } from "xsnet/core/tcp";
import type { ReceiveFormat } from "xsnet/core/tcp";
import { queueWrite } from "xsnet/core/sendqueue";
import { toBytes, nonAscii } from "xsnet/core/bytes";
import type { SendData } from "xsnet/core/bytes";
import { callSafe } from "xsnet/core/tasks";
import { sendQueueLimit } from "xsnet/core/limits";
import { socketDns } from "nodemcu/lookup";
import { toPort } from "xsnet/core/lua";
import { fail, optionalCallback, checkFormat, checkHostName } from "nodemcu/checks";
import { ttlMethod } from "nodemcu/netif";
import type { Fn, SocketCallback, ErrorCallback, ReceiveCallback, DnsCallback } from "nodemcu/types";

/**
 * A TCP client or accepted connection (NodeMCU's net.socket), from net.createConnection() or a server's listen
 * callback. Events: "connection", "reconnection", "disconnection", "receive", "sent", "dns".
 * (The members it has from TcpConnection are xsnet's core, not NodeMCU's API, except format, queuedBytes, hold
 * and unhold.)
 */
export class NetSocket extends TcpConnection {
	// `declare`d fields exist only once assigned (an unused callback costs no property slot). The "receive" and
	// "sent" callbacks are no fields: they are the connection's tcpReceived / tcpSent hooks themselves (see there).
	declare private onConnection: Fn | undefined;
	declare private onReconnection: Fn | undefined;
	declare private onDisconnection: Fn | undefined;
	declare private onDns: Fn | undefined;
	/** @internal TLS sockets (nodemcu/tls): the TLS options of a connection to `host`. */
	declare tlsFor: ((host: string) => TlsTarget) | undefined;

	/**
	 * Receive format (an ECMA-419 term): "string" (default) delivers text decoded as UTF-8 by a streaming decoder,
	 * so a character split across TCP segments arrives whole; "buffer" delivers ArrayBuffers, byte-exact.
	 * May be changed at any time (e.g. in the listen callback); takes effect for the next delivery.
	 * @throws Error 'invalid format (use "string" or "buffer")'.
	 */
	override get format(): ReceiveFormat {
		return this.fmt ?? "string";
	}
	override set format(value: ReceiveFormat) {
		super.format = checkFormat(value);
	}

	/**
	 * Connect to `port` on `host` (IPv4 dotted quad or host name; default "127.0.0.1"). Events follow: "dns"
	 * (the resolved IP, also for an IP literal), then "connection", or "reconnection"/"disconnection" with an
	 * error number (-14 refused, -13 timeout/abort, -4 unreachable, -6 name not found, -3 DNS timeout).
	 * A socket that was closed or disconnected may connect again.
	 * @param port 1..65535 (number or decimal string); undefined is accepted by the type, so that a port from
	 *   `getaddr()`/`getpeer()` (`[number | undefined, ...]`) needs no cast, and raises "specify port".
	 * @param fn optional "connection" callback (replaces the registered one; ESP8266's undocumented 4th argument).
	 * @throws Error "already connected" (connecting or connected), "specify port" (0 or missing),
	 *   "invalid port", "wrong arg type" (host not a string), "illegal argument" (host empty or over 255 bytes),
	 *   "invalid callback function". Source: net.c net_connect().
	 */
	connect(port: number | string | undefined, host?: string, fn?: SocketCallback | null): void {
		const state = this.state;
		if (state >= RESOLVING && state <= CONNECTED) fail("already connected");
		if (port === undefined || port === null) fail("specify port");
		const p = toPort(port);
		if (p === undefined) fail("invalid port");
		if (p === 0) fail("specify port");
		const h = (host === undefined || host === null) ? "127.0.0.1" : checkHostName(host, "wrong arg type");
		const cb = optionalCallback(fn);
		if (cb) this.onConnection = cb;
		if (this.tlsFor) this.tls = this.tlsFor(h);
		this.connectTo(h, p);
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
			case "receive": this.setHook("tcpReceived", cb); break;
			case "sent": this.setHook("tcpSent", cb); break;
			case "dns": this.onDns = cb; break;
			default: fail("invalid callback name");
		}
	}

	/**
	 * Send `data`: a string (as UTF-8), an ArrayBuffer or a typed array / DataView (the bytes are copied when they
	 * cannot be handed over at once, so the caller may reuse its buffer). Any number of consecutive sends of any
	 * size are queued and sent in order, never dropped; the queue feeds the host socket as it drains. The queue is
	 * bounded (xsnet/core/limits sendQueueLimit(), 1 MiB by default): a send() whose bytes would take it past the
	 * bound raises "send queue full (...)" and queues none of them; `queuedBytes` tells how much waits.
	 * "sent" fires once per send() call, in order, after that call's bytes were handed to the TCP stack, never
	 * inside send(). Allowed while connecting (the bytes go out once connected).
	 * @param fn optional: becomes the "sent" callback, exactly like on("sent", fn) (NodeMCU docs).
	 * @throws Error "not connected", "wrong arg type", "no data to send", "invalid callback function",
	 *   "send queue full (N bytes queued, limit L)".
	 */
	send(data: SendData, fn?: SocketCallback | null): void {
		const cb = (fn === undefined || fn === null) ? undefined : optionalCallback(fn);
		// checks.ts sendBytes() without its calls and views: an ASCII string goes as the ArrayBuffer fromString made
		// (as core/bytes toBytes() tells it), a Uint8Array or an ArrayBuffer as itself (instanceof costs a lookup:
		// objects only); the send queue takes either
		let bytes: Uint8Array | ArrayBuffer | undefined, size: number;
		if (typeof data === "string" && data !== "") {
			bytes = ArrayBuffer.fromString(data);
			size = bytes.byteLength;                  // (a getter call in XS: read once)
			if (size !== data.length) size = (bytes = nonAscii(data, bytes)).byteLength;
		}
		else {
			bytes = typeof data === "object" && (data instanceof Uint8Array || data instanceof ArrayBuffer) ? data : toBytes(data);
			if (!bytes) fail("wrong arg type");
			size = bytes.byteLength;
		}
		if (!size) fail("no data to send");
		const state = this.state;
		if (state < RESOLVING || state > CONNECTED) fail("not connected");
		if (cb) this.setHook("tcpSent", cb);
		// the caller's memory (not a string's fresh bytes) is copied when it has to wait (core/bytes isCallerMemory)
		if (queueWrite(this, bytes, size, typeof data === "object", state === CONNECTED) === WRITE_QUEUE_FULL)
			fail(`send queue full (${this.queuedBytes} bytes queued, limit ${sendQueueLimit()})`);
	}

	/**
	 * Close the connection (or abandon a connection attempt). Queued bytes are still sent, then FIN (lwIP
	 * tcp_close()). No event fires afterwards, not even "disconnection" (net.c; nodemcu-firmware #1716).
	 * Callbacks stay registered: the socket can connect() again, at once.
	 * @throws Error "not connected" when not connected (also on a second close(), as net.c).
	 */
	override close(): void {
		const state = this.state;
		if (state < RESOLVING || state > CONNECTED) fail("not connected");
		super.close();
		this.handOff();           // queued bytes go on in an object of their own: this socket is free at once
	}

	/**
	 * Remote port and IP: `[port, ip]`, or `[undefined, undefined]` when not connected.
	 * While the name of connect() is being resolved: `[port, "0.0.0.0"]` (as net.c).
	 */
	getpeer(): [number | undefined, string | undefined] {
		const state = this.state;
		if (state === RESOLVING) return [this.port, "0.0.0.0"];
		if (state === CONNECTING || state === CONNECTED) return [this.port, this.address];
		return [undefined, undefined];
	}

	/**
	 * Local port and IP: `[port, ip]`, or `[undefined, undefined]` when not connected (or when the host cannot
	 * tell: it needs the simulator's TCP localAddress/localPort extension).
	 */
	getaddr(): [number | undefined, string | undefined] {
		return this.local();
	}

	/**
	 * Resolve `name` to an IPv4 address; the "dns" callback gets `(socket, ip)`, ip undefined on failure, always
	 * asynchronously. Does not affect the connection.
	 * @param fn optional: becomes the "dns" callback, exactly like on("dns", fn).
	 * @throws Error "no domain specified" (not a string), "illegal argument" (empty or over 255 bytes),
	 *   "invalid callback function", "no callback specified" (no fn and none registered). Source: net.c net_dns().
	 */
	dns(name: string, fn?: DnsCallback<NetSocket> | null): void {
		this.onDns = socketDns(name, fn, this.onDns, (ip) => {
			if (this.onDns) callSafe(this.onDns, this, this, ip);
		});
	}

	/**
	 * The IP time-to-live of the connection's packets: `ttl()` reads it, `ttl(n)` sets it first (`ttl(1)` keeps
	 * packets on the local network). `n` is taken modulo 256 like lwIP's u8 field (-1 reads). Returns the
	 * socket's value after the call. The default is the host's (64 on Linux; lwIP's 255 on ESP8266).
	 * @throws Error "socket is not open/bound yet" (not connecting or connected — also while the name of
	 *   connect() is being resolved), "wrong arg type", "ttl out of range [1-255]", or the host's message.
	 *   Source: net.c net_ttl(). Details: nodemcu/netif ttlMethod().
	 */
	ttl(ttl?: number): number {
		return ttlMethod(this.hostSocket, ttl);
	}

	// ---- core events (TcpConnection's hooks); not for applications ----

	/**
	 * "receive" and "sent" come per chunk and per send(): the application's callback is the hook itself (an own
	 * property of the socket), which the core calls protected with the socket first, as NodeMCU calls it; without
	 * one, the hook is the prototype's, which ignores the event. So no call of ours runs per event.
	 */
	private setHook(hook: "tcpReceived" | "tcpSent", fn: Fn | undefined): void {
		// (defined, not assigned: the prototype is frozen once preloaded, and an assignment would find its method
		// read-only)
		if (fn) Object.defineProperty(this, hook, { value: fn, writable: true, configurable: true });
		else delete (this as unknown as Partial<Record<typeof hook, Fn>>)[hook];     // (the prototype's again)
	}

	/** @internal No "receive" callback. */
	override tcpReceived(): void {
	}

	/** @internal No "sent" callback. */
	override tcpSent(): void {
	}

	/** @internal */
	override tcpResolved(_c: TcpConnection, address: string | undefined): void {
		if (this.onDns) callSafe(this.onDns, this, this, address);
	}

	/** @internal */
	override tcpConnected(_c: TcpConnection): void {
		if (this.onConnection) callSafe(this.onConnection, this, this);
	}

	/** @internal */
	override tcpClosed(_c: TcpConnection, error: number): void {
		const fn = (error !== 0 && this.onReconnection) ? this.onReconnection : this.onDisconnection;
		if (fn) callSafe(fn, this, this, error);
	}
}
