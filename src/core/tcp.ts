// One TCP connection over ECMA-419 embedded:io/socket/tcp: name resolution, connection state, flow control (hold),
// error numbers. The send queue with back-pressure from onWritable: core/sendqueue.ts; receiving: core/push.ts
// (push mode) and core/pull.ts (pull mode).
// No API personality here: events go to a TcpOwner (nodemcu/net's socket, later luatos/socket) which decides
// names, argument shapes and messages.
//
// Host contract relied on (the simulator implements it; Moddable's lwIP TCP too, see docs/nodemcu-net.md):
// - the first onWritable(bytes) means connected; `bytes` is how much write() takes now; write() returns the
//   new writable count (Moddable's lwIP returns nothing when the stack refused the bytes) and throws beyond it;
// - onReadable(bytes): `bytes` available in all; read(n) and read(view) take exactly n (view.length) bytes, so
//   this module never asks for more than are available (Moddable's classes throw then, as the simulator does);
// - onError(code): the connection is over; code is an lwIP err_t, 0 or undefined = the peer closed normally,
//   reported only after every received byte was read;
// - close() is graceful: bytes already written are delivered, then FIN.
//
// Two receive modes: push (default, core/push.ts: every received byte goes to owner.tcpReceived, decoded per
// `format`; nodemcu/net) and pull (core/pull.ts: bytes wait until the owner reads them, owner.tcpReadable says when new ones
// arrived; luatos/socket).
import TCP from "embedded:io/socket/tcp";
import type { Utf8Decoder } from "xsnet/core/utf8";
import { TCP_NO_DELAY } from "xsnet/core/limits";
import { queueWrite, pump, flushSent, WRITE_OK, WRITE_REFUSED, WRITE_QUEUE_FULL } from "xsnet/core/sendqueue";
import type { Chunk, SendQueueState } from "xsnet/core/sendqueue";
import type { ReceiveQueue } from "xsnet/core/rxqueue";
import { fill, pullChunk } from "xsnet/core/pull";
import type { PullState } from "xsnet/core/pull";
import { drainBuffers, drainText, drainLater } from "xsnet/core/push";
import type { PushState, ReceiveFormat } from "xsnet/core/push";
import { IDLE, RESOLVING, CONNECTING, CONNECTED, CLOSING, CLOSED } from "xsnet/core/states";
import { ERR_OK, ERR_RTE, ERR_ABRT, ERR_RST, ERR_CLSD } from "xsnet/core/errors";
import { lookup } from "xsnet/core/dns";
import type { CancelLookup } from "xsnet/core/dns";
import { post } from "xsnet/core/tasks";
import { watchIdle, unwatchIdle } from "xsnet/core/idle";
import type { IdleWatched } from "xsnet/core/idle";
import type { TlsTarget } from "xsnet/core/tls";
import { TLS_HANDSHAKE_MS } from "xsnet/core/limits";
import { ERR_TLS_HANDSHAKE } from "xsnet/core/errors";
import { socketLocal } from "xsnet/core/netif";
import { packEndpoint, endpointAddress, endpointPort } from "xsnet/core/ip";
import Timer from "timer";

/** The host socket as this module uses it (ECMA-419 TCP; its local end comes from xsnet/native, core/netif.ts). */
export interface HostTCP {
	read(byteLength?: number): ArrayBuffer | undefined;
	read(buffer: Uint8Array): number;
	write(data: ArrayBuffer | ArrayBufferView): number | undefined;
	close(): void;
	readonly remoteAddress?: string;
	readonly remotePort?: number;
	/** Back-reference set by this module; the shared callbacks find their connection through it. */
	xsnetConnection?: TcpConnection;
}
type HostTCPConstructor = new (options: object) => HostTCP;
const HostTCPClass = TCP as unknown as HostTCPConstructor;

/** How received bytes are delivered (core/push.ts): "string" = UTF-8 text (streaming decoder), "buffer" = ArrayBuffer. */
export type { ReceiveFormat };

