// One LuatOS socket control block ("network_ctrl", what socket.create returns): its state (0..8), what it
// waits for, and its TCP connection, UDP endpoint or listener on xsnet's core. The rules are luat_network_adapter.c's
// (NA), read from its state machine; socket.ts checks the arguments and shapes the results. Getting online:
// ctrl-connect.ts; the UDP side: ctrl-udp.ts.
import { TcpConnection, CLOSED as TCP_CLOSED, WRITE_OK, WRITE_REFUSED, WRITE_QUEUE_FULL } from "xsnet/core/tcp";
import type { TcpOwner } from "xsnet/core/tcp";
import { readableBytes, read } from "xsnet/core/pull";
import type { UdpEndpoint, UdpOwner, Packet } from "xsnet/core/udp";
import { nextDatagram, sendDatagram, takeDatagram } from "luatos/ctrl-udp";
import type { CancelLookup } from "xsnet/core/dns";
import type { TlsSettings } from "xsnet/core/tls";
import { deliver, debugUsed, ON_LINE, TX_OK, CLOSED, EVENT, LINK } from "luatos/events";
import { post, reportError } from "xsnet/core/tasks";
import type { Utf8Decoder } from "xsnet/core/utf8";
import { LINK_OFF, OFF_LINE, WAIT_DNS, ONLINE, DISCONNECTING } from "luatos/states";
import { connectCtrl, connectingState, keptIps, nextAddress } from "luatos/ctrl-connect";
import { ADAPTER_COUNT } from "luatos/adapters";

export { LINK_OFF, OFF_LINE, WAIT_DNS, CONNECTING, HANDSHAKE, ONLINE, LISTEN, DISCONNECTING } from "luatos/states";

// What the ctrl waits for (NW_WAIT_*): a failure is reported as that event with param -1.
const WAIT_NONE = 0, WAIT_LINK = 1, WAIT_ON_LINE = 2, WAIT_TX_OK = 3, WAIT_OFF_LINE = 4, WAIT_EVENT = 5;

// Socket ids (the publish form's socket_id, and toString); a number, writable on a board.
let lastId = 0;

/**
 * The brand of a ctrl: `value?.[IS_CTRL]` is truthy only for a SocketCtrl (or an object made from its prototype, as
 * for instanceof). socket.tx/rx test it instead of `instanceof SocketCtrl`: a lookup of ~300 instructions in XS,
 * instanceof ~900 (Symbol.hasInstance looked up and called, then `prototype`).
 */
export const IS_CTRL = Symbol("SocketCtrl");

/** Where rx() puts bytes: appends them (a zbuff at `used`). */
export type Sink = (bytes: ArrayBuffer, count: number) => void;

export class SocketCtrl implements TcpOwner, UdpOwner {
	/** @internal The brand (IS_CTRL): first on the prototype, so that its lookup ends early. */
	[IS_CTRL](): true {
		return true;
	}

	/** Socket id and adapter index in one slot (id * ADAPTER_COUNT + adapter): an idle ctrl keeps one field fewer. */
	private readonly key: number;
	/** NW_STATE_*: 0..7; RELEASED (-1) after release(). */
	state = LINK_OFF;
	// `declare`d fields exist only once assigned (a ctrl that is never used costs a few slots).
	declare cb: Function | undefined;           // (always set by the constructor)
	declare task: string | undefined;
	declare debugOn: boolean | undefined;
	// config()
	declare udp: boolean | undefined;
	declare localPort: number | undefined;
	declare keepIdle: number | undefined;
	declare tls: TlsSettings | undefined;
	// connection
	declare wait?: number;                         // WAIT_* (absent: WAIT_NONE)
	declare conn: TcpConnection | undefined;       // client, carried (single-client server) or accepted
	declare endpoint: UdpEndpoint | undefined;
	declare server: import("luatos/server").Server | undefined;
	declare remoteAddress: string | undefined;     // UDP: connect's peer (a TCP peer is its connection's: no slot)
	declare remotePort: number | undefined;
	declare dnsIps: string[] | undefined;          // remoteIP(), and what a TCP connect to a name tries in turn
	declare dnsNext: number | undefined;           // the index in dnsIps a failed TCP connect tries next (1 if unset)
	declare ended: boolean | undefined;            // the connection ended by itself (LuatOS need_close)
	declare txDue: number | undefined;             // tx() calls whose bytes are not handed over yet
	declare cancelLookup: CancelLookup | undefined;
	/** read()'s streaming UTF-8 decoder of a TCP connection (a character split between reads stays whole). */
	declare decoder: Utf8Decoder | undefined;

