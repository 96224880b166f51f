// LuatOS's `zbuff` (luat/modules/luat_lib_zbuff.c): a byte buffer with one position that is both the cursor of
// write/read/seek/pack/unpack and the "used" count of copy/query/del and of socket.tx/rx. Exact for all 256 byte
// values; strings returned are UTF-8 text (core/utf8.ts decodeUtf8: U+FFFD per invalid sequence, a BOM kept as U+FEFF). Index access buf[i] goes through a Proxy behind the
// methods on the prototype chain (wrap() below).
import { log } from "luatos/log";
import { toInteger } from "xsnet/core/lua";
import { decodeUtf8 } from "xsnet/core/utf8";
import { pack, unpack, valueBytes, TypedMethods } from "luatos/zbuff-codec";
import { RAW, rawOf, self, reallocate, setBytes } from "luatos/zbuff-state";
import type { ZState } from "luatos/zbuff-state";
import { indexProxy } from "luatos/zbuff-index";

export { isZbuff, zbuffBytes, zbuffReserve, zbuffCommit, zbuffAppend } from "luatos/zbuff-state";

/** What create() returns: the methods below plus `buf[i]` (0-based byte, undefined out of range). */
export interface ZBuff {
	[index: number]: number | undefined;
	write(...data: unknown[]): number;
	read(length?: number): string;
	clear(value?: number): void;
	seek(offset: number, whence?: number): number | undefined;
	pack(format: string, ...values: unknown[]): number;
	unpack(format: string): unknown[];
	get(index: number): number | undefined;
	toStr(offset?: number, length?: number): string;
	len(): number;
	copy(start: number | undefined | null, ...data: unknown[]): number;
	set(start?: number, value?: number, length?: number): void;
	query(offset?: number, length?: number, isBigEndian?: boolean, isSigned?: boolean, isFloat?: boolean): string | number | undefined;
	del(offset?: number, length?: number): void;
	resize(length: number): void;
	reSize(length: number): void;
	used(n?: number): number;
	isEqual(start: number | undefined, other: ZBuff, start2?: number, length?: number): [boolean, number] | [false];
	free(): void;
	readI8(): number | undefined; readU8(): number | undefined; readI16(): number | undefined;
	readU16(): number | undefined; readI32(): number | undefined; readU32(): number | undefined;
	readI64(): number | undefined; readU64(): number | undefined; readF32(): number | undefined;
	readF64(): number | undefined;
	writeI8(v: number): number; writeU8(v: number): number; writeI16(v: number): number; writeU16(v: number): number;
	writeI32(v: number): number; writeU32(v: number): number; writeI64(v: number): number; writeU64(v: number): number;
	writeF32(v: number): number; writeF64(v: number): number;
}

const SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2;

/** An optional integer argument (Lua luaL_optinteger): undefined/null -> `dflt`. */
function optInt(fn: string, name: string, value: unknown, dflt: number): number {
	if (value === undefined || value === null) return dflt;
	if (typeof value === "number" && (value | 0) === value) return value;    // an int32: no call (del, used)
	const n = toInteger(value);       // luaL_optinteger: an integer, or a decimal string
	if (n === undefined) throw new TypeError(`zbuff ${fn}: ${name} must be an integer`);
	return n;
}

/** The bytes a write()/copy() argument stands for: a string (UTF-8), a number's text, bytes or a zbuff. */
function dataBytes(fn: string, value: unknown): Uint8Array {
	const bytes = valueBytes(value, rawOf);
	if (!bytes) throw new TypeError(`zbuff ${fn}: data must be a string, bytes or integers`);
	return bytes;
}

/** A zbuff seen from its methods: its state under RAW (self() checks and throws when absent). */
type Holder = { [RAW]?: ZState } | undefined;

function isInteger(value: unknown): value is number {
	return typeof value === "number" && Number.isInteger(value);
}

// The methods of a zbuff (never constructed: wrap() makes zbuffs); each takes its state once (self()) and works on
// it directly.
class ZBuffer {
	/** Write at the cursor, never growing: integers (one byte each) or one string / bytes. @returns bytes written. */
	write(...data: unknown[]): number {
		const z = self(this, "write");
		if (isInteger(data[0])) {
			let n = 0;
			while (n < data.length && isInteger(data[n]) && z.cursor < z.b.length) z.b[z.cursor++] = (data[n++] as number) & 0xFF;
			return n;
		}
		const bytes = dataBytes("write", data[0]);
		const n = Math.min(bytes.length, z.b.length - z.cursor);
		z.b.set(n === bytes.length ? bytes : bytes.subarray(0, n), z.cursor);
		z.cursor += n;
		return n;
	}