/** Receiver of a connection's events. Each method is called at most as described; none is called after close(). */
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
	tcpSent(connection: TcpConnection, token: unknown): void;
	/** The connection is over: 0 = closed by the peer, else an lwIP error number (errors.ts). */
	tcpClosed(connection: TcpConnection, error: number): void;
}

/** Results of TcpConnection.write() (defined in core/sendqueue.ts). */
export { WRITE_OK, WRITE_REFUSED, WRITE_QUEUE_FULL };

/** Connection states (core/states.ts). */
export { IDLE, RESOLVING, CONNECTING, CONNECTED, CLOSING, CLOSED };

function onWritable(this: HostTCP, bytes: number): void {
	this.xsnetConnection?.writable(bytes);
}
function onReadable(this: HostTCP, bytes: number): void {
	this.xsnetConnection?.readable(bytes);
}
function onError(this: HostTCP, code?: number): void {
	this.xsnetConnection?.failed(code);
}

/**
 * Options of every host socket: the callbacks are the same three functions for all connections (they find the
 * connection through socket.xsnetConnection), so a connection costs no closures.
 * `noDelay` is ECMA-419's name; Moddable's lwIP implementation reads `nodelay`.
 */
function hostOptions(extra: object): object {
	return { ...extra, onReadable, onWritable, onError, format: "buffer", noDelay: TCP_NO_DELAY, nodelay: TCP_NO_DELAY };
}

export class TcpConnection implements IdleWatched, SendQueueState, PullState, PushState {
	// Fields marked `declare` exist only once assigned: with ES2022 class fields every declared field would be an
	// own property (a 32-byte slot in XS, looked up linearly) on every connection, used or not.
	/** Who gets the events; null once the application closed the connection (then no event is delivered). */
	owner: TcpOwner | null;
	/** One of IDLE, RESOLVING, CONNECTING, CONNECTED, CLOSING, CLOSED. */
	state: number;
	// The peer. The host socket is asked once, when the connection is accepted or connected (capturePeer()), never
	// later: Moddable's lwIP TCP sets its pcb to NULL in lwIP's error callback, before onError reaches JS, and its
	// remoteAddress/remotePort getters dereference it (a board crash; the simulator stops there). `peer` holds both
	// in one slot (core/ip.ts packEndpoint); `peerPort`/`peerAddress` are connect()'s until then (a client's port is
	// needed after a failed attempt), and for good over TLS, whose socket reports no peer.
	declare private peer: number | undefined;
	declare private peerPort: number | undefined;
	declare private peerAddress: string | undefined;

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
	/**
	 * @internal Completed writes whose tcpSent is still due, their tokens (only once one was not undefined): delivered
	 * by the next onWritable or onReadable (sendqueue.ts).
	 */
	declare doneCount: number | undefined;
	declare doneTokens: unknown[] | undefined;
	/** @internal Pull mode (core/pull.ts) when not undefined: bytes read from the host, not yet by the owner. */
	declare pulled: ReceiveQueue | null | undefined;
	/** Pull mode: bytes arrived since the last read() (see TcpOwner.tcpReadable). Kept after the connection ended. */
	declare signalled: boolean | undefined;
	/**
	 * connect() over TLS when set (before connect()): the host's embedded:io/socket/tcp/tls with these options
	 * (core/tls.ts); tcpConnected then means handshake and certificate check done. A failure ends in
	 * tcpClosed(ERR_TLS_HANDSHAKE), also when it takes longer than TLS_HANDSHAKE_MS.
	 */
	declare tls: TlsTarget | undefined;
	declare private handshakeTimer: unknown;
	/** TCP keep-alive for connect(): idle time and probe interval in ms (ECMA-419 `keepAlive`); 0/undefined = off. */
	declare keepAliveMs: number | undefined;

	constructor(owner: TcpOwner) {
		this.owner = owner;
		this.state = IDLE;
	}