	constructor(adapter: number, handler: Function | string | undefined) {
		this.key = ++lastId * ADAPTER_COUNT + adapter;
		// `cb` is always an own field: each event looks for it first (absent, the lookup would walk the prototype
		// chain, twice per event for a task's ctrl)
		this.cb = typeof handler === "function" ? handler : undefined;
		if (typeof handler === "string") this.task = handler;
	}

	/** The adapter index of create() (LuatOS's adapter, e.g. socket.LWIP_STA). */
	get adapter(): number {
		return this.key % ADAPTER_COUNT;
	}

	/** The socket id: 1, 2, ... in creation order (the publish form's socket_id, and toString). */
	get id(): number {
		return Math.floor(this.key / ADAPTER_COUNT);
	}

	/** A unique text per ctrl, as Lua's tostring(userdata): programs key tables by it. */
	toString(): string {
		return "NWCTRL*: " + this.id;
	}

	/** True while a socket is open or being opened (LuatOS: socket_id >= 0). */
	get busy(): boolean {
		return (this.conn !== undefined && this.conn.state !== TCP_CLOSED) || this.endpoint !== undefined ||
			this.server !== undefined || this.cancelLookup !== undefined;
	}

	/**
	 * Deliver `event` with `param`: `now` from the event loop (a core callback: a host event or a posted job), else
	 * (inside an API call) posted.
	 */
	emit(event: number, param: number, now?: boolean): void {
		deliver(this, event, param, now);
	}

	/** @internal Report a failure to what is being waited on (NA statemachine: event = wait target, param -1). */
	failWaited(now: boolean): void {
		const w = this.wait;
		this.wait = WAIT_NONE;
		if (w === WAIT_ON_LINE) deliver(this, ON_LINE, -1, now);
		else if (w === WAIT_TX_OK) deliver(this, TX_OK, -1, now);
		else if (w === WAIT_OFF_LINE) deliver(this, CLOSED, 0, now);
		else if (w === WAIT_LINK) deliver(this, LINK, -1, now);
		else deliver(this, EVENT, -1, now);
	}

	/** An event that resolves a wait for `w`: the wait ends (the field goes: an idle ctrl keeps no slot for it). */
	private resolved(w: number, event: number, now: boolean): void {
		if (this.wait === w) delete this.wait;
		deliver(this, event, 0, now);
	}

	/**
	 * connect(): TCP to `host`:`port` (a name is looked up first: state 2, else 3), or UDP bound and "connected"
	 * (port 0 = receive from anyone); a name with port 0 is a lookup only. ON_LINE follows (ctrl-connect.ts).
	 * @returns false when a socket is already open (LuatOS: (false, false)).
	 */
	connect(host: string, port: number): boolean {
		return connectCtrl(this, host, port);
	}

	/** @internal core: the name of a TCP connect was looked up. */
	tcpResolved(conn: TcpConnection, address: string | undefined, ips?: readonly string[]): void {
		if (conn !== this.conn || !address) return;
		if (this.state === WAIT_DNS) this.dnsIps = keptIps(address, ips);
		this.state = connectingState(this);
	}

	/** @internal core: TCP connected. */
	tcpConnected(conn: TcpConnection): void {
		if (conn !== this.conn) return;
		this.state = ONLINE;
		this.resolved(WAIT_ON_LINE, ON_LINE, true);
	}

	/** @internal core (push mode only; pull mode here). */
	tcpReceived(): void {
	}

	/** @internal core: new bytes (once until rx/read). NA: EVENT(0) even while a tx waits for TX_OK. */
	tcpReadable(conn: TcpConnection): void {
		if (conn !== this.conn || this.state !== ONLINE) return;
		if (this.wait !== WAIT_TX_OK) this.wait = WAIT_NONE;
		const cb = this.cb;
		if (cb && !debugUsed) {
			// deliver(this, EVENT, 0, true) inline (once per arrival): online, so not released; protected as there
			try {
				cb(this, EVENT, 0);
			}
			catch (e) {
				reportError(e);
			}
		}
		else deliver(this, EVENT, 0, true);
	}