	/** Read `length` (default 1) bytes at the cursor as text and move past them. */
	read(length?: number): string {
		const z = self(this, "read");
		const n = Math.min(optInt("read", "length", length, 1), z.b.length - z.cursor);
		if (n <= 0) return "";
		const text = decodeUtf8(z.b.subarray(z.cursor, z.cursor + n));
		z.cursor += n;
		return text;
	}

	/** Set every byte to `value` (default 0); the cursor stays. */
	clear(value?: number): void {
		const z = self(this, "clear");
		z.b.fill(optInt("clear", "value", value, 0) & 0xFF);
	}

	/** Move the cursor (= used) to `offset` from zbuff.SEEK_SET (default), SEEK_CUR or SEEK_END, clamped to 0..len. */
	seek(offset: number, whence?: number): number | undefined {
		const z = self(this, "seek");
		let at = optInt("seek", "offset", offset, NaN);
		if (Number.isNaN(at)) throw new TypeError("zbuff seek: offset must be an integer");
		const base = optInt("seek", "whence", whence, SEEK_SET);
		if (base === SEEK_CUR) at += z.cursor;
		else if (base === SEEK_END) at += z.b.length;
		else if (base !== SEEK_SET) return undefined;
		z.cursor = at <= 0 ? 0 : at > z.b.length ? z.b.length : at;
		return z.cursor;
	}

	/**
	 * pack(format, ...values): write `values` at the cursor in lpack `format` (zbuff-codec.ts pack: letters, byte
	 * order, repeat counts); stops when the buffer is full. LuatOS zbuff's pack.
	 * @returns the number of bytes written. @throws TypeError on an unknown letter or a value of the wrong type.
	 */
	pack(format: string, ...values: unknown[]): number {
		return pack(self(this, "pack"), format, values, rawOf);
	}

	/**
	 * unpack(format): read values from the cursor in `format` (pack's letters) up to len(), moving the cursor past
	 * them. LuatOS zbuff's unpack.
	 * @returns `[bytesRead, ...values]`. @throws TypeError on an unknown letter.
	 */
	unpack(format: string): unknown[] {
		return unpack(self(this, "unpack"), format);
	}

	/** Byte `index` (0-based), undefined out of range. */
	get(index: number): number | undefined {
		const z = self(this, "get");
		if (!isInteger(index)) throw new TypeError("zbuff get: index must be an integer");
		return index >= 0 && index < z.b.length ? z.b[index] : undefined;
	}

	/** `length` bytes (default: to the end of the allocation) from `offset` (default 0) as text; cursor unchanged. */
	toStr(offset?: number, length?: number): string {
		const z = self(this, "toStr");
		const len = z.b.length;
		let start = optInt("toStr", "offset", offset, 0);
		start = start < 0 ? 0 : start > len ? len : start;
		let n = optInt("toStr", "length", length, len);
		if (n < 0) {
			log("W", "zbuff", "toStr length cannot be negative");
			return "";
		}
		if (start + n > len) n = len - start;
		return decodeUtf8(z.b.subarray(start, start + n));
	}

	/** The allocated length in bytes (Lua's #buff). */
	len(): number {
		return self(this, "len").b.length;
	}

	/**
	 * Write at `start` (undefined/null: at used; negative: from used backwards), growing the allocation when needed,
	 * then used = max(used, end of the write): integers (one byte each), one string / bytes, or a zbuff's
	 * [start2, start2 + length) (default [0, its used)). @returns bytes written (0 for an out-of-range source).
	 */
	copy(start: number | undefined | null, ...data: unknown[]): number {
		const z = self(this, "copy");
		let at = optInt("copy", "start", start, z.cursor);
		if (at < 0) {
			at += z.cursor;
			if (at < 0) return 0;
		}
		const first = data[0];
		if (first === undefined) return 0;
		if (isInteger(first)) {
			let n = 0;
			for (; n < data.length && isInteger(data[n]); n++) {
				if (at >= z.b.length) reallocate(z, Math.max(at * 2, at + 1));
				z.b[at++] = (data[n] as number) & 0xFF;
			}
			if (at > z.cursor) z.cursor = at;
			return n;
		}
		let bytes: Uint8Array;
		const src = rawOf(first);
		if (src) {
			const from = optInt("copy", "start2", data[1], 0);
			const n = optInt("copy", "length", data[2], src.cursor);
			if (from < 0 || from > src.b.length || n < 0 || n > src.b.length - from) {
				log("W", "zbuff", "copy range out of source buff, copy refused");
				return 0;
			}
			bytes = src.b.subarray(from, from + n);
		}
		else bytes = dataBytes("copy", first);
		const n = bytes.length;
		if (at + n > z.b.length) {
			const copy = src === z ? bytes.slice() : bytes;   // the source moves when it is this buffer
			reallocate(z, z.b.length + n + at);
			bytes = copy;
		}
		z.b.set(bytes, at);
		if (at + n > z.cursor) z.cursor = at + n;
		return n;
	}

