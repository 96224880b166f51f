// Streaming UTF-8 decoding as WHATWG's TextDecoder does it (and Node): every maximal invalid subpart becomes one
// U+FFFD, a truncated sequence too, also when it is split between chunks or ends the stream.
// Valid text, the common case, goes to one native call per chunk: xsnet/native's utf8Text (modules/native/common/
// utf8.c, the same C in the simulator, Moddable's lin and on boards) checks the bytes as WHATWG's decoder does
// (word at a time while they are ASCII), makes the string and copies them into it (XS strings are UTF-8; a NUL
// becomes C0 80), and carries a sequence cut by the chunk's end, packed in one integer (`carry`: length << 24 |
// bytes from bit 16 down), to the next chunk. A chunk it refuses (invalid somewhere) is decoded here in JS from
// the same state: the carry completed or refuted, a valid-so-far cut sequence at the end carried again, each
// maximal invalid subpart of the rest replaced by EF BF BD and the repaired bytes made a string by utf8Text.
// Neither XS's String.fromArrayBuffer (it takes overlongs, surrogates and code points past U+10FFFF, and stops at
// NUL) nor Moddable's text/decoder (wrong U+FFFD counts for truncated and C0/C1 sequences, inverted bounds after
// ED and F4) is used: the first needs a per-chunk ASCII check in JS (`length` is O(n) in XS), the second decodes
// in two passes.
import { utf8Text } from "xsnet/native";

/** Continuation bytes a lead byte takes (0: not a lead byte of a valid sequence). */
function needed(lead: number): number {
	if (lead < 0xC2) return 0;
	if (lead < 0xE0) return 1;
	if (lead < 0xF0) return 2;
	if (lead < 0xF5) return 3;
	return 0;
}

/** Whether `b` can be the continuation byte at `index` (1..3) of a sequence starting with `lead` (WHATWG bounds). */
function continues(lead: number, index: number, b: number): boolean {
	if (index === 1) {
		if (lead === 0xE0) return b >= 0xA0 && b <= 0xBF;
		if (lead === 0xED) return b >= 0x80 && b <= 0x9F;
		if (lead === 0xF0) return b >= 0x90 && b <= 0xBF;
		if (lead === 0xF4) return b >= 0x80 && b <= 0x8F;
	}
	return b >= 0x80 && b <= 0xBF;
}

/** Byte `i` (0..2) of a packed carry. */
function carried(carry: number, i: number): number {
	return (carry >> (16 - 8 * i)) & 0xFF;
}

/** Bytes of repaired UTF-8 made a string at once by decodeInvalid() (a block holds only whole sequences). */
const REPAIR_BLOCK = 1024;

/**
 * WHATWG's UTF-8 decode of `bytes` (no stream: a truncated last sequence is one U+FFFD): each maximal invalid
 * subpart is replaced by EF BF BD (U+FFFD) and the repaired, now valid bytes become text through utf8Text,
 * REPAIR_BLOCK bytes at a time. Never String.fromCharCode(...units): spreading thousands of arguments overflows
 * XS's stack (1024 slots in the simulator, fewer on a board), which aborts the VM: a peer sending a few KB of
 * invalid text did that.
 */
function decodeInvalid(bytes: Uint8Array): string {
	let text = "";
	const out = new Uint8Array(REPAIR_BLOCK + 4);
	let o = 0;
	const n = bytes.length;
	for (let i = 0; i < n;) {
		const b = bytes[i];
		if (b < 0x80) {
			out[o++] = b;
			i++;
		}
		else {
			const need = needed(b);
			let k = 1;
			while (k <= need && i + k < n && continues(b, k, bytes[i + k])) k++;
			if (need && k === need + 1) {
				for (let j = 0; j < k; j++) out[o++] = bytes[i + j];
			}
			else {
				out[o++] = 0xEF;                  // U+FFFD for the maximal subpart: the lead byte and the continuations that fit
				out[o++] = 0xBF;
				out[o++] = 0xBD;
			}
			i += k;
		}
		if (o >= REPAIR_BLOCK) {
			text += utf8Text(out.buffer, 0, o)!;
			o = 0;
		}
	}
	return o ? text + utf8Text(out.buffer, 0, o)! : text;
}

/**
 * A streaming UTF-8 decoder: decode(chunk) returns the text of the complete characters so far; end() the rest
 * (U+FFFD for a truncated last sequence). A byte order mark is kept as U+FEFF, except at the start of the stream
 * when `stripBOM` (WHATWG's default).
 */
