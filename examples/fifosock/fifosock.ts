// A two-staged FIFO around a socket's send(): a port of NodeMCU's lua_modules/fifo/fifosock.lua
// (documented in nodemcu-firmware docs/lua-modules/fifosock.md).
//   import { wrap } from "./fifosock.js";
//   const ssend = wrap(sock);            // Lua: ssend = (require "fifosock").wrap(sock)
//   ssend("hello, "); ssend("world\n");
//   ssend(() => { trace("All sent\n"); }); // runs once everything before it was sent
// Everything queued goes out in order, one socket send() at a time, each started by the socket's "sent"
// event; small strings are coalesced and big ones cut into pieces, as in the Lua. After wrapping, use only
// `ssend` instead of sock.send() and leave the socket's "sent" callback to the wrapper.
//
// A queued function is a generator (Lua: returns `s, ns`): it returns a string to send (or nothing) and
// optionally a replacement function that stays at the head of the queue: `return [chunk, nextFn]`,
// `return chunk` (same as `[chunk, undefined]`) or nothing.
//
// Differences from the Lua, all from strings being UTF-16 in JavaScript and byte strings in Lua:
// - lengths and thresholds count UTF-16 code units, not bytes;
// - a big string is never cut between the two halves of a surrogate pair (a piece may be one unit
//   shorter), so every piece is valid text and the bytes on the wire are exactly the UTF-8 of the input;
// - big strings are cut in one pass (XS indexes strings in O(n), so the Lua's repeated `s:sub()` of the
//   rest would be quadratic); the pieces and their order are the Lua's.
// Values other than strings and functions are sent as String(value) (Lua: tostring).
import Timer from "timer";
import { Fifo } from "./fifo.js";
import type { DequeueFn } from "./fifo.js";

/** How big is a "big" string? (fifosock.lua BIGTHRESH) */
export const BIGTHRESH = 256;
/** Any slop in the big question? (SPLITSLOP) */
export const SPLITSLOP = 16;
/** Maximum number of small strings held (FSMALLLIM). */
export const FSMALLLIM = 32;
/** How many FIFO entries one send() may coalesce (COALIMIT). */
export const COALIMIT = 3;

/** What a queued function returns: a string to send (or nothing) and optionally its replacement. */
export type GeneratorResult = string | undefined | void | [string | undefined, Generator | undefined];
/** A function queued with ssend(): called when its turn comes; see GeneratorResult. */
export type Generator = () => GeneratorResult;

/** The part of a socket the wrapper uses: NodeMCU's net.socket (or a test double). */
export interface SendSocket {
	send(data: string): unknown;
	on(event: "sent", fn: () => void): unknown;
}

export interface WrapOptions {
	/**
	 * Runs `fn` "a tick" later, for the cork (Lua: `tmr.create():alarm(1, tmr.ALARM_SINGLE, sendnext)`).
	 * Default: Timer.set(fn, 1). fifosocktest.lua's mock runs it at once: `(fn) => fn()`.
	 */
	defer?: (fn: () => void) => void;
}

/** ssend(): queue a string (or a generator function) for sending. undefined, null and "" are ignored. */
export type FifoSend = (s: string | Generator | number | boolean | null | undefined) => void;

type Item = string | Generator;

/**
 * Cut `s` into pieces of `size` code units (the last may be shorter), never inside a surrogate pair.
 * Linear in XS: it slices blocks of 64 pieces first, then the pieces inside each block.
 */
export function splitString(s: string, size: number): string[] {
	const out: string[] = [];
	const n = s.length;
	const block = size * 64;
	let i = 0;
	while (i < n) {
		let end = Math.min(i + block, n);
		if (end < n && isHighSurrogate(s.charCodeAt(end - 1))) end--;
		const piece = (i === 0 && end === n) ? s : s.slice(i, end);
		const m = piece.length;
		let j = 0;
		while (j < m) {
			let e = Math.min(j + size, m);
			if (e < m && isHighSurrogate(piece.charCodeAt(e - 1))) e--;
			out.push((j === 0 && e === m) ? piece : piece.slice(j, e));
			j = e;
		}
		i = end;
	}
	return out;
}

function isHighSurrogate(c: number): boolean {
	return c >= 0xd800 && c <= 0xdbff;
}

function callGenerator(g: Generator): [string | undefined, Generator | undefined] {
	const r = g();
	if (Array.isArray(r)) return [r[0], r[1]];
	return [typeof r === "string" ? r : undefined, undefined];
}

