// zbuff's binary codecs (luat_lib_zbuff.c: pack / unpack after lpack, and the readI8..writeF64 family): numbers
// and strings to and from bytes at the cursor. LuatOS runs on little-endian chips, so "native" order (no '<',
// '>' or '=' given) is little-endian here on every host.
import { toBytes } from "xsnet/core/bytes";
import { decodeUtf8 } from "xsnet/core/utf8";
import { self } from "luatos/zbuff-state";
import type { ZState } from "luatos/zbuff-state";

/** Number kinds by format letter: [size in bytes, kind]. Kinds: 0 int, 1 uint, 2 float. */
function sizeOf(code: string): number {
	switch (code) {
		case "c": case "b": return 1;
		case "h": case "H": return 2;
		case "i": case "I": case "f": return 4;
		case "l": case "L": case "d": case "n": return 8;
		default: return 0;
	}
}

/** Write `value` as format letter `code` into `view` at 0, in the given byte order. */
function encode(view: DataView, code: string, value: number, little: boolean): void {
	switch (code) {
		case "c": view.setInt8(0, value); break;
		case "b": view.setUint8(0, value); break;
		case "h": view.setInt16(0, value, little); break;
		case "H": view.setUint16(0, value, little); break;
		case "i": view.setInt32(0, value, little); break;
		case "I": view.setUint32(0, value, little); break;
		case "l": case "L": view.setBigUint64(0, BigInt.asUintN(64, BigInt(value)), little); break;
		case "f": view.setFloat32(0, value, little); break;
		default: view.setFloat64(0, value, little); break;          // d, n
	}
}

/** Read format letter `code` from `view` at `at`, in the given byte order. */
function decode(view: DataView, at: number, code: string, little: boolean): number {
	switch (code) {
		case "c": return view.getInt8(at);
		case "b": return view.getUint8(at);
		case "h": return view.getInt16(at, little);
		case "H": return view.getUint16(at, little);
		case "i": return view.getInt32(at, little);
		case "I": return view.getUint32(at, little);
		case "l": return Number(view.getBigInt64(at, little));
		case "L": return Number(view.getBigUint64(at, little));
		case "f": return view.getFloat32(at, little);
		default: return view.getFloat64(at, little);               // d, n
	}
}

function isDigit(c: number): boolean {
	return c >= 48 && c <= 57;
}

function badCode(fn: string, code: string): never {
	throw new TypeError(`zbuff ${fn}: bad format code '${code}'`);
}

/** Copy what fits of `bytes` at the cursor (add_bytes): returns the count copied. */
function addBytes(z: ZState, bytes: Uint8Array): number {
	const n = Math.min(bytes.length, z.b.length - z.cursor);
	z.b.set(n === bytes.length ? bytes : bytes.subarray(0, n), z.cursor);
	z.cursor += n;
	return n;
}

/** The bytes of a pack "A" value or of write(): a string (UTF-8), a number (its text, as Lua), or bytes. */
export function valueBytes(value: unknown, raw: (v: unknown) => ZState | undefined): Uint8Array | undefined {
	const z = raw(value);
	if (z) return z.b.subarray(0, z.cursor);
	return toBytes(value);
}

/**
 * pack(format, ...values): write the values at the cursor in `format` (lpack letters: A string, f float, d/n
 * double, c/b int8/uint8, h/H int16/uint16, i/I int32/uint32, l/L int64/uint64, '<' little-endian, '>'
 * big-endian, '=' native; a count after a letter repeats it; spaces and commas are ignored). Stops when the
 * buffer is full (a value that does not fit is written in part, as LuatOS does).
 * @returns the number of bytes written.
 * @throws TypeError on an unknown letter or a value of the wrong type (integers for the integer letters).
 */
export function pack(z: ZState, format: unknown, values: unknown[], raw: (v: unknown) => ZState | undefined): number {
	if (typeof format !== "string") throw new TypeError("zbuff pack: format must be a string");
	const scratch = new DataView(new ArrayBuffer(8));
	const scratchBytes = new Uint8Array(scratch.buffer);
	let little = true, next = 0, written = 0, p = 0;
	while (p < format.length) {
		if (z.cursor === z.b.length) break;
		const code = format[p++];
		let count = 1;
		if (isDigit(format.charCodeAt(p))) {
			count = 0;
			while (isDigit(format.charCodeAt(p))) count = 10 * count + format.charCodeAt(p++) - 48;
		}
		for (; count > 0; count--) {
			if (z.cursor === z.b.length) break;
			if (code === "<" || code === "=") little = true;
			else if (code === ">") little = false;
			else if (code === " " || code === ",") continue;
			else if (code === "A") {
				const bytes = valueBytes(values[next++], raw);
				if (!bytes) throw new TypeError(`zbuff pack: value ${next} for 'A' must be a string or bytes`);
				written += addBytes(z, bytes);
				continue;
			}
			else {
				const size = sizeOf(code);
				if (!size) badCode("pack", code);
				const value = values[next++];
				const isFloat = code === "f" || code === "d" || code === "n";
				if (typeof value !== "number" || (isFloat ? false : !Number.isInteger(value)))
					throw new TypeError(`zbuff pack: value ${next} for '${code}' must be ${isFloat ? "a number" : "an integer"}`);
				encode(scratch, code, value, little);
				written += addBytes(z, size === 8 ? scratchBytes : scratchBytes.subarray(0, size));
				continue;
			}
			break;                                       // an order letter takes no count
		}
	}
	return written;
}

