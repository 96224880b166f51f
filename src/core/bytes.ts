// What send() accepts, turned into bytes.

/** Data a socket can send: a string (sent as UTF-8), an ArrayBuffer, or any typed array / DataView. */
export type SendData = string | ArrayBuffer | ArrayBufferView;

const EMPTY = new Uint8Array(0);

/**
 * The bytes of `data` as a Uint8Array: a string is encoded as UTF-8 (XS ArrayBuffer.fromString, no copy
 * afterwards), an ArrayBuffer or view is wrapped without copying. Numbers are sent as their decimal text, as
 * Lua's luaL_checklstring does. Returns undefined for anything else.
 */
export function toBytes(data: unknown): Uint8Array | undefined {
	if (typeof data === "number") data = String(data);
	if (typeof data === "string") return data !== "" ? new Uint8Array(ArrayBuffer.fromString(data)) : EMPTY;
	if (data instanceof ArrayBuffer) return new Uint8Array(data);
	if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
	return undefined;
}

/** True when toBytes(data) returned memory the caller still owns (and may change after send() returns). */
export function isCallerMemory(data: unknown): boolean {
	return typeof data === "object" && data !== null;
}
