// Property-based fuzz of nodemcu/net's public API (args[3] = "nodemcu") or luatos/socket's, sys's and zbuff's
// (args[3] = "luatos"), for tests/fuzz-api.test.js (fast-check makes the calls in Node). The app connects to Node's control server at 127.0.0.1:`args[0]`, receives one call per line (JSON, see
// decode()) until "end", and runs them as they arrive, a few per turn, so that events interleave with calls.
// A call that throws must throw an Error with a message; anything else is printed as "bad <n> ...". After "end"
// every object the calls made is closed, a witness socket (connected to Node's echo server at `args[1]` before
// the first call and never given to the calls) must echo 16 KiB intact, the summary goes back over the control
// connection, and the app then has nothing left: the simulator must end by itself. args[4] = "trace": print
// each call before running it (FUZZ_TRACE=1 in the test).
import net from "nodemcu/net";
import socket from "luatos/socket";
import sys from "luatos/sys";
import zbuff from "luatos/zbuff";
import args from "xsnet-sim/args";
import Timer from "timer";

type Any = any;
const ctrl = net.createConnection();
const echoPort = Number(args[1]);
const closedPort = Number(args[2]);
const luatos = args[3] === "luatos";
/** What {o: "net", f: "<space>.<name>"} calls: nodemcu's net, or luatos's modules. */
const modules: Any = luatos ? { socket, sys, zbuff } : { net };
const handles: Any[] = [];
const queue: string[] = [];
let received = 0, calls = 0, threw = 0, bad = 0, skipped = 0, callbacks = 0, ended = false, running = false;
let pending = "";

function report(line: string): void {
	trace(line + "\n");
}

/** A callback for the calls: counts, and keeps accepted sockets as handles. */
function callback(this: unknown, ...a: unknown[]): void {
	callbacks++;
	for (const x of a) if (x && typeof x === "object" && typeof (x as Any).close === "function" && handles.length < 400 && !handles.includes(x)) handles.push(x);
}
function thrower(): void {
	callbacks++;
	throw new Error("fuzz callback");
}
const evil = { toString() { throw new Error("evil toString"); }, valueOf() { throw new Error("evil valueOf"); } };

/** JSON values stand for themselves; {$: ...} for what JSON cannot carry. */
function decode(v: Any): Any {
	if (Array.isArray(v)) return v.map(decode);
	if (!v || typeof v !== "object") return v;
	switch (v.$) {
	case undefined: { const o: Any = {}; for (const k of Object.keys(v)) o[k] = decode(v[k]); return o; }
	case "u": return undefined;
	case "nan": return NaN;
	case "inf": return Infinity;
	case "-inf": return -Infinity;
	case "-0": return -0;
	case "fn": return callback;
	case "throw": return thrower;
	case "echo": return echoPort;
	case "closed": return closedPort;
	case "buf": return new ArrayBuffer(v.n);
	case "u8": return new Uint8Array(v.n).fill(0x41);
	case "dv": return new DataView(new ArrayBuffer(v.n));
	case "sym": return Symbol("fuzz");
	case "big": return 10n;
	case "h": return handles.length ? handles[v.i % handles.length] : undefined;
	case "evil": return evil;
	}
	return v;
}

/** The network rule: no address outside 127.0.0.0/8 reaches the calls (they could send there). luatos takes
 * integer addresses too (0x7F000001). */
function forbidden(v: unknown): boolean {
	if (typeof v === "number")
		return Number.isInteger(v) && v >= -0x80000000 && v <= 0xFFFFFFFF && Math.abs(v) >= 0x1000000 && (v >>> 24) !== 127;
	if (typeof v !== "string") return false;
	const m = /^\s*(\d+)\.\d+\.\d+\.\d+/.exec(v);
	return m !== null && m[1] !== "127" && !/^\s*0\.0\.0\.0\s*$/.test(v);
}

const traceCalls = args[4] === "trace";

function run(line: string): void {
	if (traceCalls) trace(`call ${line}\n`);
	const op = JSON.parse(line);
	const a: unknown[] = decode(op.a ?? []);
	if (a.some(forbidden) || forbidden(op.v)) { skipped++; return; }
	calls++;
	try {
		let result: unknown;
		if (op.o === "net") {
			const path: string[] = op.f.split(".");
			let target: Any = modules[luatos ? path.shift()! : "net"];
			while (path.length > 1) target = target[path.shift()!];
			result = target[path[0]](...a);
		}
		else {
			const h = handles.length ? handles[op.h % handles.length] : undefined;
			if (!h) { calls--; skipped++; return; }
			if (op.o === "call") result = h[op.m](...a);
			else if (op.o === "set") h[op.p] = decode(op.v);
			else result = h[op.p];
		}
		const keep = luatos ? !Array.isArray(result) && !(result instanceof Promise) : typeof (result as Any)?.close === "function";
		if (result && typeof result === "object" && keep && handles.length < 400) handles.push(result);
	}
	catch (e) {
		threw++;
		if (!(e instanceof Error) || typeof e.message !== "string" || e.message.length === 0) {
			bad++;
			let shown: string;
			try { shown = String(e); } catch { shown = typeof e; }
			report(`bad ${received} ${line} threw ${shown}`);
		}
	}
}

/** Run what has arrived, 16 calls per turn; after "end", finish. */
function pump(): void {
	if (running) return;
	running = true;
	Timer.set(function turn() {
		for (let n = 0; n < 16 && queue.length; n++) run(queue.shift()!);
		if (queue.length) { Timer.set(turn, 0); return; }
		running = false;
		if (ended) finish();
	}, 0);
}

const witness = net.createConnection();
witness.format = "buffer";
let witnessReady = false;

function finish(): void {
	for (const h of handles) {
		try { h.close?.(); } catch { /* not open */ }
		if (luatos) try { socket.release(h); } catch { /* no ctrl */ }
	}
	if (luatos) try { sys.timerStopAll(callback); sys.timerStopAll(thrower); } catch { /* none */ }
	const block = new Uint8Array(16384);
	for (let i = 0; i < block.length; i++) block[i] = (i * 7) & 0xFF;
	let got = 0, intact = true;
	witness.on("receive", (_s, data) => {
		const bytes = new Uint8Array(data as ArrayBuffer);
		for (let i = 0; i < bytes.length; i++) if (bytes[i] !== block[got + i]) intact = false;
		got += bytes.length;
		if (got < block.length) return;
		witness.close();
		const line = `summary received ${received} calls ${calls} threw ${threw} bad ${bad} skipped ${skipped} callbacks ${callbacks} handles ${handles.length} witness ${intact && got === block.length ? "intact" : "broken"}`;
		report(line);
		ctrl.send(line + "\n", () => ctrl.close());
	});
	witness.send(block.buffer);
}

ctrl.on("receive", (_s, data) => {
	pending += data as string;
	let nl;
	while ((nl = pending.indexOf("\n")) >= 0) {
		const line = pending.slice(0, nl);
		pending = pending.slice(nl + 1);
		if (line === "end") ended = true;
		else { received++; queue.push(line); }
	}
	pump();
});
ctrl.on("reconnection", (_s, err) => report(`control connection failed: ${err}`));
witness.on("connection", () => {
	witnessReady = true;
	ctrl.connect(Number(args[0]), "127.0.0.1");
});
witness.on("reconnection", (_s, err) => report(`witness failed: ${err}`));
witness.connect(echoPort, "127.0.0.1");
