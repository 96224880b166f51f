// Streaming UTF-8 decoding as WHATWG's TextDecoder does it (and Node): every maximal invalid subpart becomes one
// U+FFFD, a truncated sequence too, also when it is split between chunks or ends the stream.
// Moddable's text/decoder (which boards run, as the simulator does) decodes valid UTF-8 right, but not all invalid
// input: in stream mode a truncated sequence whose bytes were carried from the previous chunk gives one U+FFFD per
// byte (its skip loop reads the input, not its carry buffer: `41 E2 82 | 42` gave "A\uFFFD\uFFFDB"), a truncated
// sequence at the end of the input gives one per byte too, C0/C1 lead bytes swallow the next byte, and the bounds
// after ED and F4 are inverted (ED A0 80 gave two U+FFFD, not three). So here: the incomplete sequence at the end of
// a chunk is carried by this class (at most 3 bytes), and Moddable's decoder only ever decodes the rest with
// `fatal` (its check is right): valid text, the common case, stays native and costs one to three byte reads more
// than before; a chunk it refuses is decoded by decodeInvalid() below, in JS.
// Faster still for ASCII, the common case of network text: XS's String.fromArrayBuffer copies the bytes into a
// string (one shape check per byte, then memcpy; ~2.5x faster than the decoder's two passes). It checks only the
// shape of each sequence (it takes overlongs, surrogates and code points past U+10FFFF) and stops at a NUL byte,
// so its result is used only when every byte became one UTF-16 unit (string length === byte count): then the
// chunk was ASCII without NUL, which is valid UTF-8. Otherwise the decoder above decodes the chunk, and the next
// chunks too until one is ASCII again (no wasted copy per chunk of non-ASCII text).
import TextDecoder from "text/decoder";

const OPTIONS = Object.freeze({ ignoreBOM: true, fatal: true });

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

/** Bytes of repaired UTF-8 decoded at once by decodeInvalid() (a flush holds only whole sequences). */
const REPAIR_BLOCK = 1024;

/**
 * WHATWG's UTF-8 decode of `bytes` (no stream: a truncated last sequence is one U+FFFD): each maximal invalid
 * subpart is replaced by EF BF BD (U+FFFD) and the repaired, now valid bytes are decoded by Moddable's decoder,
 * REPAIR_BLOCK bytes at a time. Never String.fromCharCode(...units): spreading thousands of arguments overflows
 * XS's stack (1024 slots in the simulator, fewer on a board), which aborts the VM: a peer sending a few KB of
 * invalid text did that.
 */
function decodeInvalid(bytes: Uint8Array, decoder: TextDecoder): string {
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
			text += decoder.decode(out.subarray(0, o));
			o = 0;
		}
	}
	return o ? text + decoder.decode(out.subarray(0, o)) : text;
}

/**
 * A streaming UTF-8 decoder: decode(chunk) returns the text of the complete characters so far; end() the rest
 * (U+FFFD for a truncated last sequence). A byte order mark is kept as U+FEFF, except at the start of the stream
 * when `stripBOM` (WHATWG's default).
 */
export class Utf8Decoder {
	declare private decoder: TextDecoder | undefined;   // Moddable's, made on first use
	declare private carry: Uint8Array | undefined;       // the valid start of a sequence cut by the chunk's end
	declare private started: boolean | undefined;       // text was produced (no BOM to strip any more)
	declare private stripBOM: boolean | undefined;
	declare private wide: boolean | undefined;          // the last chunk was not ASCII: skip the copy attempt

	constructor(stripBOM?: boolean) {
		if (stripBOM) this.stripBOM = true;
	}

	/** The text of `bytes` after what came before; an incomplete last sequence waits for the next chunk. */
	decode(bytes: Uint8Array): string {
		let head = "", start = 0;
		const carry = this.carry;
		if (carry) {
			// complete (or refute) the carried sequence with the first bytes of this chunk
			const lead = carry[0], total = needed(lead) + 1;
			let have = carry.length;
			while (have < total && start < bytes.length && continues(lead, have, bytes[start])) {
				have++;
				start++;
			}
			if (have === total) {
				const whole = new Uint8Array(total);
				whole.set(carry);
				whole.set(bytes.subarray(0, start), carry.length);
				this.carry = undefined;
				head = this.text(whole);
			}
			else if (start === bytes.length) {
				const longer = new Uint8Array(have);
				longer.set(carry);
				longer.set(bytes.subarray(0, start), carry.length);
				this.carry = longer;
				return "";
			}
			else {
				this.carry = undefined;
				head = "\ufffd";                                  // one for the maximal subpart
				this.started = true;
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
					this.carry = bytes.slice(end - k, end);
					end -= k;
				}
			}
			break;
		}
		if (end === start) return head;
		const body = this.text((start === 0 && end === bytes.length) ? bytes : bytes.subarray(start, end));
		return head ? head + body : body;
	}

	/**
	 * decode() of the first `n` (> 0) bytes of `buffer`, without a view or getter calls when they are ASCII (the
	 * common case of network text): no sequence is carried then, and ASCII holds no BOM. Otherwise (or while a
	 * sequence is carried, or the last chunk was not ASCII) decode() decodes them.
	 */
	decodeBuffer(buffer: ArrayBuffer, n: number): string {
		if (!this.carry && !this.wide) {
			let text: string | undefined;
			try {
				text = String.fromArrayBuffer(buffer, 0, n);
			}
			catch {
				text = undefined;                              // not even shaped as UTF-8
			}
			if (text !== undefined && text.length === n) {     // ASCII without NUL (see text())
				this.started = true;
				return text;
			}
			this.wide = true;                                  // so decode() does not copy them again
		}
		return this.decode(new Uint8Array(buffer, 0, n));
	}

	/** End of the stream: U+FFFD for a truncated last sequence, else "". The decoder can then start anew. */
	end(): string {
		const carry = this.carry;
		this.carry = undefined;
		this.started = undefined;
		return carry ? "\ufffd" : "";
	}

	private text(bytes: Uint8Array): string {
		const n = bytes.length;
		let text: string | undefined;
		if (!this.wide) {
			try {
				text = String.fromArrayBuffer(bytes.buffer, bytes.byteOffset, n);
			}
			catch {
				text = undefined;                              // not even shaped as UTF-8
			}
			if (text !== undefined && text.length !== n) text = undefined;   // not ASCII, or a NUL cut it short
		}
		if (text === undefined) {
			const decoder = this.decoder ??= new TextDecoder("utf-8", OPTIONS);
			try {
				text = decoder.decode(bytes);
			}
			catch {
				text = decodeInvalid(bytes, decoder);          // Moddable's `fatal` refused it: not valid UTF-8
			}
			const wide = text.length !== n;
			if (wide !== !!this.wide) this.wide = wide || undefined;
		}
		if (this.started || text === "") return text;
		this.started = true;
		return (this.stripBOM && text.charCodeAt(0) === 0xFEFF) ? text.slice(1) : text;
	}
}

// One decoder for whole messages (datagrams, zbuff text), made on first use.
let whole: Utf8Decoder | undefined;

/**
 * `bytes` as UTF-8 text, a message on its own (WHATWG decode() without `stream`); a leading BOM is dropped when
 * `stripBOM` (WHATWG's default), else kept as U+FEFF.
 */
export function decodeUtf8(bytes: Uint8Array, stripBOM?: boolean): string {
	if (!bytes.length) return "";
	const d = whole ??= new Utf8Decoder();
	let text = d.decode(bytes);
	const tail = d.end();
	if (tail) text += tail;
	return (stripBOM && text.charCodeAt(0) === 0xFEFF) ? text.slice(1) : text;
}