	/** memset: `length` bytes (default: to the end) from `start` (default 0) to `value` (default 0). */
	set(start?: number, value?: number, length?: number): void {
		const z = self(this, "set");
		const v = optInt("set", "value", value, 0);
		const from = optInt("set", "start", start, 0);
		let n = optInt("set", "length", length, z.b.length);
		if (from < 0 || from >= z.b.length || n < 0) {
			log("W", "zbuff", "set range out of buff, set refused");
			return;
		}
		if (from + n > z.b.length) n = z.b.length - from;
		z.b.fill(v & 0xFF, from, from + n);
	}

	/**
	 * [offset, offset + length) of [0, used) (defaults: all of it; a negative offset counts back from used) as text,
	 * or undefined when empty. With `isBigEndian` a boolean and 1, 2, 4 or 8 bytes: that number, signed when
	 * `isSigned`, IEEE float when `isFloat` (4 or 8 bytes).
	 */
	query(offset?: number, length?: number, isBigEndian?: boolean, isSigned?: boolean, isFloat?: boolean): string | number | undefined {
		const z = self(this, "query");
		const used = z.cursor;
		let start = optInt("query", "offset", offset, 0);
		if (start < 0) {
			start += used;
			if (start < 0) return undefined;
		}
		if (start > used) start = used;
		let n = optInt("query", "length", length, used);
		if (n < 0 || start + n > used) n = used - start;
		if (!n) return undefined;
		if (typeof isBigEndian === "boolean" && (n === 1 || n === 2 || n === 4 || n === 8)) {
			const view = new DataView(z.b.buffer, z.b.byteOffset + start, n);
			const little = !isBigEndian, signed = isSigned === true, float = isFloat === true;
			switch (n) {
				case 1: return signed ? view.getInt8(0) : view.getUint8(0);
				case 2: return signed ? view.getInt16(0, little) : view.getUint16(0, little);
				case 4: return float ? view.getFloat32(0, little) : signed ? view.getInt32(0, little) : view.getUint32(0, little);
				default: return float ? view.getFloat64(0, little) :
					Number(signed ? view.getBigInt64(0, little) : view.getBigUint64(0, little));
			}
		}
		return decodeUtf8(z.b.subarray(start, start + n));
	}

	/** Remove [offset, offset + length) from [0, used) (defaults: from 0, everything); later bytes move down. */
	del(offset?: number, length?: number): void {
		const z = (this as Holder)?.[RAW] ?? self(this, "del");     // (no call on the hot path)
		const used = z.cursor;
		// (an int32 offset and length without optInt's call: an echo's del(0, n))
		let start = typeof offset === "number" && (offset | 0) === offset ? offset : optInt("del", "offset", offset, 0);
		if (start < 0) {
			start += used;
			if (start < 0) return;
		}
		if (start >= used) return;
		let n = typeof length === "number" && (length | 0) === length ? length : optInt("del", "length", length, used);
		if (n < 0) {
			log("W", "zbuff", "invalid del length, del refused");
			return;
		}
		if (start + n > used) n = used - start;
		if (!n) return;
		if (start + n < used) z.b.copyWithin(start, start + n, used);
		z.cursor = used - n;
	}

	/** Reallocate to exactly `length` bytes (kept bytes stay, new ones are 0; used is clamped). */
	resize(length: number): void {
		const z = self(this, "resize");
		const n = optInt("resize", "length", length, NaN);
		if (Number.isNaN(n)) throw new TypeError("zbuff resize: length must be an integer");
		if (n < 0) {
			log("E", "zbuff", `resize to ${n} refused`);
			return;
		}
		reallocate(z, n);
	}

	/** reSize(length): resize()'s other spelling (LuatOS zbuff has both). */
	reSize(length: number): void {
		this.resize(length);
	}

	/** used() -> the used count (= cursor); used(n) sets it, clamped to 0..len(), and returns it. */
	used(n?: number): number {
		const z = (this as Holder)?.[RAW] ?? self(this, "used");     // (no call on the hot path)
		if (n !== undefined && n !== null) {
			const v = optInt("used", "n", n, 0);
			z.cursor = v < 0 ? 0 : v > z.b.length ? z.b.length : v;
		}
		return z.cursor;
	}