	/** @internal core: the bytes of one tx() were handed to the TCP stack. */
	tcpSent(conn: TcpConnection): void {
		if (conn !== this.conn) return;
		// sent() inline (once per tx of a request/response exchange): a call less on the hottest path
		const due = this.txDue;
		if (!due || (this.txDue = due - 1)) return;
		if (this.state === DISCONNECTING) {
			this.disconnected();
			return;
		}
		if (this.wait === WAIT_TX_OK) this.wait = WAIT_NONE;
		const cb = this.cb;
		if (cb && !debugUsed) {
			// deliver(this, TX_OK, 0, true) inline (once per tx): a released ctrl has no connection; protected as there
			try {
				cb(this, TX_OK, 0);
			}
			catch (e) {
				reportError(e);
			}
		}
		else deliver(this, TX_OK, 0, true);
	}

	private sent(): void {
		if (!this.txDue || --this.txDue) return;
		if (this.state === DISCONNECTING) this.disconnected();
		else this.resolved(WAIT_TX_OK, TX_OK, true);
	}

	/** @internal core: the connection ended (0 = the peer closed it, else an lwIP error number). */
	tcpClosed(conn: TcpConnection, error: number): void {
		if (conn !== this.conn) {
			this.server?.dropped(conn);
			return;
		}
		if (this.state === DISCONNECTING) {
			this.disconnected();
			return;
		}
		if (this.wait === WAIT_ON_LINE && nextAddress(this, conn, error)) return;
		if (this.wait === WAIT_ON_LINE) this.conn = undefined;     // connect failed: nothing to read
		else this.ended = true;                                     // NA need_close: unread bytes stay readable once
		const server = this.server;
		if (server?.endsWithClient()) {
			// LuatOS's 1:1 server socket is one socket: its client's end closes it, listener included (new clients are
			// refused until the program listens again)
			this.server = undefined;
			server.close();
		}
		this.state = OFF_LINE;
		this.txDue = 0;
		this.failWaited(true);
	}

	// ---- UDP (ctrl-udp.ts) ----

	/** @internal core: datagrams arrived. */
	udpReadable(endpoint: UdpEndpoint): void {
		if (endpoint !== this.endpoint || this.state !== ONLINE) return;
		if (!nextDatagram(this, endpoint)) {
			endpoint.signalled = false;
			return;
		}
		if (this.wait !== WAIT_TX_OK) this.wait = WAIT_NONE;
		deliver(this, EVENT, 0, true);
	}

	/** @internal core (push mode only). */
	udpReceived(): void {
	}

	/** @internal core: one datagram of tx() was handed to the host. */
	udpSent(endpoint: UdpEndpoint): void {
		if (endpoint === this.endpoint) this.sent();
	}

	// ---- data ----

	/** The "new data" flag (NA new_rx_flag): set by arrivals, cleared by rx() with a buffer and read(). */
	get dataFlag(): boolean {
		return !!(this.endpoint ? this.endpoint.signalled : this.conn?.signalled);
	}

	/** NA network_rx's test: online, or ended with unread data flagged (readable once). */
	get readable(): boolean {
		if (this.state === ONLINE) return this.conn !== undefined || this.endpoint !== undefined;
		return !!this.ended && this.dataFlag;       // (online implies not ended)
	}

	/**
	 * tx(): queue `bytes` (TCP), or send one datagram to `address`:`port` (UDP; undefined = connect's peer).
	 * TX_OK(0) follows once every tx() so far was handed over.
	 * @returns WRITE_OK; WRITE_REFUSED when not online, or for a datagram over LUATOS_UDP_TX_MAX bytes or one the
	 *   host refused; WRITE_QUEUE_FULL (TCP, nothing queued) when the send queue bound (limits.ts) would be passed.
	 */
	tx(bytes: Uint8Array, copy: boolean, address: string | undefined, port: number): number {
		// (online implies not ended: tcpClosed leaves state 5, and every way back to it clears `ended`)
		if (this.state !== ONLINE) return WRITE_REFUSED;
		const conn = this.conn;                 // TCP first: the fields a TCP ctrl has (an absent one costs a lookup)
		if (conn) {
			const result = conn.write(bytes, copy);
			if (result !== WRITE_OK) return result;
		}
		else {
			const endpoint = this.endpoint;
			if (!endpoint || !sendDatagram(this, endpoint, bytes, address, port)) return WRITE_REFUSED;
		}
		this.txDue = (this.txDue ?? 0) + 1;
		this.wait = WAIT_TX_OK;
		return WRITE_OK;
	}