/** Wrap `sock`: returns the `ssend` function to use instead of sock.send() (fifosock.lua `wrap`). */
export function wrap(sock: SendSocket, options: WrapOptions = {}): FifoSend {
	const defer = options.defer ?? ((fn: () => void) => { Timer.set(fn, 1); });

	// the two fifos: small strings waiting to be concatenated, and the big fifo of whole sends
	let fsmall: string[] = [];
	let lsmall = 0;
	const fbig = new Fifo<Item>();

	// ssend's last aggregation string and aggregate count
	let ssla = "";
	let sslan = 0;

	const ssend: DequeueFn<Item> = (s, islast) => {
		let ns: Generator | undefined;
		let str: string | undefined;

		// Optimistically, try coalescing FIFO dequeues. But don't coalesce function outputs, since functions
		// might be staging their execution on the "sent" event implied by being called.
		if (typeof s === "function") {
			if (sslan !== 0) {
				sock.send(ssla);
				ssla = ""; sslan = 0;
				return [s, false]; // stay as is and wait for "sent"
			}
			[str, ns] = callGenerator(s);
		}
		else if (sslan < COALIMIT) {
			ssla = sslan === 0 ? s : ssla + s;
			sslan++;
			if (islast) {
				// this is shipping; if there's room, steal the small fifo, too
				if (sslan < COALIMIT) {
					sock.send(fsmall.length ? ssla + fsmall.join("") : ssla);
					fsmall = []; lsmall = 0;
				}
				else sock.send(ssla);
				ssla = ""; sslan = 0;
				return [undefined, false];
			}
			return [undefined, true];
		}
		else str = s;

		// Either that was a function or we've hit our coalescing limit or we didn't ship above.
		// Ship now, if there's something to ship.
		if (str !== undefined) {
			if (sslan === 0) {
				if (str.length > 0) sock.send(str);
				else return [ns, true];
			}
			else sock.send(ssla + str);
			ssla = ""; sslan = 0;
			return [ns, false];
		}
		if (ns !== undefined) throw new Error("fifosock: a generator that sends nothing must not return a replacement");
		if (sslan !== 0) {
			sock.send(ssla);
			ssla = ""; sslan = 0;
			return [undefined, false];
		}
		return [undefined, true];
	};

	// Move fsmall to fbig; might send if fbig is empty
	function promote(f?: DequeueFn<Item>): void {
		if (fsmall.length === 0) return;
		const str = fsmall.join("");
		fsmall = []; lsmall = 0;
		fbig.queue(str, f ?? ssend);
	}

	function sendnext(): void {
		if (!fbig.dequeue(ssend)) promote();
	}

	// The cork's sendnext runs from a timer, where nobody could catch an error: when the socket was closed
	// meanwhile (e.g. the peer went away), send() raises "not connected"; report it and drop the rest.
	// (The Lua raised from its timer, which resets an ESP8266.)
	function sendnextLater(): void {
		try {
			sendnext();
		}
		catch (e) {
			trace(`fifosock: ${(e as Error)?.message ?? String(e)}\n`);
		}
	}

	sock.on("sent", sendnext);

	return function fsend(value) {
		// don't sweat the petty things
		if (value === undefined || value === null || value === "") return;

		// Function? Go ahead and queue this thing in the right place.
		if (typeof value === "function") {
			promote();
			fbig.queue(value, ssend);
			return;
		}

		let s = String(value);

		// cork sending until the end in case we're the head of line
		let corked = false;
		const corker: DequeueFn<Item> = (t) => {
			corked = true;
			return [t, false];
		};

		// small fifo would overfill? promote it
		if (lsmall + s.length > BIGTHRESH || fsmall.length >= FSMALLLIM) promote(corker);

		// big string? chunk and queue big components immediately behind any promotion that just took place
		// (Lua: while #s > BIGTHRESH + SPLITSLOP, queue s:sub(1, BIGTHRESH) and keep the rest)
		if (s.length > BIGTHRESH + SPLITSLOP) {
			const pieces = splitString(s, BIGTHRESH);
			let rest = s.length;
			let k = 0;
			while (rest > BIGTHRESH + SPLITSLOP) {
				fbig.queue(pieces[k], corker);
				rest -= pieces[k].length;
				k++;
			}
			s = k === pieces.length - 1 ? pieces[k] : pieces.slice(k).join("");
		}

		// Big string? queue and maybe tx now
		if (s.length > BIGTHRESH) fbig.queue(s, corker);
		// small and fifo in immediate dequeue mode
		else if (fbig._go && lsmall === 0) fbig.queue(s, corker);
		// small and queue already moving; let it linger in the small fifo
		else {
			fsmall.push(s);
			lsmall += s.length;
		}

		// If we corked the transmission above: if we queued a good amount of data, start transmitting;
		// otherwise wait a tick and hopefully we will queue more in the interim before transmitting.
		if (corked) {
			if (fbig.length <= COALIMIT) defer(sendnextLater);
			else sendnext();
		}
	};
}

export default { wrap };