	/**
	 * Compare `length` (default 1) bytes at `start` with `other`'s at `start2` (memcmp).
	 * @returns [true, 0], [false, index of the first difference], or [false] when a range is out of bounds.
	 */
	isEqual(start: number | undefined, other: ZBuff, start2?: number, length?: number): [boolean, number] | [false] {
		const z = self(this, "isEqual");
		const o = rawOf(other);
		if (!o) throw new TypeError("zbuff isEqual: other must be a zbuff");
		const a = optInt("isEqual", "start", start, 0), b = optInt("isEqual", "start2", start2, 0);
		const n = optInt("isEqual", "length", length, 1);
		if (a < 0 || a > z.b.length || b < 0 || b > o.b.length || n < 0 || n > z.b.length - a || n > o.b.length - b) {
			log("W", "zbuff", "isEqual range out of buff");
			return [false];
		}
		for (let i = 0; i < n; i++) if (z.b[a + i] !== o.b[b + i]) return [false, i];
		return [true, 0];
	}

	/** Release the memory now: len() and used() become 0 (the zbuff stays usable after resize()). */
	free(): void {
		const z = self(this, "free");
		setBytes(z, new Uint8Array(0));
		z.cursor = 0;
	}
}

// The prototype of every zbuff: ZBuffer's methods and the typed ones (zbuff-codec.ts) in front of the index Proxy (zbuff-index.ts), which a key found
// on neither (buf[i]) reaches with the zbuff as the receiver. Made on first use (a preloaded module body makes no
// Proxy; this one object lives in RAM).
let zbuffPrototype: object | undefined;

function prototypeOfZbuff(): object {
	if (!zbuffPrototype) {
		const { constructor: _, ...typed } = Object.getOwnPropertyDescriptors(TypedMethods.prototype);
		zbuffPrototype = Object.freeze(Object.create(indexProxy(), { ...Object.getOwnPropertyDescriptors(ZBuffer.prototype), ...typed }));
	}
	return zbuffPrototype;
}

function wrap(z: ZState): ZBuff {
	return Object.freeze(Object.create(prototypeOfZbuff(), { [RAW]: { value: z } })) as ZBuff;
}

/**
 * What create(length) gives in its type: a literal positive `length` (`zbuff.create(1024)`) a ZBuff, so that strict
 * code needs no check (an XS machine aborts when its memory is out, before create could return undefined), a
 * literal 0 or negative one undefined, any other number `ZBuff | undefined`.
 */
export type Created<N extends number> = number extends N ? ZBuff | undefined
	: `${N}` extends "0" | `-${string}` ? undefined : ZBuff;

/**
 * A zbuff of `length` bytes (> 0), all 0, or all `fill & 0xFF` for an integer `fill`, or starting with the bytes of
 * a string (UTF-8) / ArrayBuffer / typed array / zbuff `fill`, with used() = their count (cut to `length`).
 * `memoryType` (zbuff.HEAP_*) is accepted and ignored.
 * @returns the zbuff, or undefined when `length` <= 0 or the memory cannot be had (logged, as LuatOS's nil).
 * @throws TypeError when `length` is not an integer or `fill` of another type.
 */
export function create<N extends number>(length: N, fill?: unknown, memoryType?: number): Created<N>;
export function create(length: number, fill?: unknown, memoryType?: number): ZBuff | undefined {
	const n = toInteger(length);
	if (n === undefined) throw new TypeError("zbuff.create: length must be an integer");
	length = n;
	if (length <= 0) {
		if (length < 0) log("W", "zbuff", "invalid zbuff length, create refused");
		return undefined;
	}
	let bytes: Uint8Array | undefined;
	if (fill !== undefined && fill !== null && !isInteger(fill)) {
		bytes = valueBytes(fill, rawOf);
		if (!bytes) throw new TypeError("zbuff.create: fill must be an integer, a string or bytes");
	}
	let z: ZState;
	try {
		z = { b: new Uint8Array(length), cursor: 0 };
	}
	catch {
		log("W", "zbuff", `create size: ${length} byte but memory not enough!!!`);
		return undefined;
	}
	if (isInteger(fill)) z.b.fill(fill & 0xFF);
	else if (bytes) {
		const n = Math.min(bytes.length, length);
		z.b.set(bytes.subarray(0, n));
		z.cursor = n;
	}
	return wrap(z);
}

/** The `zbuff` module object: create() and LuatOS's constants. */
const zbuff = Object.freeze({
	create,
	SEEK_SET, SEEK_CUR, SEEK_END,
	HEAP_AUTO: 0, HEAP_SRAM: 1, HEAP_PSRAM: 2,
});
export default zbuff;
export { SEEK_SET, SEEK_CUR, SEEK_END };
