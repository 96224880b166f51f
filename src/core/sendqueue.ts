// A TCP connection's send queue (core/tcp.ts): bytes given to write() go straight to the host socket while it has
// room and nothing waits before them; the rest waits here, in order, until onWritable reports room again
// (back-pressure). Each write() completes once all of its bytes were handed to the host socket; its tcpSent comes
// with the connection's next host event (flushSent from onWritable or onReadable: never inside write()), in order
// with every other completion. The host reports room again after every write it took (the simulator on its next
// turn; Moddable's lwIP TCP when the peer acknowledges the bytes, which is when NodeMCU's net.c fires "sent" and
// LuatOS's TX_OK), so no turn of the event loop of our own is needed: the completions of a turn go out together.
// Functions over the connection's own fields rather than a class of its own: no extra object per connection, and
// no extra property lookups on the echo's hot path (XS looks properties up linearly).
import { SEND_SLICE_BYTES, sendQueueLimit } from "xsnet/core/limits";
import { post, reportError } from "xsnet/core/tasks";
import { CONNECTED } from "xsnet/core/states";
import { idleWatching } from "xsnet/core/idle";

/** Results of a write. */
export const WRITE_OK = 0, WRITE_REFUSED = 1, WRITE_QUEUE_FULL = 2;

/** One queued write(): bytes[offset..] are still to be handed over. */
export interface Chunk {
	bytes: Uint8Array;
	offset: number;
	next: Chunk | undefined;
}

/** The fields of a connection (core/tcp.ts TcpConnection) the send queue works on. */
export interface SendQueueState {
	/** The host socket; write() returns how many bytes it takes now (undefined or a throw: none, for now). */
	socket: { write(data: ArrayBuffer | ArrayBufferView): number | undefined } | undefined;
	/** core/states.ts: tcpSent is delivered only while CONNECTED (not once the application closed the connection). */
	state: number;
	/** The connection's event: all bytes of one write were handed to the host socket (called protected). */
	tcpSent(connection: SendQueueState): void;
	room: number | undefined;              // bytes the host socket takes now
	head: Chunk | undefined;
	tail: Chunk | undefined;
	queued: number | undefined;            // bytes in the queue
	doneCount: number | undefined;         // completed writes whose tcpSent is still due
	idleMs: number;                        // an inactivity limit applies (core/idle.ts): record activity
	lastActive: number;
}

/**
 * Queue `bytes` (`size` = its byteLength; an ArrayBuffer is taken whole) on `c` (the state was checked by the
 * caller; `connected`: the host socket exists and may have room). Written at once as far as room allows when nothing is queued; the rest is queued (copied when `copy`).
 * @returns WRITE_OK, or WRITE_QUEUE_FULL (nothing queued) when what cannot be written at once would take the
 *   queue past limits.ts sendQueueLimit().
 */
export function queueWrite(c: SendQueueState, data: Uint8Array | ArrayBuffer, size: number, copy: boolean, connected: boolean): number {
	if (connected && size && size <= c.room! && size <= SEND_SLICE_BYTES && !c.head) {
		// Nothing waits and the host takes it whole (an echo's reply; a send chained on "sent"): put() without its
		// loop and call, and complete() inline.
		let left: number | undefined;
		try {
			left = c.socket!.write(data);
		}
		catch {
			left = undefined;
		}
		if (typeof left === "number") {
			c.room = left;
			if (idleWatching && c.idleMs) c.lastActive = Date.now();
			c.doneCount = (c.doneCount ?? 0) + 1;
			return WRITE_OK;
		}
		c.room = 0;                                // the host took nothing (see put()): it waits
	}
	let bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : data;
	const fast = !c.head && connected && c.room! > 0;
	const now = fast ? (c.room! < size ? c.room! : size) : 0;
	// (the bound is read only when something would wait: a call less per send the host takes whole)
	if (now < size && (c.queued ?? 0) + size - now > sendQueueLimit()) return WRITE_QUEUE_FULL;
	let offset = 0;
	if (fast) {
		// nothing queued: write what fits now
		offset = put(c, bytes, 0, size);
		if (offset === size) {
			complete(c, size);
			return WRITE_OK;
		}
	}
	if (copy) {
		// the caller may reuse its bytes: copy what waits (ArrayBuffer's slice is a memcpy in XS 13.3, a typed
		// array's slice copies byte by byte through getters: ~50 instructions a byte)
		const buffer = bytes.buffer, start = bytes.byteOffset + offset;
		bytes = buffer instanceof ArrayBuffer ? new Uint8Array(buffer.slice(start, start + size - offset)) : bytes.slice(offset);
		offset = 0;
	}
	const chunk: Chunk = { bytes, offset, next: undefined };
	if (c.tail) c.tail.next = chunk;
	else c.head = chunk;
	c.tail = chunk;
	c.queued = (c.queued ?? 0) + bytes.length - offset;
	return WRITE_OK;
}

/** Write bytes[offset..size) (size = bytes.length) to the host socket as far as room allows; returns the new offset. */
function put(c: SendQueueState, bytes: Uint8Array, offset: number, size: number): number {
	const socket = c.socket!, start = offset;
	while (offset < size && c.room! > 0) {
		let n = size - offset;
		if (n > c.room!) n = c.room!;
		if (n > SEND_SLICE_BYTES) n = SEND_SLICE_BYTES;
		const view = (offset === 0 && n === size) ? bytes : bytes.subarray(offset, offset + n);
		let left: number | undefined;
		try {
			left = socket.write(view);
		}
		catch {
			left = undefined;
		}
		if (typeof left !== "number") {
			// The host took nothing (it throws, or Moddable's lwIP write() returns nothing when tcp_write
			// fails): keep the bytes queued and wait for the next onWritable, or for onError.
			c.room = 0;
			break;
		}
		c.room = left;
		offset += n;
	}
	if (idleWatching && c.idleMs && offset > start) c.lastActive = Date.now();     // sending is activity too
	return offset;
}

/** Feed the queue to the host socket while it has room (onWritable). */
export function pump(c: SendQueueState): void {
	let chunk = c.head;
	while (chunk && c.room! > 0 && c.socket) {
		const before = chunk.offset, size = chunk.bytes.length;
		chunk.offset = put(c, chunk.bytes, chunk.offset, size);
		c.queued! -= chunk.offset - before;
		if (chunk.offset < size) break;
		c.head = chunk = chunk.next;
		if (!chunk) c.tail = undefined;
		complete(c, size);
	}
}

/**
 * One write() of `size` bytes is fully handed over: its tcpSent is due (FIFO with every other completion; see
 * flushSent). An empty write gave the host nothing that would bring an event: its flush is posted.
 */
function complete(c: SendQueueState, size: number): void {
	c.doneCount = (c.doneCount ?? 0) + 1;
	if (!size) post(flushSent, c);
}

/**
 * Deliver the due tcpSent events: from the connection's host callbacks (onWritable, onReadable: never inside
 * write()), and when it ends, each protected (an exception is reported). Only while CONNECTED: a callback that
 * closes the connection (and may connect the same object again) stops the rest.
 */
export function flushSent(c: SendQueueState): void {
	let count = c.doneCount;
	if (!count) return;
	c.doneCount = 0;
	while (count-- > 0 && c.state === CONNECTED) {
		try {
			c.tcpSent(c);
		}
		catch (e) {
			reportError(e);
		}
	}
}
