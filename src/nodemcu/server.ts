// NodeMCU's net.server: a TCP listener whose accepted connections become net.sockets.
import { CONNECTED } from "xsnet/core/tcp";
import type { TcpConnection } from "xsnet/core/tcp";
import { TcpListener } from "xsnet/core/listener";
import type { ListenerOwner } from "xsnet/core/listener";
import { callSafe } from "xsnet/core/tasks";
import { fail, listenArguments, bindError } from "nodemcu/checks";
import { NetSocket } from "nodemcu/socket";
import type { Fn, AcceptCallback } from "nodemcu/types";

/** A TCP server (NodeMCU's net.server), from net.createServer(). */
export class NetServer implements ListenerOwner {
	declare private listener: TcpListener | undefined;
	declare private onAccept: Fn | undefined;
	/** Inactivity timeout of accepted connections, in seconds (see net.createServer). */
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
		listener.idleMs = this.timeout * 1000;
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

	/** @internal Accepted connections are NetSockets (core/listener.ts). */
	newConnection(): NetSocket {
		return new NetSocket();
	}

	/** @internal */
	tcpAccepted(_listener: TcpListener, connection: TcpConnection): void {
		const socket = connection as NetSocket;
		if (this.onAccept) callSafe(this.onAccept, this, socket);
		if (socket.state === CONNECTED) {
			// "connection" right after the listen callback (unless it closed the socket), only if it registered
			// one (ESP8266 net.c)
			socket.tcpConnected(socket);
		}
	}
}