	/** Cancels the name lookup of connect() while RESOLVING. */
	declare private cancelLookup?: CancelLookup;    // deleted once done: a connection keeps no slot for it
	/** Inactivity limit in ms (accepted connections of a server with a timeout), see core/idle.ts. */
	declare idleMs: number;
	/** Date.now() of the last bytes received or handed to the host socket, while an inactivity limit applies. */
	declare lastActive: number;

	/**
	 * Wrap a socket accepted by a listener (`native` = Listener.read()). The connection is CONNECTED at once.
	 * @param idleMs inactivity limit: when no byte moves for that long (ms), neither received nor handed to the
	 *   host socket, the connection is aborted and its owner gets tcpClosed(ERR_ABRT); 0 or undefined = none.
	 * @throws whatever the host TCP constructor throws.
	 */
	static accept(native: unknown, owner: TcpOwner, idleMs?: number): TcpConnection {
		const c = new TcpConnection(owner);
		const socket = new HostTCPClass(hostOptions({ from: native }));
		socket.xsnetConnection = c;
		c.socket = socket;
		c.state = CONNECTED;
		c.capturePeer();
		if (idleMs) {
			c.idleMs = idleMs;
			watchIdle(c);
		}
		return c;
	}

	/** Remote port: connect()'s, or the host socket's (accepted: the peer's); undefined when unknown. */
	get port(): number | undefined {
		const peer = this.peer;
		return peer === undefined ? this.peerPort : endpointPort(peer);
	}

	/** Remote IP address: connect()'s resolved address, or the host socket's (accepted: the peer's). */
	get address(): string | undefined {
		const peer = this.peer;
		return peer === undefined ? this.peerAddress : endpointAddress(peer);
	}

	/**
	 * Ask the host socket for the peer, while it can still say (accepted or just connected, inside a host callback):
	 * kept in one slot; connect()'s values are dropped then. Over TLS, or when the host cannot tell, they stay.
	 */
	private capturePeer(): void {
		let peer: number | undefined;
		try {
			const s = this.socket!;
			peer = packEndpoint(s.remoteAddress, s.remotePort);
		}
		catch {
			// not supported by this host
		}
		if (peer === undefined) return;
		this.peer = peer;
		if (this.peerPort !== undefined) delete this.peerPort;
		if (this.peerAddress !== undefined) delete this.peerAddress;
	}

	/** Receive format; changing it drops bytes of an incomplete UTF-8 character held by the decoder. */
	get format(): ReceiveFormat {
		return this.fmt ?? "string";
	}
	set format(value: ReceiveFormat) {
		if (value === this.format) return;
		this.fmt = value;
		if (this.decoder) this.decoder = undefined;
	}

	/** Bytes given to write() and not yet taken by the host socket. */
	get queuedBytes(): number {
		return this.queued ?? 0;
	}

	/**
	 * Connect to `host` (IPv4 literal or name, validated by the caller) and `port`. Only from IDLE.
	 * The host is "resolved" first, an IP literal too (as ESP32 NodeMCU: the connection starts from the DNS
	 * result, on a later turn): owner.tcpResolved(address) always comes before tcpConnected / tcpClosed.
	 * A failed lookup ends in owner.tcpClosed(ERR_DNS_FAILED or ERR_DNS_TIMEOUT).
	 */
	connect(host: string, port: number): void {
		this.peerPort = port;
		this.state = RESOLVING;
		this.cancelLookup = lookup(host, (error, address, addresses) => this.resolved(error, address, addresses));
	}

	private resolved(error: number, address: string | undefined, addresses?: readonly string[]): void {
		delete this.cancelLookup;
		if (this.state !== RESOLVING || !this.owner) return;
		this.owner.tcpResolved(this, address, addresses);
		if (this.state !== RESOLVING) return;       // close() in the callback
		if (error !== ERR_OK || address === undefined) {
			this.finish(error);
			return;
		}
		try {
			this.open(address);
		}
		catch {
			// the host refused to even start (no descriptor / pcb left, ...): the documented -4, nothing else
			this.finish(ERR_RTE);
		}
	}

