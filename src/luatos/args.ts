// Argument checks of luatos/socket and luatos/libnet. LuatOS raises a Lua error for a wrong argument type
// (luaL_checkinteger, luaL_checklstring, ...); here that is a TypeError naming the function and the argument.
import { toInteger } from "xsnet/core/lua";
import { parseIPv4 } from "xsnet/core/ip";

function typeName(value: unknown): string {
	if (value === null) return "null";
	if (value instanceof ArrayBuffer) return "ArrayBuffer";
	return typeof value;
}

/** Throw TypeError "socket.connect: port: integer expected, got string". */
export function argError(fn: string, name: string, expected: string, value: unknown): never {
	throw new TypeError(`${fn}: ${name}: ${expected} expected, got ${typeName(value)}`);
}

/** True for undefined and null (Lua's nil / none). */
export function isNil(value: unknown): value is undefined | null {
	return value === undefined || value === null;
}

/** luaL_optinteger: nil -> `fallback`; an integer (number or decimal string) -> it; else TypeError. */
export function optInteger(fn: string, name: string, value: unknown, fallback: number): number {
	if (isNil(value)) return fallback;
	const n = toInteger(value);
	if (n === undefined) argError(fn, name, "integer", value);
	return n;
}

/** luaL_checkinteger: an integer (number or decimal string); else TypeError. */
export function checkInteger(fn: string, name: string, value: unknown): number {
	const n = toInteger(value);
	if (n === undefined) argError(fn, name, "integer", value);
	return n;
}

/** A port argument 0..65535 (nil -> `fallback`); TypeError for a non-integer, RangeError outside 0..65535. */
export function optPort(fn: string, name: string, value: unknown, fallback: number): number {
	const port = optInteger(fn, name, value, fallback);
	if (port < 0 || port > 65535) throw new RangeError(`${fn}: ${name}: ${port} is not a port (0..65535)`);
	return port;
}

/** An optional boolean: nil -> undefined; a boolean -> it; else TypeError. */
export function optBoolean(fn: string, name: string, value: unknown): boolean | undefined {
	if (isNil(value)) return undefined;
	if (typeof value !== "boolean") argError(fn, name, "boolean", value);
	return value;
}

/** An optional string: nil -> undefined; a string -> it; else TypeError. */
export function optString(fn: string, name: string, value: unknown): string | undefined {
	if (isNil(value)) return undefined;
	if (typeof value !== "string") argError(fn, name, "string", value);
	return value;
}

/** An IPv4 address given as an integer, most significant byte first: 0x7F000001 -> "127.0.0.1". */
export function ipFromInteger(value: number): string {
	const v = value >>> 0;
	return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

/**
 * A host or address argument: a string (a name or a dotted quad) or an IPv4 address as a big-endian integer
 * (as the seed documents "大端格式的int值"), returned as text; TypeError for anything else.
 */
export function checkHost(fn: string, name: string, value: unknown): string {
	if (typeof value === "string") return value;
	if (typeof value === "number" && Number.isInteger(value) && value >= -0x80000000 && value <= 0xFFFFFFFF)
		return ipFromInteger(value);
	argError(fn, name, "string or integer", value);
}

/** An optional IPv4 address (dotted quad or big-endian integer): nil -> undefined; unparsable text -> undefined. */
export function optAddress(fn: string, name: string, value: unknown): string | undefined {
	if (isNil(value)) return undefined;
	return parseIPv4(checkHost(fn, name, value));
}

/** LuatOS's 5-byte peer address of `rx`/`read` on UDP: "\0" followed by the four octets as characters 0..255. */
export function addressBytes(address: string): string {
	const p = address.split(".");
	return String.fromCharCode(0, +p[0], +p[1], +p[2], +p[3]);
}