/**
 * unpack(format): read values from the cursor in `format` (pack's letters; "A<n>" reads an n-byte string,
 * decoded as UTF-8) up to len() — not used(), as LuatOS reads — stopping at the first value that does not fit.
 * The cursor moves past what was read.
 * @returns `[bytesRead, ...values]`.
 * @throws TypeError on an unknown letter.
 */
export function unpack(z: ZState, format: unknown): unknown[] {
	if (typeof format !== "string") throw new TypeError("zbuff unpack: format must be a string");
	const base = z.cursor, len = z.b.length - base;
	const view = new DataView(z.b.buffer, z.b.byteOffset, z.b.byteLength);
	const out: unknown[] = [0];
	let little = true, i = 0, p = 0;
	done: while (p < format.length) {
		const code = format[p++];
		let count = 1;
		if (isDigit(format.charCodeAt(p))) {
			count = 0;
			while (isDigit(format.charCodeAt(p))) count = 10 * count + format.charCodeAt(p++) - 48;
			if (count === 0 && code === "A") out.push("");
		}
		for (; count > 0; count--) {
			if (code === "<" || code === "=") little = true;
			else if (code === ">") little = false;
			else if (code === " " || code === ",") continue;
			else if (code === "A") {
				if (i + count > len) break done;
				out.push(decodeUtf8(z.b.subarray(base + i, base + i + count)));
				i += count;
			}
			else {
				const size = sizeOf(code);
				if (!size) badCode("unpack", code);
				if (i + size > len) break done;
				out.push(decode(view, base + i, code, little));
				i += size;
				continue;
			}
			break;                                       // order letters and "A<n>" take the count themselves
		}
	}
	z.cursor += i;
	out[0] = i;
	return out;
}

/** readXX(): the value at the cursor (native = little-endian order), or undefined when it does not fit. */
export function readTyped(z: ZState, code: string): number | undefined {
	const size = sizeOf(code);
	if (z.b.length - z.cursor < size) return undefined;
	const value = decode(new DataView(z.b.buffer, z.b.byteOffset, z.b.byteLength), z.cursor, code, true);
	z.cursor += size;
	return value;
}

/**
 * writeXX(value): write at the cursor (little-endian). @returns the size written, 0 when it does not fit.
 * @throws TypeError when `value` is not an integer (a number for F32/F64).
 */
export function writeTyped(z: ZState, code: string, name: string, value: unknown): number {
	const isFloat = code === "f" || code === "d";
	if (typeof value !== "number" || (!isFloat && !Number.isInteger(value)))
		throw new TypeError(`zbuff ${name}: value must be ${isFloat ? "a number" : "an integer"}`);
	const size = sizeOf(code);
	if (z.b.length - z.cursor < size) return 0;
	encode(new DataView(z.b.buffer, z.b.byteOffset + z.cursor, size), code, value, true);
	z.cursor += size;
	return size;
}

/**
 * The typed methods of every zbuff (zbuff.ts puts them on its prototype after ZBuffer's): readI8() .. readF64() read
 * at the cursor (undefined when the value does not fit before len()), writeI8(v) .. writeF64(v) write there (0 when
 * it does not fit); little-endian, as LuatOS's.
 */
export class TypedMethods {
	readI8() { return readTyped(self(this, "readI8"), "c"); }
	readU8() { return readTyped(self(this, "readU8"), "b"); }
	readI16() { return readTyped(self(this, "readI16"), "h"); }
	readU16() { return readTyped(self(this, "readU16"), "H"); }
	readI32() { return readTyped(self(this, "readI32"), "i"); }
	readU32() { return readTyped(self(this, "readU32"), "I"); }
	readI64() { return readTyped(self(this, "readI64"), "l"); }
	readU64() { return readTyped(self(this, "readU64"), "L"); }
	readF32() { return readTyped(self(this, "readF32"), "f"); }
	readF64() { return readTyped(self(this, "readF64"), "d"); }
	writeI8(v: number) { return writeTyped(self(this, "writeI8"), "c", "writeI8", v); }
	writeU8(v: number) { return writeTyped(self(this, "writeU8"), "b", "writeU8", v); }
	writeI16(v: number) { return writeTyped(self(this, "writeI16"), "h", "writeI16", v); }
	writeU16(v: number) { return writeTyped(self(this, "writeU16"), "H", "writeU16", v); }
	writeI32(v: number) { return writeTyped(self(this, "writeI32"), "i", "writeI32", v); }
	writeU32(v: number) { return writeTyped(self(this, "writeU32"), "I", "writeU32", v); }
	writeI64(v: number) { return writeTyped(self(this, "writeI64"), "l", "writeI64", v); }
	writeU64(v: number) { return writeTyped(self(this, "writeU64"), "L", "writeU64", v); }
	writeF32(v: number) { return writeTyped(self(this, "writeF32"), "f", "writeF32", v); }
	writeF64(v: number) { return writeTyped(self(this, "writeF64"), "d", "writeF64", v); }
}
