// A telnet server with a JavaScript REPL: a port of NodeMCU's lua_modules/telnet/telnet.lua
// (docs/lua-modules/telnet.md).
//   import telnet from "./telnet.js";
//   telnet.open(2323);      // Lua: telnet:open(ssid, pwd, port)
//   telnet.close();
// Each connection is a session: every line it sends is evaluated as JavaScript with indirect eval (global
// scope: `var x = 1` on one line is seen by the next), the value (or the error) is written back followed by
// a "> " prompt, to that session. print(...) outside an evaluation (e.g. in a timer) writes to the session
// that connected last, as NodeMCU's node.output() redirection; with no session connected, to trace(). Output leaves through a pipe read 1400 code
// units at a time, the next piece on each "sent" event, as the Lua's stdout pipe.
//
// Differences from the Lua:
// - JavaScript instead of Lua: each line must be a complete statement (no continuation lines);
// - no Wi-Fi set-up in open(): a Moddable app is on the network before main runs (the Lua waited for
//   an IP address, joining `ssid` with `pwd` when given);
// - the welcome line names the local address instead of node.heap() and wifi.sta.getip();
// - a session that disconnects gives the output back only if it still has it (the Lua always reset it).
// On a board the firmware needs XS's parser for eval (see examples/README.md); without it each line answers
// with an error and the server keeps running.
import net from "nodemcu/net";
import type { NetServer, NetSocket } from "nodemcu/net";
import { create as createPipe } from "./pipe.js";
import type { Pipe } from "./pipe.js";

/** TCP port of the telnet service (docs/lua-modules/telnet.md: 2323). */
export const DEFAULT_PORT = 2323;
/** Server timeout, seconds (the Lua: net.createServer(net.TCP, 180)). */
const TIMEOUT = 180;
/** Output piece size (the Lua: stdout:read(1400)). */
const READ_SIZE = 1400;

// ---- the console: NodeMCU's node.output() and node.input(), and print() ----

type Output = (text: string) => void;
let output: Output | undefined;

/** NodeMCU node.output(fn): send all console output to `fn`; node.output() gives it back to trace(). */
function nodeOutput(fn?: Output): void {
	output = fn;
}

function write(text: string): void {
	if (output) output(text);
	else trace(text);
}

/** A value as the REPL shows it: strings quoted, objects as JSON where possible. */
export function show(value: unknown): string {
	switch (typeof value) {
		case "string": return JSON.stringify(value);
		case "function": return `[Function${value.name ? " " + value.name : ""}]`;
		case "symbol": return value.toString();
		case "bigint": return `${value}n`;
		case "object":
			if (value === null) return "null";
			if (value instanceof Error) return `${value.name}: ${value.message}`;
			try {
				return JSON.stringify(value) ?? String(value);
			}
			catch {
				return String(value);
			}
		default: return String(value);
	}
}

/** Lua's print: the arguments separated by tabs, then a newline; strings as they are. */
export function print(...args: unknown[]): void {
	write(args.map((a) => typeof a === "string" ? a : show(a)).join("\t") + "\n");
}

/** Evaluate one line of JavaScript in the global scope and print its value or its error, then a prompt. */
function evaluate(line: string): void {
	try {
		const value = (0, eval)(line);
		if (value !== undefined) write(show(value) + "\n");
	}
	catch (e) {
		write((e instanceof Error ? `${e.name}: ${e.message}` : `Uncaught ${show(e)}`) + "\n");
	}
	write("> ");
}

/**
 * NodeMCU node.input(text), per session: append `text` to the session's partial line `pending`, evaluate each
 * complete line with the output going to `out` (the session that typed it), and return the new partial line.
 */
function nodeInput(pending: string, text: string, out: Output): string {
	const lines = (pending + text).split("\n");
	const rest = lines.pop() ?? "";
	const saved = output;
	output = out;
	try {
		for (const raw of lines) {
			const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
			if (line.trim().length) evaluate(line);
			else write("> ");
		}
	}
	finally {
		// the line may have moved the console elsewhere; otherwise give it back
		if (output === out) output = saved;
	}
	return rest;
}

// ---- the telnet session (telnet.lua telnet_session) ----

function telnet_session(socket: NetSocket): void {
	let stdout: Pipe | undefined;
	let sending = false;
	let connected = true;

	const output_CB = (opipe: Pipe) => { // upval: socket
		stdout = opipe;
		if (sending || !connected) return false; // the "sent" callback will read on
		const rec = opipe.read(READ_SIZE);
		if (rec) {
			sending = true;
			socket.send(rec);
		}
		return false; // don't repost as the "sent" callback will do this
	};

	const onsent_CB = (skt: NetSocket) => { // upval: stdout
		const rec = stdout?.read(READ_SIZE);
		if (rec) skt.send(rec);
		else sending = false;
	};

	const pipe = createPipe(output_CB);
	const sessionOutput: Output = (text) => pipe.write(text);

	const disconnect_CB = () => {
		connected = false;
		if (output === sessionOutput) nodeOutput();
		pipe.clear();
		stdout = undefined;
	};

	let pending = "";
	nodeOutput(sessionOutput);
	socket.on("receive", (_s, rec) => { pending = nodeInput(pending, String(rec), sessionOutput); });
	socket.on("sent", onsent_CB);
	socket.on("disconnection", disconnect_CB);
	const [, ip] = socket.getaddr();
	print(`Welcome to the xsnet JavaScript REPL (NodeMCU telnet example) on ${ip ?? "this device"}`);
	write("> ");
}

// ---- the module (telnet.lua M.open, M.close) ----

let svr: NetServer | undefined;

/**
 * Start the telnet server on `port` (default 2323; 0 = any free port) and, optionally, address `ip`
 * (default every interface). Also makes print() a global function for the REPL. Returns the server.
 */
export function open(port: number = DEFAULT_PORT, ip?: string): NetServer {
	(globalThis as Record<string, unknown>).print = print;
	const s = net.createServer(net.TCP, TIMEOUT);
	if (ip) s.listen(port, ip, telnet_session);
	else s.listen(port, telnet_session);
	svr = s;
	const [p, a] = s.getaddr();
	trace(`Telnet server started (${a}:${p})\n`);
	return s;
}

/** Stop listening (open sessions stay until they disconnect). */
export function close(): void {
	if (svr) svr.close();
	svr = undefined;
}

export default { open, close, print };
