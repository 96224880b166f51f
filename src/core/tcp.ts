// One TCP connection over ECMA-419 embedded:io/socket/tcp: connection state, flow control (hold), the application's
// close. Opening (name lookup, TCP or TLS host socket, the peer): core/tcpconnect.ts; the host socket's callbacks:
// core/tcphost.ts; the end by itself (error numbers, the last events): core/tcpend.ts; the send queue with
// back-pressure from onWritable: core/sendqueue.ts; receiving: core/push.ts (push mode) and core/pull.ts (pull mode).
// No API personality here. The connection's events are methods of its own (tcpResolved ... tcpClosed, "hooks"):
// a personality either extends TcpConnection and implements them (nodemcu/net's socket is its connection: one
// object, no owner), or gives the connection a TcpOwner, to which the default hooks pass every event on
// (luatos/socket's ctrl). Either way the personality decides names, argument shapes and messages.
//
// Two receive modes: push (default, core/push.ts: every received byte goes to tcpReceived, decoded per `format`;
// nodemcu/net) and pull (core/pull.ts: bytes wait until the owner reads them, tcpReadable says when new ones
// arrived; luatos/socket).
import type { Utf8Decoder } from "xsnet/core/utf8";
import { queueWrite, WRITE_OK, WRITE_REFUSED, WRITE_QUEUE_FULL } from "xsnet/core/sendqueue";
import type { Chunk, SendQueueState } from "xsnet/core/sendqueue";
import type { ReceiveQueue } from "xsnet/core/rxqueue";
import type { PullState } from "xsnet/core/pull";
import { drainLater, noteHold } from "xsnet/core/push";
import type { PushState, ReceiveFormat } from "xsnet/core/push";
import { IDLE, RESOLVING, CONNECTING, CONNECTED, CLOSING, CLOSED } from "xsnet/core/states";
import { ERR_ABRT } from "xsnet/core/errors";
import type { CancelLookup, LookupCallback } from "xsnet/core/dns";
import { post } from "xsnet/core/tasks";
import { watchIdle, unwatchIdle } from "xsnet/core/idle";
import type { IdleWatched } from "xsnet/core/idle";
import type { TlsTarget } from "xsnet/core/tls";
import { socketLocal } from "xsnet/core/netif";
import { endpointAddress, endpointPort } from "xsnet/core/ip";
import { hostOptions } from "xsnet/core/tcphost";
import type { HostTCP, HostTCPConstructor } from "xsnet/core/tcphost";
import { connectTcp, capturePeer, stopHandshakeTimer } from "xsnet/core/tcpconnect";
import { finish } from "xsnet/core/tcpend";
import TCP from "embedded:io/socket/tcp";

export type { HostTCP };

/** How received bytes are delivered (core/push.ts): "string" = UTF-8 text (streaming decoder), "buffer" = ArrayBuffer. */
export type { ReceiveFormat };

/**
 * Receiver of a connection's events, for a personality that does not extend TcpConnection (luatos/socket): the
 * connection's default hooks call these with the connection first. Each method is called at most as described;
 * none is called after close().
 */
export interface TcpOwner {
	/**
	 * Name lookup of connect() finished: the address, or undefined when it failed (then tcpClosed follows);
	 * `addresses`: every A record of a name's answer, in order (the connection uses the first); undefined for a literal.
	 */
	tcpResolved(connection: TcpConnection, address: string | undefined, addresses?: readonly string[]): void;
	/** Handshake done (outgoing connections only). */
	tcpConnected(connection: TcpConnection): void;
	/** Bytes arrived, decoded per `format`; never empty. Push mode only. */
	tcpReceived(connection: TcpConnection, data: string | ArrayBuffer): void;
	/**
	 * Pull mode only: bytes arrived while `signalled` was false (it is true now); read() clears it. So this is
	 * called once per batch of arrivals the owner has not read from yet, never during read().
	 */
	tcpReadable?(connection: TcpConnection): void;
	/**
	 * All bytes of one write() call were handed to the host socket; once per write(), in order, with the connection's
	 * next host event (onWritable: room came back, on a board the peer's ACK; or onReadable), never inside write().
	 */
	tcpSent(connection: TcpConnection): void;
	/** The connection is over: 0 = closed by the peer, else an lwIP error number (errors.ts). */
	tcpClosed(connection: TcpConnection, error: number): void;
}

