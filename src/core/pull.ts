// Pull-mode receive of a TCP connection (core/tcp.ts; luatos/socket): received bytes wait until the owner reads
// them, owner.tcpReadable says when new ones arrived. At most RECEIVE_BUFFER_BYTES are read ahead of the
// application; the rest stays in the host socket, whose window then closes, so not reading is the flow control.
// Functions over the connection's own fields, as core/sendqueue.ts: no extra object per connection, and the owner
// calls them directly (one call fewer per read on the echo's hot path).
import { RECEIVE_CHUNK_BYTES, RECEIVE_BUFFER_BYTES } from "xsnet/core/limits";
import { ReceiveQueue } from "xsnet/core/rxqueue";

/** The fields of a connection (core/tcp.ts TcpConnection) pull mode works on. */
export interface PullState {
	/** The host socket while connected (read(n) -> ArrayBuffer, read(view) -> count; never more than available). */
	socket: { read(byteLength: number): ArrayBuffer | undefined; read(buffer: Uint8Array): number } | undefined;
	/** Bytes onReadable reported and not yet read from the host socket. */
	available: number | undefined;
	/** Pull mode when not undefined: the bytes read from the host and not yet by the owner; null until the first. */
	pulled: ReceiveQueue | null | undefined;
	/** Bytes arrived since the last read (core/tcp.ts TcpOwner.tcpReadable). Kept after the connection ended. */
	signalled: boolean | undefined;
}

/**
 * True once some connection was in pull mode: until then a host event does not look for `pulled` (a lookup through
 * the connection's whole prototype chain while it is unset), as in an app that uses nodemcu/net only.
 */
export let pullUsed = false;

/**
 * Switch `c` to pull mode (before connect(), or at once for an accepted connection): received bytes are kept until
 * read() or readInto() takes them; owner.tcpReadable announces arrivals; tcpReceived is not called.
 */
export function pullMode(c: PullState): void {
	if (c.pulled === undefined) c.pulled = null;
	pullUsed = true;
}

/**
 * Bytes read() can return now (read ahead, plus what the host socket holds); 0 outside pull mode. After the
 * connection ended, what was received before the end and not read.
 */
export function readableBytes(c: PullState): number {
	const q = c.pulled;
	if (q === undefined) return 0;
	return (q ? q.length : 0) + (c.socket ? c.available ?? 0 : 0);
}

/**
 * Take up to `limit` received bytes (all readable bytes when `limit` is larger), in order, as one ArrayBuffer
 * (empty when none); clears `signalled`. Works after the connection ended, on what is left.
 */
export function read(c: PullState, limit: number): ArrayBuffer {
	const q = c.pulled;
	const readable = readableBytes(c);
	if (limit > readable) limit = readable;
	if (!limit) {
		c.signalled = false;
		return new ArrayBuffer(0);
	}
	if (q && limit <= q.length) {
		c.signalled = false;
		const out = q.take(limit);
		fill(c);
		return out;
	}
	const out = new Uint8Array(limit);
	readInto(c, out);
	return out.buffer as ArrayBuffer;
}

/**
 * Copy up to `target.length` received bytes into `target`, in order: the bytes read ahead, then straight from the
 * host socket (its read(buffer), one copy); returns the count. Clears `signalled`.
 */
export function readInto(c: PullState, target: Uint8Array): number {
	const q = c.pulled;
	c.signalled = false;
	if (q === undefined) return 0;
	const size = target.length;
	let done = q && q.length ? q.takeInto(target) : 0;
	const socket = c.socket;
	while (done < size && socket && c.available! > 0) {
		let n = size - done;
		if (n > c.available!) n = c.available!;
		let got: number;
		try {
			got = socket.read(n === size ? target : target.subarray(done, done + n));    // (a view costs)
		}
		catch {
			got = 0;
		}
		if (!got) {
			c.available = 0;
			break;
		}
		c.available! -= got;
		done += got;
	}
	if (c.available! > 0) fill(c);
	return done;
}

/** Read from the host socket while less than RECEIVE_BUFFER_BYTES are read ahead. */
export function fill(c: PullState): void {
	for (;;) {
		const room = RECEIVE_BUFFER_BYTES - (c.pulled?.length ?? 0);
		if (room <= 0 || !pullChunk(c, room)) return;
	}
}

/** Move one chunk (at most `max` bytes) from the host socket to the queue; false when it has none. */
export function pullChunk(c: PullState, max = RECEIVE_CHUNK_BYTES): boolean {
	const socket = c.socket;
	let n = c.available ?? 0;
	if (!socket || n <= 0) return false;
	if (n > max) n = max;
	if (n > RECEIVE_CHUNK_BYTES) n = RECEIVE_CHUNK_BYTES;
	let buffer: ArrayBuffer | undefined;
	try {
		buffer = socket.read(n);
	}
	catch {
		buffer = undefined;
	}
	if (!buffer || !buffer.byteLength) {
		c.available = 0;
		return false;
	}
	c.available! -= buffer.byteLength;
	(c.pulled ??= new ReceiveQueue()).push(buffer);
	return true;
}
