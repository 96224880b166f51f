// What send() accepts, turned into bytes.
import TextEncoder from "text/encoder";

/** Data a socket can send: a string (sent as UTF-8), an ArrayBuffer, or any typed array / DataView. */
export type SendData = string | ArrayBuffer | ArrayBufferView;

const EMPTY = new Uint8Array(0);

// Made on first use (a host object cannot be constructed while a board's preload runs; a RegExp made by a
// preloaded module body is frozen, and replace() with a global one writes its lastIndex).
let encoder: TextEncoder | undefined;
let suspect: RegExp | undefined;
let lone: RegExp | undefined;

/**
 * UTF-8 of a string that is not ASCII (`buffer`: ArrayBuffer.fromString(data), longer than the string), as
 * TextEncoder (WHATWG) makes it. XS keeps strings in modified UTF-8: U+0000 as C0 80, a lone surrogate as its own
 * 3-byte sequence (ED A0..BF xx), and a pair joined by concatenation as two of them (CESU-8), and
 * ArrayBuffer.fromString copies that as is. So (an ASCII string is sent as fromString copied it: toBytes()) the
 * string is checked for U+0000 and surrogates (one native regex scan) and, when it has some, lone surrogates become
 * U+FFFD and Moddable's text/encoder writes U+0000 as 00 and pairs as 4-byte sequences.
 */
export function nonAscii(data: string, buffer: ArrayBuffer): Uint8Array {
	if (!(suspect ??= /[\0\ud800-\udfff]/).test(data)) return new Uint8Array(buffer);
	lone ??= /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
	return (encoder ??= new TextEncoder()).encode(data.replace(lone, "\ufffd"));
}

/**
 * The bytes of `data` as a Uint8Array: a string is encoded as UTF-8 as WHATWG's TextEncoder does (lone surrogates
 * as EF BF BD, U+0000 as 00; see nonAscii()), a Uint8Array is returned itself, an ArrayBuffer or another view is
 * wrapped without copying. Numbers are sent as their decimal text, as Lua's luaL_checklstring does. Returns
 * undefined for anything else.
 */
export function toBytes(data: unknown): Uint8Array | undefined {
	if (typeof data === "number") data = String(data);
	if (typeof data === "string") {
		if (data === "") return EMPTY;
		const buffer = ArrayBuffer.fromString(data);             // ASCII (U+0000 takes 2 bytes): as is
		return buffer.byteLength === data.length ? new Uint8Array(buffer) : nonAscii(data, buffer);
	}
	if (data instanceof Uint8Array) return data;
	if (data instanceof ArrayBuffer) return new Uint8Array(data);
	if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
	return undefined;
}

/** True when toBytes(data) returned memory the caller still owns (and may change after send() returns). */
export function isCallerMemory(data: unknown): boolean {
	return typeof data === "object" && data !== null;
}