	/** Bytes rx() without a buffer reports: TCP all readable bytes, UDP the next datagram's length. */
	pending(): number {
		const endpoint = this.endpoint;
		if (endpoint) return nextDatagram(this, endpoint)?.byteLength ?? 0;
		const conn = this.conn;
		return conn ? readableBytes(conn) : 0;
	}

	/**
	 * Take up to `limit` bytes: TCP keeps the rest, UDP takes one datagram and drops what is beyond `limit`.
	 * @returns the bytes and, for UDP, the datagram (its sender); clears the data flag.
	 */
	take(limit: number): { bytes: ArrayBuffer; from: Packet | undefined } {
		const endpoint = this.endpoint;
		if (endpoint) return takeDatagram(this, endpoint, limit);
		const conn = this.conn;
		if (!conn) return { bytes: new ArrayBuffer(0), from: undefined };
		return { bytes: read(conn, limit), from: undefined };
	}

	/** wait(): [ok, dataPending]; NA network_wait_event. */
	waitEvent(): [boolean, boolean] {
		const conn = this.conn;         // (TCP: dataFlag without its call; a ctrl has no endpoint then)
		if (conn ? conn.signalled : this.dataFlag) {
			this.wait = WAIT_EVENT;
			return [true, true];
		}
		if (this.state !== ONLINE) return [false, false];       // (online implies not ended: see tx())
		this.wait = WAIT_EVENT;
		return [true, false];
	}

	// ---- ending ----

	/**
	 * discon(): an online TCP socket closes gracefully (state 7; bytes still queued are sent first) and CLOSED(0)
	 * follows: returns false. Anything else is closed at once: returns true (no event).
	 */
	discon(): boolean {
		const conn = this.conn;
		if (this.state === ONLINE && conn && !this.ended && conn.state !== TCP_CLOSED) {
			this.state = DISCONNECTING;
			this.wait = WAIT_OFF_LINE;
			conn.signalled = false;
			if (!this.txDue) post(disconnectLater, this);
			return false;
		}
		this.close();
		return true;
	}

	/** The graceful close of discon() is handed to the host: CLOSED(0). */
	disconnected(): void {
		if (this.state !== DISCONNECTING) return;     // close() or release() came first
		this.close();
		deliver(this, CLOSED, 0, true);
	}

	/** Close everything at once, no event (socket.close); state 1. */
	close(): void {
		// (a field is only written when set: an unused `declare`d field costs no slot)
		const conn = this.conn, endpoint = this.endpoint, server = this.server;
		if (conn) {
			this.conn = undefined;
			conn.close();
		}
		if (endpoint) {
			this.endpoint = undefined;
			endpoint.close();
		}
		if (server) {
			this.server = undefined;
			server.close();
		}
		if (this.cancelLookup) {
			this.cancelLookup();
			this.cancelLookup = undefined;
		}
		this.reset();
		this.state = OFF_LINE;
	}

	/** Forget the previous connection's leftovers. */
	private reset(): void {
		if (this.wait !== undefined) delete this.wait;
		if (this.ended) this.ended = false;
		if (this.txDue) this.txDue = 0;
		if (this.dnsIps) this.dnsIps = undefined;
		if (this.dnsNext) this.dnsNext = undefined;
		if (this.decoder) this.decoder = undefined;
		if (this.remoteAddress !== undefined) this.remoteAddress = undefined;
		if (this.remotePort !== undefined) this.remotePort = undefined;
	}

	/** linkup(): the adapter is up, so the state becomes 1 (NA network_wait_link_up) unless the socket is in use. */
	linkup(): void {
		if (this.state === LINK_OFF) this.state = OFF_LINE;
	}

	/** Set what is waited on (the server's listen). */
	waitFor(w: "online"): void {
		if (w === "online") this.wait = WAIT_ON_LINE;
	}

	/** An ON_LINE(0) that resolves a listen (`now`: from the event loop, else posted). */
	online(now: boolean): void {
		this.resolved(WAIT_ON_LINE, ON_LINE, now);
	}

	/** A listen that failed (inside listen()): ON_LINE(-1), posted. */
	listenFailed(): void {
		this.state = OFF_LINE;
		this.failWaited(false);
	}
}

function disconnectLater(ctrl: SocketCtrl): void {
	ctrl.disconnected();
}