	private open(address: string): void {
		const options: Record<string, unknown> = { address, port: this.peerPort };
		if (this.keepAliveMs) options.keepAlive = this.keepAliveMs;
		const tls = this.tls;
		let socket: HostTCP;
		if (tls) {
			options.TCP = { io: TCP };
			options.host = tls.host;
			options.secure = tls.secure;
			// closures: Moddable's TLSSocket calls the callbacks with `this` = its callbacks object, not the socket
			socket = new (tls.io as HostTCPConstructor)({
				...hostOptions(options),
				onReadable: (bytes: number) => this.readable(bytes),
				onWritable: (bytes: number) => this.writable(bytes),
				onError: (code?: number) => this.failed(code),
			});
			this.handshakeTimer = Timer.set(() => {
				this.handshakeTimer = undefined;
				if (this.state === CONNECTING) this.finish(ERR_TLS_HANDSHAKE);
			}, TLS_HANDSHAKE_MS);
		}
		else socket = new HostTCPClass(hostOptions(options));
		socket.xsnetConnection = this;
		this.socket = socket;
		this.peerAddress = address;                  // until connected (capturePeer)
		this.state = CONNECTING;
	}

	/**
	 * Queue `data` for sending; the bytes are written in order as the host socket takes them. `token` comes back
	 * in owner.tcpSent once all of them were handed to the host, never during this call. Allowed while RESOLVING,
	 * CONNECTING or CONNECTED; the bytes must not be changed afterwards unless `copy` is true (then the part that
	 * cannot be written at once is copied).
	 * @returns WRITE_OK; WRITE_REFUSED (nothing queued) in any other state; WRITE_QUEUE_FULL (nothing queued) when
	 *   the bytes the host socket cannot take at once would take the queue past limits.ts sendQueueLimit().
	 */
	write(bytes: Uint8Array, token: unknown, copy: boolean): number {
		const state = this.state;
		if (state !== CONNECTED && state !== CONNECTING && state !== RESOLVING) return WRITE_REFUSED;
		return queueWrite(this, bytes, token, copy, state === CONNECTED);
	}

	/** Host: onWritable(bytes). */
	writable(bytes: number): void {
		this.room = bytes;
		if (this.state === CONNECTING) this.connected();
		if (this.doneCount) flushSent(this);            // writes completed before this event (may close)
		if (this.state !== CONNECTED && this.state !== CLOSING) return;
		if (this.head) pump(this);
		if (this.state === CLOSING && !this.head) this.release();
	}

	/** The handshake is done (first onWritable, or data arrived before it). */
	private connected(): void {
		this.state = CONNECTED;
		if (!this.tls) this.capturePeer();
		if (this.handshakeTimer !== undefined) this.stopHandshakeTimer();
		this.owner?.tcpConnected(this);
	}

	/** Host: onReadable(bytes). */
	readable(bytes: number): void {
		if (this.doneCount) flushSent(this);            // "sent" before the bytes that follow it (an echo's reply)
		this.available = bytes;
		if (this.idleMs) this.lastActive = Date.now();
		if (this.state === CONNECTING) this.connected();
		if (this.pulled !== undefined) {
			// Signal first, then read ahead what the owner left: an owner that reads in tcpReadable takes the bytes
			// straight from the host socket (readInto: one native copy, no buffer per arrival).
			if (!this.signalled && this.state === CONNECTED) {
				this.signalled = true;
				this.owner?.tcpReadable?.(this);
			}
			if (this.available! > 0) fill(this);     // (what the owner left)
			return;
		}
		if (this.fmt === "buffer") drainBuffers(this);     // (drain() without its call: once per arrival)
		else drainText(this);
	}

