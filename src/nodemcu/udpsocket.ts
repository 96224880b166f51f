// NodeMCU's net.udpsocket, on xsnet's core UdpEndpoint.
import type { ReceiveFormat } from "xsnet/core/tcp";
import { UdpEndpoint } from "xsnet/core/udp";
import type { UdpOwner } from "xsnet/core/udp";
import type { SendData } from "xsnet/core/bytes";
import { parseIPv4 } from "xsnet/core/ip";
import { callSafe } from "xsnet/core/tasks";
import { socketDns } from "nodemcu/lookup";
import { UDP_PAYLOAD_MAX } from "xsnet/core/limits";
import { toPort } from "xsnet/core/lua";
import { fail, optionalCallback, listenArguments, sendBytes, checkFormat, bindError } from "nodemcu/checks";
import { ttlMethod } from "nodemcu/netif";
import type { Fn, UDPReceiveCallback, UDPSocketCallback, DnsCallback } from "nodemcu/types";

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
	 * @param port 1..65535 (number or decimal string), `ip` a dotted quad; both accept undefined in their type, so
	 *   that the `[port, ip]` of `getaddr()` or of a "receive" event needs no cast ("need port", "invalid IP address").
	 * @param fn optional: becomes the "sent" callback, like on("sent", fn).
	 * @throws Error "need port" (0 or missing), "invalid port", "invalid IP address", "wrong arg type",
	 *   "no data to send", "datagram too large (max 1472 bytes)" (UDP_PAYLOAD_MAX), "invalid callback function",
	 *   or the host's message.
	 */
	send(port: number | string | undefined, ip: string | undefined, data: SendData, fn?: UDPSocketCallback | null): void {
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
		this.onDns = socketDns(name, fn, this.onDns, (ip) => {
			if (this.onDns) callSafe(this.onDns, this, this, ip);
		});
	}

	/**
	 * The IP time-to-live (also the multicast TTL) of the socket's datagrams; as NetSocket.ttl().
	 * @throws Error "socket is not open/bound yet" (before listen() or the first send(), after close()),
	 *   "wrong arg type", "ttl out of range [1-255]", or the host's message. Source: net.c net_ttl().
	 */
	ttl(ttl?: number): number {
		return ttlMethod(this.endpoint.hostSocket, ttl);
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