/** Results of TcpConnection.write() (defined in core/sendqueue.ts). */
export { WRITE_OK, WRITE_REFUSED, WRITE_QUEUE_FULL };

/** Connection states (core/states.ts). */
export { IDLE, RESOLVING, CONNECTING, CONNECTED, CLOSING, CLOSED };

const HostTCPClass = TCP as unknown as HostTCPConstructor;

export class TcpConnection implements IdleWatched, SendQueueState, PullState, PushState {
	// Fields marked `declare` exist only once assigned: with ES2022 class fields every declared field would be an
	// own property (a 32-byte slot in XS, looked up linearly) on every connection, used or not.
	/** One of IDLE, RESOLVING, CONNECTING, CONNECTED, CLOSING, CLOSED. Events are delivered only before CLOSING. */
	state: number;
	/** Who gets the events when the hooks are not overridden; null once the application closed the connection. */
	declare owner: TcpOwner | null | undefined;

	/** @internal The host socket (sendqueue.ts writes to it). */
	declare socket: HostTCP | undefined;
	/** @internal Bytes write() takes now. */
	declare room: number | undefined;
	/** @internal Bytes onReadable reported and not yet read (core/push.ts, core/pull.ts). */
	declare available: number | undefined;
	/** @internal Push mode (core/push.ts): the format, undefined = "string"; the text decoder. */
	declare fmt: ReceiveFormat | undefined;
	declare decoder: Utf8Decoder | undefined;
	/** @internal The send queue (sendqueue.ts): first and last chunk, bytes in it. */
	declare head: Chunk | undefined;
	declare tail: Chunk | undefined;
	declare queued: number | undefined;
	/** @internal Reading stopped by hold(). */
	declare held: boolean | undefined;
	/** @internal Completed writes whose tcpSent is still due: delivered by the next onWritable or onReadable (sendqueue.ts). */
	declare doneCount: number | undefined;
	/** @internal Pull mode (core/pull.ts) when not undefined: bytes read from the host, not yet by the owner. */
	declare pulled: ReceiveQueue | null | undefined;
	/** Pull mode: bytes arrived since the last read() (see TcpOwner.tcpReadable). Kept after the connection ended. */
	declare signalled: boolean | undefined;
	/**
	 * connect() over TLS when set (before connectTo()): the host's embedded:io/socket/tcp/tls with these options
	 * (core/tls.ts); tcpConnected then means handshake and certificate check done. A failure ends in
	 * tcpClosed(ERR_TLS_HANDSHAKE), also when it takes longer than TLS_HANDSHAKE_MS.
	 */
	declare tls: TlsTarget | undefined;
	/** TCP keep-alive for connectTo(): idle time and probe interval in ms (ECMA-419 `keepAlive`); 0/undefined = off. */
	declare keepAliveMs: number | undefined;
	// @internal Opening (core/tcpconnect.ts): the peer, packed in one slot (core/ip.ts) once the host socket was
	// asked; connectTo()'s port and address until then (and for good over TLS, whose socket reports no peer); the
	// pending lookup (its callback, which tells this attempt's answer from an earlier one's, and its canceller);
	// the TLS handshake's time limit.
	declare peer: number | undefined;
	declare peerPort: number | undefined;
	declare peerAddress: string | undefined;
	declare lookupDone: LookupCallback | undefined;
	declare cancelLookup: CancelLookup | undefined;
	declare handshakeTimer: unknown;
	/** Inactivity limit in ms (accepted connections of a server with a timeout), see core/idle.ts. */
	declare idleMs: number;
	/** Date.now() of the last bytes received or handed to the host socket, while an inactivity limit applies. */
	declare lastActive: number;

	/**
	 * @param owner gets the events (TcpOwner), unless a subclass implements the hooks; null: set later (an
	 *   accepted connection's acceptor sets it in ListenerOwner.tcpAccepted).
	 */
	constructor(owner?: TcpOwner | null) {
		if (owner !== undefined) this.owner = owner;
		this.state = IDLE;
	}

	// ---- events ("hooks"): called as methods of the connection with the connection first, as TcpOwner's; a
	// subclass implements them, by default they go to `owner`. tcpReceived and tcpSent are called protected (an
	// exception is reported, core/tasks.ts reportError, and the connection carries on), so a subclass may make an
	// application's callback of the same shape the hook itself: no call between the host event and the application.

	/** Name lookup of connect() finished (see TcpOwner.tcpResolved). */
	tcpResolved(connection: TcpConnection, address: string | undefined, addresses?: readonly string[]): void {
		this.owner?.tcpResolved(connection, address, addresses);
	}

