// LuatOS's message timers (script/corelib/sys.lua: timerStart, timerLoopStart, timerStop, timerStopAll,
// timerIsActive). A timer is identified by its id, or by its function together with its arguments: starting a
// timer first stops the one with the same function and the same arguments (LuatOS's duplicate-timer rule).
import { toInteger } from "xsnet/core/lua";
import Timer from "timer";
import { log, logException } from "luatos/log";

/** LuatOS's message-timer ids: 0x200000 (TASK_TIMER_ID_MAX + 1) .. 0x7FFFFF (MSG_TIMER_ID_MAX), wrapping. */
const TIMER_ID_FIRST = 0x200000;
const TIMER_ID_LAST = 0x7FFFFF;

interface SysTimer {
	id: number;
	fn: Function;
	args: unknown[];
	loop: boolean;
	handle: Timer;
}

interface Timers {
	byId: Map<number, SysTimer>;
	lastId: number;
}

// Made on first use (a Map made by a preloaded module body would be read-only in flash).
let timers: Timers | undefined;

function state(): Timers {
	return timers ??= { byId: new Map(), lastId: TIMER_ID_FIRST - 1 };
}

/** Lua's {...}: trailing nils do not count, so timerStart(f, 1, undefined) and timerStart(f, 1) are one timer. */
function luaArgs(args: unknown[]): unknown[] {
	let n = args.length;
	while (n > 0 && args[n - 1] === undefined) n--;
	return n === args.length ? args : args.slice(0, n);
}

/** sys.lua's cmpTable: same length and the same values (===, shallow). */
function sameArgs(a: unknown[], b: unknown[]): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

function checkFunction(name: string, fn: unknown): asserts fn is Function {
	if (typeof fn !== "function") throw new TypeError(`sys.${name}: fn must be a function`);
}

/**
 * An ms argument of sys.<name> as luaL_checkinteger takes it (xsnet/core/lua toInteger: an integer, or a string
 * of decimal digits).
 * @throws TypeError "sys.<name>: ms must be an integer" for anything else (1.5, NaN, Infinity, "1e3", true, ...).
 */
export function toMs(name: string, ms: unknown): number {
	const n = toInteger(ms);
	if (n === undefined) throw new TypeError(`sys.${name}: ms must be an integer`);
	return n;
}

function stop(t: SysTimer): void {
	timers!.byId.delete(t.id);
	Timer.clear(t.handle);
}

function fire(t: SysTimer): void {
	const byId = timers!.byId;
	if (byId.get(t.id) !== t) return;                // stopped meanwhile
	if (!t.loop) byId.delete(t.id);
	try {
		t.fn(...t.args);
	}
	catch (e) {
		logException("sys", "timer callback", e);
	}
}

function start(name: string, fn: unknown, msArg: unknown, loop: boolean, rest: unknown[]): number | undefined {
	checkFunction(name, fn);
	const ms = toMs(name, msArg);
	const args = luaArgs(rest);
	stopFirst(fn, args);
	if (ms < 1) {
		// rtos.timer_start refuses a timeout under 1 ms; sys.lua then logs and returns nil.
		log("E", "sys", `${name}: timeout ${ms} ms refused (at least 1 ms)`);
		return undefined;
	}
	const s = state();
	let id = s.lastId;
	do id = id >= TIMER_ID_LAST ? TIMER_ID_FIRST : id + 1;
	while (s.byId.has(id));
	s.lastId = id;
	const t = { id, fn, args, loop } as SysTimer;
	t.handle = loop ? Timer.repeat(() => fire(t), ms) : Timer.set(() => fire(t), ms);
	s.byId.set(id, t);
	return id;
}

function stopFirst(fn: unknown, args: unknown[]): void {
	if (!timers) return;
	for (const t of timers.byId.values()) {
		if (t.fn === fn && sameArgs(args, t.args)) {
			stop(t);
			return;
		}
	}
}

/**
 * Call `fn(...args)` once after `ms` milliseconds (>= 1). A running timer with the same `fn` and the same
 * arguments (compared with ===) is stopped first.
 * @returns the timer id (0x200000..0x7FFFFF), or undefined when `ms` < 1 (logged, as LuatOS returns nil).
 * @throws TypeError when `fn` is not a function or `ms` not a finite number.
 */
export function timerStart(fn: Function, ms: number, ...args: unknown[]): number | undefined {
	return start("timerStart", fn, ms, false, args);
}

/** As timerStart, but calls `fn(...args)` every `ms` milliseconds until stopped. */
export function timerLoopStart(fn: Function, ms: number, ...args: unknown[]): number | undefined {
	return start("timerLoopStart", fn, ms, true, args);
}

/**
 * Stop a timer: `timerStop(id)`, or `timerStop(fn, ...args)` for the first timer of `fn` with these arguments.
 * Unknown ids, undefined and null do nothing (as in LuatOS, where `sys.timerStop(nil)` is common).
 * @throws TypeError when `val` is neither a number, a function, undefined nor null.
 */
export function timerStop(val: number | Function | undefined | null, ...args: unknown[]): void {
	if (val === undefined || val === null) return;
	if (typeof val === "number") {
		const t = timers?.byId.get(val);
		if (t) stop(t);
	}
	else if (typeof val === "function") stopFirst(val, luaArgs(args));
	else throw new TypeError("sys.timerStop: val must be a timer id or a function");
}

/** Stop every timer of `fn`, whatever its arguments. @throws TypeError when `fn` is not a function. */
export function timerStopAll(fn: Function): void {
	checkFunction("timerStopAll", fn);
	if (!timers) return;
	for (const t of Array.from(timers.byId.values())) if (t.fn === fn) stop(t);
}

/**
 * Whether a timer runs: `timerIsActive(id)` or `timerIsActive(fn, ...args)` (same arguments, compared with ===).
 * @returns true, or undefined (LuatOS's nil) when no such timer runs.
 */
export function timerIsActive(val: number | Function, ...args: unknown[]): true | undefined {
	if (!timers) return undefined;
	if (typeof val === "number") return timers.byId.has(val) ? true : undefined;
	const wanted = luaArgs(args);
	for (const t of timers.byId.values()) if (t.fn === val && sameArgs(wanted, t.args)) return true;
	return undefined;
}
