// The checks of NodeMCU's lua_modules/fifo/fifosocktest.lua, ported: a fake socket records every send()
// and the test plays its "sent" events by hand, so each coalescing and splitting rule of fifosock is
// checked exactly. As in the Lua, the cork timer runs at once ("pretend that nothing happens between
// ticks"). runFifosockTest() returns "All tests OK" or throws an Error naming the failed check.
import { wrap } from "./fifosock.js";
import type { Generator } from "./fifosock.js";

/** 0: quiet; 1: the events (SEND, SENT, CHECK); 2: the events with their bytes (fifosocktest.lua `verbose`). */
export function runFifosockTest(verbose = 0): string {
	const vprint = (...a: unknown[]) => { if (verbose > 0) trace(a.map(String).join("\t") + "\n"); };
	let checks = 0;
	const check = (ok: boolean, what: string) => {
		checks++;
		if (!ok) throw new Error(`fifosocktest: check ${checks} failed: ${what}`);
	};

	// a mock of the net.socket: logs every send into `outs`
	const outs: string[] = [];
	let onSent: (() => void) | undefined;
	const fakesock = {
		on(_event: "sent", fn: () => void) { onSent = fn; },
		send(s: string) { vprint("SEND", verbose > 1 ? s : ""); outs.push(s); },
	};
	const sent = () => { vprint("SENT"); onSent!(); };

	// wrap a fifosock around the fake socket; the mocked timer fires at once
	const fsend = wrap(fakesock, { defer: (fn) => { vprint("TMR"); fn(); } });

	// the next unconsumed output is `x`
	const fcheck = (x: string) => {
		vprint("CHECK", verbose > 1 ? x : "");
		check(outs.length > 0, `expected a send of ${x.length} chars, got none`);
		const got = outs.shift()!;
		check(got === x, `expected a send of ${JSON.stringify(short(x))}, got ${JSON.stringify(short(got))}`);
	};
	// queue an empty function to prevent coalescing within the fifosock
	const nocoal = () => fsend(() => undefined);
	// send and check, for when the string should be sent exactly as is
	const fsendc = (x: string) => { fsend(x); fcheck(x); };
	// no more outputs
	const fchecke = () => { vprint("CHECKE"); check(outs.length === 0, `expected no send, got ${outs.length}`); };
	const rep = (s: string, n: number) => s.repeat(n);

	// the tests, which start easy and grow in complexity
	fsendc("abracadabra none");
	sent(); fchecke();

	fsendc("abracadabra three");
	fsend("short");
	fsend("string");
	fsend("build");
	sent(); fcheck("shortstringbuild");
	sent(); fchecke();

	// hit FSMALLLIM while building up
	fsendc("abracadabra lots small");
	for (let i = 1; i <= 32; i++) fsend("a");
	nocoal();
	for (let i = 1; i <= 4; i++) fsend("a");
	sent(); fcheck(rep("a", 32));
	sent(); fcheck(rep("a", 4));
	sent(); fchecke();

	// hit the string length while building up
	fsendc("abracadabra overlong");
	for (let i = 1; i <= 10; i++) fsend(rep("a", 32));
	sent(); fcheck(rep("a", 320));
	sent(); fchecke();

	// hit neither before sending a big string
	fsendc("abracadabra mid long");
	for (let i = 1; i <= 6; i++) fsend(rep("a", 32));
	fsend(rep("b", 256));
	nocoal();
	for (let i = 1; i <= 6; i++) fsend(rep("c", 32));
	sent(); fcheck(rep("a", 192) + rep("b", 256));
	sent(); fcheck(rep("c", 192));
	sent(); fchecke();

	// send a huge string, verify that it coalesces
	fsendc(rep("a", 256) + rep("b", 256) + rep("c", 260));
	sent(); fchecke();

	// send a huge string, verify that it coalesces save for the short bit at the end
	fsend(rep("a", 256) + rep("b", 256) + rep("c", 256) + rep("d", 256));
	fsend("e");
	fcheck(rep("a", 256) + rep("b", 256) + rep("c", 256));
	sent(); fcheck(rep("d", 256) + "e");
	sent(); fchecke();

	// send enough that our 4x lookahead still leaves something in the queue
	fsend(rep("a", 512) + rep("b", 512) + rep("c", 512));
	fcheck(rep("a", 512) + rep("b", 512));
	sent(); fcheck(rep("c", 512));
	sent(); fchecke();

	// a lazy generator
	{
		let ix = 0;
		const gen: Generator = () => { vprint("GEN", ix); ix++; return ["a" + ix, ix < 3 ? gen : undefined]; };
		fsend(gen);
		fsend("b");
		fcheck("a1");
		sent(); fcheck("a2");
		sent(); fcheck("a3");
		sent(); fcheck("b");
		sent(); fchecke();
	}
	// a completion-like callback that does send text
	{
		let ix = 0;
		const gen: Generator = () => { vprint("GEN"); ix = 1; return ["efgh", undefined]; };
		fsend("abcd"); fsend(gen); fsend("ijkl");
		check(ix === 0, "generator ran early");
		fcheck("abcd"); check(ix === 0, "generator ran early");
		sent(); fcheck("efgh"); check(ix === 1, "generator did not run"); ix = 0;
		sent(); fcheck("ijkl"); check(ix === 0, "generator ran twice");
		sent(); fchecke();
	}
	// and one that doesn't
	{
		let ix = 0;
		const gen: Generator = () => { vprint("GEN"); ix = 1; };
		fsend("abcd"); fsend(gen); fsend("ijkl");
		check(ix === 0, "generator ran early");
		fcheck("abcd"); check(ix === 0, "generator ran early");
		sent(); fcheck("ijkl"); check(ix === 1, "generator did not run"); ix = 0;
		sent(); fchecke(); check(ix === 0, "generator ran twice");
	}

	// Not in the Lua: a big string is never cut inside a surrogate pair (JavaScript strings are UTF-16), so
	// every send is well-formed text and together they are the string
	{
		const s = "x" + rep("\u{1F600}", 1000); // a cut every 256 code units would split pairs
		fsend(s);
		const got: string[] = [];
		for (let i = 0; i < 100 && outs.length; i++) {
			const o = outs.shift()!;
			check(!isHigh(o.charCodeAt(o.length - 1)) && !isLow(o.charCodeAt(0)), "a send split a surrogate pair");
			got.push(o);
			sent();
		}
		check(got.length > 1, "the big string was not cut");
		check(got.join("") === s, "the sends do not add up to the string");
		fchecke();
	}
	return "All tests OK";
}

function short(s: string): string {
	return s.length > 40 ? `${s.slice(0, 20)}...(${s.length} chars)...${s.slice(-10)}` : s;
}

function isHigh(c: number): boolean {
	return c >= 0xd800 && c <= 0xdbff;
}

function isLow(c: number): boolean {
	return c >= 0xdc00 && c <= 0xdfff;
}