	/** Handshake done (outgoing connections only). */
	tcpConnected(connection: TcpConnection): void {
		this.owner?.tcpConnected(connection);
	}

	/** Push mode: bytes arrived, decoded per `format`; never empty. */
	tcpReceived(connection: TcpConnection, data: string | ArrayBuffer): void {
		this.owner?.tcpReceived(connection, data);
	}

	/** Pull mode: bytes arrived while `signalled` was false (see TcpOwner.tcpReadable). */
	tcpReadable(connection: TcpConnection): void {
		this.owner?.tcpReadable?.(connection);
	}

	/** All bytes of one write() were handed to the host socket (see TcpOwner.tcpSent). */
	tcpSent(connection: TcpConnection): void {
		this.owner?.tcpSent(connection);
	}

	/** The connection is over: 0 = closed by the peer, else an lwIP error number. The last event. */
	tcpClosed(connection: TcpConnection, error: number): void {
		const owner = this.owner;
		if (!owner) return;
		this.owner = null;
		owner.tcpClosed(connection, error);
	}

	// ---- the connection ----

	/**
	 * Make this new connection one a listener accepted (`native` = Listener.read()): CONNECTED at once.
	 * @param idleMs inactivity limit: when no byte moves for that long (ms), neither received nor handed to the
	 *   host socket, the connection is aborted and gets tcpClosed(ERR_ABRT); 0 or undefined = none.
	 * @throws whatever the host TCP constructor throws.
	 */
	accept(native: unknown, idleMs?: number): void {
		const socket = new HostTCPClass(hostOptions({ from: native }));
		socket.xsnetConnection = this;
		this.socket = socket;
		this.state = CONNECTED;
		capturePeer(this);
		if (idleMs) {
			this.idleMs = idleMs;
			watchIdle(this);
		}
	}

	/**
	 * Connect to `host` (IPv4 literal or name, validated by the caller) and `port`, from IDLE or CLOSED (a
	 * connection object may connect again once its connection ended). The host is "resolved" first, an IP literal
	 * too (as ESP32 NodeMCU: the connection starts from the DNS result, on a later turn): tcpResolved always comes
	 * before tcpConnected / tcpClosed. A failed lookup ends in tcpClosed(ERR_DNS_FAILED or ERR_DNS_TIMEOUT).
	 */
	connectTo(host: string, port: number): void {
		connectTcp(this, host, port);
	}

	/** Remote port: connectTo()'s, or the host socket's (accepted: the peer's); undefined when unknown. */
	get port(): number | undefined {
		const peer = this.peer;
		return peer === undefined ? this.peerPort : endpointPort(peer);
	}

	/** Remote IP address: connectTo()'s resolved address, or the host socket's (accepted: the peer's). */
	get address(): string | undefined {
		const peer = this.peer;
		return peer === undefined ? this.peerAddress : endpointAddress(peer);
	}

	/** Receive format; changing it drops bytes of an incomplete UTF-8 character held by the decoder. */
	get format(): ReceiveFormat {
		return this.fmt ?? "string";
	}
	set format(value: ReceiveFormat) {
		if (value === (this.fmt ?? "string")) return;
		this.fmt = value;
		if (this.decoder) this.decoder = undefined;
	}

	/**
	 * Bytes given to write() (nodemcu/net: send()) and not yet taken by the host socket, at most
	 * limits.ts sendQueueLimit(); 0 when not connected.
	 */
	get queuedBytes(): number {
		return this.queued ?? 0;
	}

	/**
	 * Queue `data` for sending; the bytes are written in order as the host socket takes them. tcpSent comes once
	 * all of them were handed to the host, never during this call. Allowed while RESOLVING,
	 * CONNECTING or CONNECTED; the bytes must not be changed afterwards unless `copy` is true (then the part that
	 * cannot be written at once is copied).
	 * @returns WRITE_OK; WRITE_REFUSED (nothing queued) in any other state; WRITE_QUEUE_FULL (nothing queued) when
	 *   the bytes the host socket cannot take at once would take the queue past limits.ts sendQueueLimit().
	 */
	write(bytes: Uint8Array, copy: boolean): number {
		const state = this.state;
		if (state !== CONNECTED && state !== CONNECTING && state !== RESOLVING) return WRITE_REFUSED;
		return queueWrite(this, bytes, bytes.length, copy, state === CONNECTED);
	}

