// The state behind a zbuff and the helpers other modules use to reach its bytes (socket.tx / socket.rx).
// A zbuff (zbuff.ts) holds its state under a symbol key only.
import type { ZBuff } from "luatos/zbuff";

/** A zbuff's storage: `b` holds exactly len() bytes; `cursor` is LuatOS's one field for both cursor and used. */
export interface ZState {
	b: Uint8Array;
	cursor: number;
	/**
	 * reserve()'s last view of `b`, with its start and length: a reserve of the same room gets it again (an echo's
	 * rx: a view costs ~1,900 instructions in XS). Undefined once `b` is replaced (setBytes).
	 */
	view?: Uint8Array;
	viewAt?: number;
	viewLength?: number;
}

/** The key of a zbuff's state (an own, non-enumerable, read-only property; never a string key). */
export const RAW = Symbol("zbuff");

/** The state behind a zbuff (or undefined when `value` is not one). */
export function rawOf(value: unknown): ZState | undefined {
	if (typeof value !== "object" || value === null) return undefined;
	return (value as { [RAW]?: ZState })[RAW];
}

/** The state behind `value`. @throws TypeError naming `fn` when `value` is not a zbuff. */
export function self(value: unknown, fn: string): ZState {
	const z = typeof value === "object" && value !== null ? (value as { [RAW]?: ZState })[RAW] : undefined;
	if (!z) throw new TypeError(`zbuff ${fn}: called on something that is not a zbuff`);
	return z;
}

/** Reallocate to exactly `n` bytes (realloc): new bytes are 0, used is clamped. */
export function reallocate(z: ZState, n: number): void {
	const b = new Uint8Array(n);
	b.set(n < z.b.length ? z.b.subarray(0, n) : z.b);
	setBytes(z, b);
	if (z.cursor > n) z.cursor = n;
}

/** Replace the storage (every assignment of `b` goes here: reserve()'s kept view is of the old one). */
export function setBytes(z: ZState, b: Uint8Array): void {
	z.b = b;
	if (z.view) z.view = z.viewAt = z.viewLength = undefined;
}

/** True when `value` is a zbuff. */
export function isZbuff(value: unknown): value is ZBuff {
	return rawOf(value) !== undefined;
}

/**
 * For socket.tx: the bytes [0, used) of `buf`, without copying (valid until the zbuff is next changed).
 * @throws TypeError when `buf` is not a zbuff.
 */
export function zbuffBytes(buf: ZBuff): Uint8Array {
	const z = self(buf, "zbuffBytes");
	return z.b.subarray(0, z.cursor);
}

/**
 * For socket.rx: room for `count` more bytes at used — the allocation grows to exactly used + count when it is
 * smaller (as LuatOS's rx resizes) — as a view to fill; then zbuffCommit(buf, n) counts the n bytes written.
 */
export function zbuffReserve(buf: ZBuff, count: number): Uint8Array {
	return reserve(self(buf, "zbuffReserve"), count);
}

/** After zbuffReserve: used += `count` (clamped to len()). */
export function zbuffCommit(buf: ZBuff, count: number): void {
	commit(self(buf, "zbuffCommit"), count);
}

/** zbuffReserve on a state (rawOf(buf)). */
export function reserve(z: ZState, count: number): Uint8Array {
	const at = z.cursor;
	if (z.viewAt === at && z.viewLength === count) return z.view!;    // the same room as last time
	if (z.b.length - at < count) reallocate(z, at + count);
	const b = z.b;         // a view made directly, not subarray() (its species lookup): -500 instructions per echo
	const view = new Uint8Array(b.buffer, b.byteOffset + at, count);
	z.view = view;
	z.viewAt = at;
	z.viewLength = count;
	return view;
}

/** zbuffCommit on a state (rawOf(buf)). */
export function commit(z: ZState, count: number): void {
	const end = z.cursor + count;
	z.cursor = end < z.b.length ? end : z.b.length;
}

/** Append `bytes` at used (growing as zbuffReserve does); used += bytes.length. */
export function zbuffAppend(buf: ZBuff, bytes: Uint8Array): void {
	zbuffReserve(buf, bytes.length).set(bytes);
	zbuffCommit(buf, bytes.length);
}
