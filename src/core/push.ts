// Push-mode receive of a TCP connection (core/tcp.ts; nodemcu/net): every received byte goes to tcpReceived
// as soon as the host reports it, as an ArrayBuffer or as UTF-8 text (core/utf8.ts streaming decoder), unless
// the connection is held (then the bytes stay in the host socket, whose window closes: the flow control).
// Functions over the connection's own fields, as core/sendqueue.ts and core/pull.ts: no extra object per
// connection, and plain calls rather than method lookups on the per-chunk path (XS looks properties up linearly).
import { Utf8Decoder } from "xsnet/core/utf8";
import { RECEIVE_CHUNK_BYTES, RECEIVE_SCRATCH_BYTES } from "xsnet/core/limits";
import { CONNECTED } from "xsnet/core/states";
import { reportError } from "xsnet/core/tasks";

/** How received bytes are delivered: "string" = UTF-8 text (streaming decoder), "buffer" = ArrayBuffer. */
export type ReceiveFormat = "string" | "buffer";

/** The fields of a connection (core/tcp.ts TcpConnection) push mode works on. */
export interface PushState {
	/** The host socket while connected (read(n) -> ArrayBuffer, read(view) -> count; never more than available). */
	socket: { read(byteLength: number): ArrayBuffer | undefined; read(buffer: Uint8Array): number } | undefined;
	/** core/states.ts; bytes are delivered only while CONNECTED (once the application closed the connection, they
	 * are read and dropped). */
	state: number;
	/** The connection's event: bytes arrived (called protected: an exception is reported). */
	tcpReceived(connection: PushState, data: string | ArrayBuffer): void;
	/** Bytes onReadable reported and not yet read from the host socket. */
	available: number | undefined;
	/** Reading stopped (TcpConnection.hold()). */
	held: boolean | undefined;
	/** undefined = "string". */
	fmt: ReceiveFormat | undefined;
	/** The text decoder, made by the first text chunk; undefined after a change of format (its carry dropped). */
	decoder: Utf8Decoder | undefined;
}

/** Shared by every connection's text decoding (drainText); allocated on first use. */
let scratch: ArrayBuffer | undefined;
/** The last view of `scratch` drainText made: the next read of as many bytes (an echo's) reuses it. */
let scratchView: Uint8Array | undefined, scratchBytes = 0;       // (its length: a getter call in XS)

/**
 * True once some connection was held (TcpConnection.hold(), noteHold()): until then the receive loops do not look
 * for `held` (a lookup through the connection's whole prototype chain while it is unset).
 */
export let holdUsed = false;

/** A connection is being held (TcpConnection.hold()). */
export function noteHold(): void {
	holdUsed = true;
}

/** Read and deliver what the host socket holds (onReadable, unhold()), in the connection's format. */
export function drain(c: PushState): void {
	if (c.fmt === "buffer") drainBuffers(c);
	else drainText(c);
}

/** Posted by TcpConnection.unhold(): the bytes that waited, unless held again meanwhile. */
export function drainLater(c: PushState): void {
	if (!c.held) drain(c);
}

// drainBuffers() and drainText() are called in their format (onReadable, drain()); the format and hold() are
// checked again after each delivery, since the callback may change them, and only when more is to be read (each is
// a lookup through the connection's prototypes while unset).

/** Buffer format: one ArrayBuffer of at most RECEIVE_CHUNK_BYTES per delivery. */
export function drainBuffers(c: PushState): void {
	if (holdUsed && c.held) return;
	while (c.available! > 0 && c.socket) {
		let n = c.available!;
		if (n > RECEIVE_CHUNK_BYTES) n = RECEIVE_CHUNK_BYTES;
		const buffer = c.socket.read(n);
		if (!buffer || !buffer.byteLength) {
			c.available = 0;
			break;
		}
		c.available! -= buffer.byteLength;
		if (c.state !== CONNECTED) continue;
		try {
			c.tcpReceived(c, buffer);
		}
		catch (e) {
			reportError(e);
		}
		if (!(c.available! > 0) || (holdUsed && c.held)) return;     // (held by the callback)
		if (c.fmt !== "buffer") {            // the callback changed the format
			drainText(c);
			return;
		}
	}
}

/**
 * Text format: read into one shared scratch buffer (no ArrayBuffer per chunk: the decoded string is the only
 * allocation) and decode from there. The view never exceeds the bytes available, as Moddable's lwIP read(buffer)
 * requires.
 */
export function drainText(c: PushState): void {
	if (holdUsed && c.held) return;
	while (c.available! > 0 && c.socket) {
		let n = c.available!;
		if (n > RECEIVE_SCRATCH_BYTES) n = RECEIVE_SCRATCH_BYTES;
		if (n !== scratchBytes) {
			scratchView = new Uint8Array(scratch ??= new ArrayBuffer(RECEIVE_SCRATCH_BYTES), 0, n);
			scratchBytes = n;
		}
		const got = c.socket.read(scratchView!);
		if (!got) {
			c.available = 0;
			break;
		}
		c.available! -= got;
		if (c.state !== CONNECTED) continue;
		const decoder = c.decoder ??= new Utf8Decoder(true);
		const text = decoder.decodeBuffer(scratch!, got);
		if (text === "") continue;                 // (str.length is O(n) in XS)
		try {
			c.tcpReceived(c, text);
		}
		catch (e) {
			reportError(e);
		}
		if (!(c.available! > 0) || (holdUsed && c.held)) return;     // (held by the callback)
		if (c.fmt === "buffer") {            // the callback changed the format
			drainBuffers(c);
			return;
		}
	}
}