export class Utf8Decoder {
	declare carry: number | undefined;                  // @internal the start of a sequence cut by the last chunk's end, packed (utf8Text sets it)
	declare private started: boolean | undefined;       // text was produced (no BOM to strip any more)
	declare private stripBOM: boolean | undefined;

	constructor(stripBOM?: boolean) {
		if (stripBOM) this.stripBOM = true;
	}

	/** The text of `bytes` after what came before; an incomplete last sequence waits for the next chunk. */
	decode(bytes: Uint8Array): string {
		const n = bytes.length;
		if (!n) return "";
		const text = utf8Text(bytes.buffer as ArrayBuffer, bytes.byteOffset, n, this.carry, this);
		if (text === undefined) return this.repair(bytes);
		return this.started ? text : this.first(text);
	}

	/**
	 * decode() of the first `n` (> 0) bytes of `buffer` without a view (no getter calls): TCP's text receive
	 * (core/push.ts) reads every chunk into one scratch buffer.
	 */
	decodeBuffer(buffer: ArrayBuffer, n: number): string {
		const text = utf8Text(buffer, 0, n, this.carry, this);
		if (text === undefined) return this.repair(new Uint8Array(buffer, 0, n));
		return this.started ? text : this.first(text);
	}

	/** End of the stream: U+FFFD for a truncated last sequence, else "". The decoder can then start anew. */
	end(): string {
		const carry = this.carry;
		this.carry = undefined;
		this.started = undefined;
		return carry ? "\ufffd" : "";
	}

	/** The first text of the stream: a leading BOM dropped when `stripBOM`. */
	private first(text: string): string {
		if (text === "") return text;
		this.started = true;
		return (this.stripBOM && text.charCodeAt(0) === 0xFEFF) ? text.slice(1) : text;
	}

	/** decode() of a chunk utf8Text refused (invalid somewhere), in JS, from the same state. */
	private repair(bytes: Uint8Array): string {
		let head = "", start = 0;
		const carry = this.carry;
		if (carry) {
			// complete (or refute) the carried sequence with the first bytes of this chunk
			const lead = carried(carry, 0), total = needed(lead) + 1;
			let have = carry >> 24;
			while (have < total && start < bytes.length && continues(lead, have, bytes[start])) {
				have++;
				start++;
			}
			if (have === total) {
				const whole = new Uint8Array(total);
				for (let i = 0; i < carry >> 24; i++) whole[i] = carried(carry, i);
				whole.set(bytes.subarray(0, start), carry >> 24);
				this.carry = undefined;
				head = utf8Text(whole.buffer, 0, total)!;
			}
			else if (start === bytes.length) {                 // (utf8Text takes this case itself)
				let packed = have << 24;
				for (let i = 0; i < have; i++) packed |= (i < carry >> 24 ? carried(carry, i) : bytes[i - (carry >> 24)]) << (16 - 8 * i);
				this.carry = packed;
				return "";
			}
			else {
				this.carry = undefined;
				head = "\ufffd";                                  // one for the maximal subpart
			}
		}
		let end = bytes.length;
		// an incomplete valid sequence at the end: carried
		for (let k = 1; k <= 3 && end - k >= start; k++) {
			const b = bytes[end - k];
			if (b < 0x80) break;
			if (b < 0xC0) continue;
			const need = needed(b);
			if (need >= k) {
				let ok = true;
				for (let i = 1; i < k && ok; i++) ok = continues(b, i, bytes[end - k + i]);
				if (ok) {
					let packed = k << 24;
					for (let i = 0; i < k; i++) packed |= bytes[end - k + i] << (16 - 8 * i);
					this.carry = packed;
					end -= k;
				}
			}
			break;
		}
		const body = end === start ? "" : decodeInvalid(bytes.subarray(start, end));
		const text = head ? head + body : body;
		return this.started ? text : this.first(text);
	}
}

// One decoder for whole messages (datagrams, zbuff text) that are not valid UTF-8, made on first use.
let whole: Utf8Decoder | undefined;

/**
 * `bytes` as UTF-8 text, a message on its own (WHATWG decode() without `stream`); a leading BOM is dropped when
 * `stripBOM` (WHATWG's default), else kept as U+FEFF.
 */
export function decodeUtf8(bytes: Uint8Array, stripBOM?: boolean): string {
	const n = bytes.length;
	if (!n) return "";
	let text = utf8Text(bytes.buffer as ArrayBuffer, bytes.byteOffset, n);
	if (text === undefined) {
		const d = whole ??= new Utf8Decoder();
		text = d.decode(bytes);
		const tail = d.end();
		if (tail) text += tail;
	}
	return (stripBOM && text.charCodeAt(0) === 0xFEFF) ? text.slice(1) : text;
}
