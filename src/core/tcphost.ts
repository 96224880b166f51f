// The host socket of a TCP connection (core/tcp.ts): its ECMA-419 options and the three callbacks every host
// socket shares. Each callback finds its connection through the host socket's `xsnetConnection` and does the
// connection's work itself (room, bytes, end), so a host event costs one JS call before the connection's own
// event, and a connection costs no closures.
// Host contract relied on (the simulator implements it; Moddable's lwIP TCP too, see docs/nodemcu-net.md):
// - the first onWritable(bytes) means connected; `bytes` is how much write() takes now; write() returns the
//   new writable count (Moddable's lwIP returns nothing when the stack refused the bytes) and throws beyond it;
// - onReadable(bytes): `bytes` available in all; read(n) and read(view) take exactly n (view.length) bytes, so
//   the core never asks for more than are available (Moddable's classes throw then, as the simulator does);
// - onError(code): the connection is over; code is an lwIP err_t, 0 or undefined = the peer closed normally,
//   reported only after every received byte was read;
// - close() is graceful: bytes already written are delivered, then FIN.
import type { TcpConnection } from "xsnet/core/tcp";
import { TCP_NO_DELAY } from "xsnet/core/limits";
import { pump, flushSent } from "xsnet/core/sendqueue";
import { fill, pullUsed } from "xsnet/core/pull";
import { drainBuffers, drainText } from "xsnet/core/push";
import { CONNECTING, CONNECTED, CLOSING } from "xsnet/core/states";
import { reportError } from "xsnet/core/tasks";
import { failed } from "xsnet/core/tcpend";
import { idleWatching } from "xsnet/core/idle";

/** The host socket as the core uses it (ECMA-419 TCP; its local end comes from xsnet/native, core/netif.ts). */
export interface HostTCP {
	read(byteLength?: number): ArrayBuffer | undefined;
	read(buffer: Uint8Array): number;
	write(data: ArrayBuffer | ArrayBufferView): number | undefined;
	close(): void;
	readonly remoteAddress?: string;
	readonly remotePort?: number;
	/** The connection it belongs to (set by the core, cleared when the connection lets it go). */
	xsnetConnection?: TcpConnection;
}
export type HostTCPConstructor = new (options: object) => HostTCP;

/**
 * The options of a host socket: the callbacks are the same three functions for every connection.
 * `noDelay` is ECMA-419's name; Moddable's lwIP implementation reads `nodelay`.
 */
export function hostOptions(extra: object): object {
	return { ...extra, onReadable, onWritable, onError, format: "buffer", noDelay: TCP_NO_DELAY, nodelay: TCP_NO_DELAY };
}

/**
 * Host: room to write `bytes` (the first one: connected). Delivers the "sent" events of the writes completed
 * before it, then feeds the send queue; a connection closing with bytes queued lets its host socket go once they
 * are written.
 */
export function onWritable(this: HostTCP, bytes: number): void {
	let c = this.xsnetConnection;
	if (!c) return;
	c.room = bytes;
	if (c.state === CONNECTING) c.connected();
	let due = c.doneCount;
	if (due) {
		// writes completed before this event: sendqueue.ts flushSent() without its call (once per send)
		c.doneCount = 0;
		while (due-- > 0 && c.state === CONNECTED) {
			try {
				c.tcpSent(c);
			}
			catch (e) {
				reportError(e);
			}
		}
	}
	c = this.xsnetConnection;                       // (a callback may have closed it: see handOff in tcp.ts)
	if (!c) return;
	const state = c.state;
	if (state !== CONNECTED && state !== CLOSING) return;
	if (c.head) pump(c);
	if (state === CLOSING && !c.head) c.release();
}

/** Host: `bytes` received in all. Delivered now (push mode), or announced and read ahead (pull mode). */
export function onReadable(this: HostTCP, bytes: number): void {
	let c = this.xsnetConnection;
	if (!c) return;
	if (c.doneCount) {
		flushSent(c);                                  // "sent" before the bytes that follow it (an echo's reply)
		c = this.xsnetConnection;                      // (a callback may have closed it)
		if (!c) return;
	}
	c.available = bytes;
	if (idleWatching && c.idleMs) c.lastActive = Date.now();
	if (c.state === CONNECTING) {
		c.connected();                                 // (bytes before the first onWritable)
		c = this.xsnetConnection;
		if (!c) return;
	}
	if (pullUsed && c.pulled !== undefined) {
		// Signal first, then read ahead what the owner left: an owner that reads in tcpReadable takes the bytes
		// straight from the host socket (pull.ts readInto: one native copy, no buffer per arrival).
		if (!c.signalled && c.state === CONNECTED) {
			c.signalled = true;
			c.tcpReadable(c);
		}
		if (c.available! > 0) fill(c);               // (what the owner left)
		return;
	}
	if (c.fmt === "buffer") drainBuffers(c);
	else drainText(c);
}

/** Host: the connection is over (`code`: an lwIP error number; 0 or none: see tcpend.ts failed()). */
export function onError(this: HostTCP, code?: number): void {
	const c = this.xsnetConnection;
	if (c) failed(c, code);
}

/**
 * The three callbacks for a host socket that calls them with another `this` than itself (Moddable's TLSSocket
 * uses its options object): closures over the socket, which `socket()` returns once it exists.
 */
export function boundCallbacks(socket: () => HostTCP | undefined): object {
	return {
		onReadable: (bytes: number) => {
			const s = socket();
			if (s) onReadable.call(s, bytes);
		},
		onWritable: (bytes: number) => {
			const s = socket();
			if (s) onWritable.call(s, bytes);
		},
		onError: (code?: number) => {
			const s = socket();
			if (s) onError.call(s, code);
		},
	};
}