	/** @internal The handshake is done (first onWritable, or data arrived before it). */
	connected(): void {
		this.state = CONNECTED;
		if (!this.tls) capturePeer(this);
		if (this.handshakeTimer !== undefined) stopHandshakeTimer(this);
		this.tcpConnected(this);
	}

	/**
	 * Stop reading: bytes stay in the host socket (whose window then closes) until unhold(). No-op unless connected
	 * (NodeMCU's net.c); a new connection starts unheld.
	 */
	hold(): void {
		if (this.state !== CONNECTED) return;
		this.held = true;
		noteHold();
		if (this.idleMs) unwatchIdle(this);      // we, not the peer, stopped the traffic: no inactivity count
	}

	/** Resume reading after hold(); bytes already waiting are delivered at once (as a posted job). */
	unhold(): void {
		if (!this.held) return;
		this.held = false;
		if (this.idleMs && this.state === CONNECTED) watchIdle(this);
		if (this.available! > 0) post(drainLater, this);
	}

	/**
	 * The host's TCP socket while connecting or connected (for xsnet/native's per-socket functions: ttl, local end),
	 * else undefined. Undefined over TLS too: the TLS socket is no host TCP socket (xsnet/native reads the host
	 * record of the host's own TCP class on a board) and keeps its TCP socket private.
	 */
	get hostSocket(): object | undefined {
		return (this.state === CONNECTING || this.state === CONNECTED) && !this.tls ? this.socket : undefined;
	}

	/**
	 * Local port and address of the host socket: `[port, ip]` once connecting (lwIP sets both in tcp_connect),
	 * [undefined, undefined] when unknown (not connecting or connected, over TLS, or the host cannot tell).
	 */
	local(): [number | undefined, string | undefined] {
		const s = this.hostSocket;
		return s ? socketLocal(s, false) : [undefined, undefined];
	}

	/** The inactivity limit passed (core/idle.ts): abort, as lwIP does, and tell ERR_ABRT. */
	expire(): void {
		if (this.state === CONNECTED) finish(this, ERR_ABRT);
	}

	/**
	 * The application closes: no event is delivered afterwards. Bytes still queued are sent first (as lwIP's
	 * tcp_close()): the connection stays CLOSING until then (see handOff()); a connection still being set up is
	 * abandoned.
	 */
	close(): void {
		if (this.owner) this.owner = null;
		if (this.pulled) this.pulled.clear();
		if (this.state === CONNECTED && this.head) {
			this.state = CLOSING;
			return;
		}
		if (this.state !== CLOSING) this.release();
	}

	/**
	 * After close(): when the connection is CLOSING (bytes still queued), hand its host socket and queue to a new,
	 * owner-less TcpConnection that sends them and then lets the socket go, so that this object is CLOSED at once and
	 * may connect again (a NodeMCU socket). Rare: only a close() with bytes waiting pays for the extra object.
	 */
	handOff(): void {
		if (this.state !== CLOSING) return;
		const rest = new TcpConnection();
		const socket = this.socket!;
		rest.state = CLOSING;
		rest.socket = socket;
		rest.room = this.room;
		rest.head = this.head;
		rest.tail = this.tail;
		rest.queued = this.queued;
		rest.available = this.available;
		socket.xsnetConnection = rest;
		this.socket = this.head = this.tail = undefined;      // (so that release() keeps them)
		this.release();
		if (rest.available! > 0) post(drainLater, rest);     // read and dropped: a socket closed unread would RST
	}

	/** @internal Give the host socket back and reset the connection (an object that connects again starts anew). */
	release(): void {
		this.state = CLOSED;
		if (this.handshakeTimer !== undefined) stopHandshakeTimer(this);
		if (this.idleMs) unwatchIdle(this);
		if (this.cancelLookup) {
			this.cancelLookup();
			delete this.cancelLookup;
			delete this.lookupDone;
		}
		if (this.head) this.head = this.tail = undefined;
		if (this.queued) this.queued = 0;
		if (this.room) this.room = 0;
		if (this.held) this.held = false;
		if (this.doneCount) this.doneCount = 0;
		if (this.available) this.available = 0;
		if (this.decoder) this.decoder = undefined;
		const socket = this.socket;
		if (!socket) return;
		this.socket = undefined;
		socket.xsnetConnection = undefined;
		try {
			socket.close();
		}
		catch {
			// already gone
		}
	}
}