	/** Stop reading: bytes stay in the host socket (whose window then closes) until unhold(). */
	hold(): void {
		if (this.state !== CONNECTED) return;    // NodeMCU: no-op unless connected; a new connection starts unheld
		this.held = true;
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

	/** The inactivity limit passed (core/idle.ts): abort, as lwIP does, and tell the owner ERR_ABRT. */
	expire(): void {
		if (this.state === CONNECTED) this.finish(ERR_ABRT);
	}

	/** Host: onError(code). */
	failed(code?: number): void {
		// Moddable's devices call onError() with no code for FIN, reset and refusal alike: while connecting it can
		// only be a failure (reset/refused), once connected the common case is the peer's normal close.
		const error = (code === undefined || code === null) ? (this.state === CONNECTING ? ERR_RST : ERR_OK) : code;
		if (this.state === CLOSING) {
			this.release();
			return;
		}
		if (this.doneCount && this.owner) {
			// the stack took those bytes before the end: their tcpSent now, the end on a later turn, as when the peer's
			// ACK came before its FIN (the application's reaction to "sent" runs before it hears of the end)
			flushSent(this);
			post(finishLater, this, error);
			return;
		}
		this.finish(error);
	}

	/** Posted by failed(): the end that followed due tcpSent events. */
	finishLater(error: number): void {
		if (this.state === CLOSING) this.release();        // close() meanwhile: the host socket is gone already
		else if (this.state !== CLOSED) this.finish(error);
	}

	/**
	 * The connection ended by itself: deliver the tcpSent events still due (their bytes did reach the stack),
	 * the decoder's tail, then tcpClosed(error). Bytes still in our queue (not taken by the host socket) are
	 * dropped with their tcpSent: a peer's normal close (FIN, ERR_OK) is then reported as ERR_CLSD, since the host
	 * refuses write() after the FIN (Moddable's lwIP TCP: "not ready"); what the host took is still delivered
	 * before our FIN (lwIP's tcp_close()). See docs/nodemcu-net.md, "Half-close".
	 */
	private finish(error: number): void {
		if (error === ERR_OK && this.head) error = ERR_CLSD;
		if (this.doneCount && this.owner) flushSent(this);
		if (this.pulled !== undefined) {
			// what the host still holds was received before the end: keep it readable (the host socket goes now)
			while (pullChunk(this))
				;
		}
		const owner = this.owner;
		if (owner && this.state === CONNECTED && this.decoder) {
			const tail = this.decoder.end();
			if (tail !== "") owner.tcpReceived(this, tail);
		}
		this.release();
		this.owner = null;
		if (owner) owner.tcpClosed(this, error);
	}

	/**
	 * The application closes: no event is delivered afterwards. Bytes still queued are sent first (as lwIP's
	 * tcp_close()); a connection still being set up is abandoned.
	 */
	close(): void {
		this.owner = null;
		if (this.pulled) this.pulled.clear();
		if (this.state === CONNECTED && this.head) {
			this.state = CLOSING;
			return;
		}
		if (this.state !== CLOSING) this.release();
	}

	private stopHandshakeTimer(): void {
		Timer.clear(this.handshakeTimer as Timer);
		this.handshakeTimer = undefined;
	}

	/** Give the host socket back and forget everything. */
	private release(): void {
		this.state = CLOSED;
		if (this.handshakeTimer !== undefined) this.stopHandshakeTimer();
		if (this.idleMs) unwatchIdle(this);
		if (this.cancelLookup) {
			this.cancelLookup();
			delete this.cancelLookup;
		}
		if (this.head) this.head = this.tail = undefined;
		if (this.queued) this.queued = 0;
		if (this.doneCount) this.doneCount = 0;
		if (this.doneTokens) this.doneTokens = undefined;
		if (this.available) this.available = 0;
		if (this.decoder) this.decoder = undefined;
		const socket = this.socket;
		this.socket = undefined;
		if (socket) {
			socket.xsnetConnection = undefined;
			try {
				socket.close();
			}
			catch {
				// already gone
			}
		}
	}
}

function finishLater(c: TcpConnection, error: number): void {
	c.finishLater(error);
}
