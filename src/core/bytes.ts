// What send() accepts, turned into bytes.
import TextEncoder from "text/encoder";

/** Data a socket can send: a string (sent as UTF-8), an ArrayBuffer, or any typed array / DataView. */
export type SendData = string | ArrayBuffer | ArrayBufferView;

const EMPTY = new Uint8Array(0);

// Made on first use (a host object cannot be constructed while a board's preload runs).
let encoder: TextEncoder | undefined;

/**
 * The bytes of `data` as a Uint8Array: a string is encoded as UTF-8 (XS ArrayBuffer.fromString, no copy
 * afterwards; a string holding U+0000 through text/encoder, since XS keeps strings in modified UTF-8 where U+0000
 * is C0 80 and fromString copies that as is), an ArrayBuffer or view is wrapped without copying. Numbers are sent
 * as their decimal text, as Lua's luaL_checklstring does. Returns undefined for anything else.
 */
export function toBytes(data: unknown): Uint8Array | undefined {
	if (typeof data === "number") data = String(data);
	if (typeof data === "string") {
		if (data === "") return EMPTY;
		if (data.indexOf("\0") < 0) return new Uint8Array(ArrayBuffer.fromString(data));
		return (encoder ??= new TextEncoder()).encode(data);
	}
	if (data instanceof ArrayBuffer) return new Uint8Array(data);
	if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
	return undefined;
}

/** True when toBytes(data) returned memory the caller still owns (and may change after send() returns). */
export function isCallerMemory(data: unknown): boolean {
	return typeof data === "object" && data !== null;
}
