// LuatOS's `sys` (script/corelib/sys.lua, with sysplus merged in as upstream did) on promises: a LuatOS task is
// an async function, `sys.wait(ms)` and the other blocking calls are awaited. Tasks, the message bus, task
// message queues (taskInitEx / sendMsg / waitMsg) and timers (sys-timers.ts).
import Timer from "timer";
import { Waiter, addSubscriber, removeSubscriber, enqueue, checkTopic } from "luatos/sys-bus";
import { timerStart, timerLoopStart, timerStop, timerStopAll, timerIsActive, toMs } from "luatos/sys-timers";
import { log, logException } from "luatos/log";

export { timerStart, timerLoopStart, timerStop, timerStopAll, timerIsActive };

/** A task's message: sendMsg's four parameters, `undefined` where not given. */
export type TaskMessage = [unknown, unknown, unknown, unknown];

interface TaskQueue {
	messages: TaskMessage[];
	cb: Function | undefined;
	/** The bus message sendMsg publishes, `[name]`: one per task (the bus never changes or hands out a message). */
	published: unknown[];
}

// Task queues by name, made on first use (a Map made by a preloaded module body would be read-only in flash).
let tasks: Map<unknown, TaskQueue> | undefined;

/** An optional ms argument: nil -> undefined, else sys-timers' toMs (an integer or a decimal string; TypeError). */
function optMs(fn: string, ms: unknown): number | undefined {
	return ms === undefined || ms === null ? undefined : toMs(fn, ms);
}

function ignore(): void {
}

function taskFailed(e: unknown): void {
	logException("sys", "task failed", e);
}

/**
 * Start a task: call `fn(...args)` at once (an async function runs up to its first await, as a LuatOS task runs
 * up to its first wait). An exception in the task is logged with its stack ("E/sys task failed: ...") and the
 * VM goes on (LuatOS logs it and restarts the VM 500 ms later).
 * @returns a promise that settles when the task ends; it never rejects (LuatOS returns the coroutine).
 * @throws TypeError when `fn` is not a function.
 */
export function taskInit(fn: Function, ...args: unknown[]): Promise<void> {
	if (typeof fn !== "function") throw new TypeError("sys.taskInit: fn must be a function");
	let result: unknown;
	try {
		result = fn(...args);
	}
	catch (e) {
		taskFailed(e);
		return Promise.resolve();
	}
	if (typeof (result as PromiseLike<unknown> | null)?.then === "function")
		return Promise.resolve(result).then(ignore, taskFailed);
	return Promise.resolve();
}

/**
 * Register the message queue of task `name` (replacing one of the same name), with `cbFun` receiving the
 * messages that waitMsg() takes but does not want, then start `fn(...args)` as taskInit() does.
 * @returns as taskInit(); undefined, with an error line, when `name` is undefined or null (as LuatOS).
 * @throws TypeError when `fn` is not a function, `name` neither a string nor a number, or `cbFun` given but
 *   not a function.
 */
export function taskInitEx(fn: Function, name: string, cbFun?: ((msg: any[]) => unknown) | null, ...args: unknown[]): Promise<void> | undefined {
	if (typeof fn !== "function") throw new TypeError("sys.taskInitEx: fn must be a function");
	if (name === undefined || name === null) {
		log("E", "sys", "taskInitEx: taskName is nil");
		return undefined;
	}
	if (typeof name !== "string" && typeof name !== "number") throw new TypeError("sys.taskInitEx: name must be a string");
	if (cbFun !== undefined && cbFun !== null && typeof cbFun !== "function")
		throw new TypeError("sys.taskInitEx: cbFun must be a function");
	(tasks ??= new Map()).set(name, { messages: [], cb: cbFun ?? undefined, published: [name] });
	return taskInit(fn, ...args);
}

/** Remove task `name`'s message queue (its pending messages are dropped). */
export function taskDel(name: string): void {
	tasks?.delete(name);
}

/**
 * Queue the message `[p1, p2, p3, p4]` for task `name` and publish `name` (which wakes its waitMsg).
 * @returns true, or false (message dropped) when no task of that name was registered with taskInitEx().
 */
export function sendMsg(name: string, p1?: unknown, p2?: unknown, p3?: unknown, p4?: unknown): boolean {
	const task = tasks?.get(name);
	if (!task) return false;
	task.messages.push([p1, p2, p3, p4]);
	enqueue(task.published);
	return true;
}

/** Empty task `name`'s message queue. @returns false when no such task is registered. */
export function cleanMsg(name: string): boolean {
	const task = tasks?.get(name);
	if (!task) return false;
	task.messages.length = 0;
	return true;
}

/** Take the first queued message of `task` that matches `target` (any when undefined/null); others go to cb. */
function takeMessage(task: TaskQueue, target: unknown): TaskMessage | undefined {
	const msg = task.messages.shift()!;
	if (target === undefined || target === null || msg[0] === target) return msg;
	if (task.cb) {
		try {
			task.cb(msg);
		}
		catch (e) {
			logException("sys", "waitMsg callback", e);
		}
	}
	return undefined;
}

/** What waitMsg's promise settles with: the message, undefined on timeout, false for an unknown task. */
export type WaitMsgResult = TaskMessage | undefined | false;

/** A task blocked in waitMsg: subscribed to its name, woken once per sendMsg (as sys.lua's loop takes one). */
class MessageWaiter implements Waiter {
	declare name: unknown;
	declare target: unknown;
	declare resolve: ((value: unknown) => void) | undefined;
	declare timer: Timer | undefined;
	/** waitMsgAs's mapping of the result (absent: the result itself). */
	declare result: ((msg: WaitMsgResult) => unknown) | undefined;

	wake(): boolean {
		if (!this.resolve) return false;
		const task = tasks?.get(this.name);
		if (!task) this.finish(undefined);          // taskDel() while waiting: ends as a timeout would
		else if (task.messages.length) {
			const msg = takeMessage(task, this.target);
			if (!msg) return false;
			this.finish(msg);
		}
		else return false;
		return true;
	}

	finish(msg: TaskMessage | undefined): void {
		const resolve = this.resolve!;
		this.resolve = undefined;
		if (this.timer) Timer.clear(this.timer);
		this.timer = undefined;
		removeSubscriber(this.name, this);
		const result = this.result;
		resolve(result ? result(msg) : msg);
	}
}

/**
 * Wait for a message of task `name` (registered with taskInitEx) whose first parameter is `target` (any message
 * when `target` is undefined or null). Queued messages are scanned first; each non-target message taken is
 * handed to the task's cbFun (dropped without one). `ms` undefined, null or < 1: no timeout.
 * @returns the message `[p1, p2, p3, p4]`; undefined on timeout; false at once when `name` is not registered.
 * @throws TypeError when `ms` is given and not an integer (a number or a decimal string).
 */
export function waitMsg(name: string, target?: unknown, ms?: number | null): Promise<WaitMsgResult> {
	return waitMsgAs(name, target, ms, undefined) as Promise<WaitMsgResult>;
}

/**
 * waitMsg(name, target, ms) whose promise settles with `result(what waitMsg gives)` (libnet: its own result
 * without a second promise; a promise costs ~8,000 instructions in XS). Undefined `result`: waitMsg's own.
 * @throws as waitMsg.
 */
export function waitMsgAs<T>(name: string, target: unknown, ms: number | null | undefined,
	result: ((msg: WaitMsgResult) => T) | undefined): Promise<T> {
	if (ms !== undefined && ms !== null) ms = toMs("waitMsg", ms);      // optMs, inline: once per libnet wait
	const task = tasks?.get(name);
	if (!task) {
		log("E", "sys", "waitMsg: only a task started with sys.taskInitEx can wait for messages");
		return Promise.resolve(result ? result(false) : false as T);
	}
	while (task.messages.length) {
		const msg = takeMessage(task, target);
		if (msg) return Promise.resolve(result ? result(msg) : msg as T);
	}
	return new Promise((resolve) => {
		const w = new MessageWaiter();
		w.name = name;
		w.target = target;
		w.resolve = resolve as (value: unknown) => void;
		if (result) w.result = result;
		w.timer = ms && ms >= 1 ? Timer.set(() => w.finish(undefined), ms) : undefined;
		addSubscriber(name, w);
	});
}

/** A task blocked in waitUntil / waitUntilExt. */
class TopicWaiter implements Waiter {
	declare topic: unknown;
	declare resolve: ((message: unknown[] | undefined) => void) | undefined;
	declare timer: Timer | undefined;

	wake(message: unknown[]): boolean {
		if (!this.resolve) return false;
		this.finish(message);
		return true;
	}

	finish(message: unknown[] | undefined): void {
		const resolve = this.resolve!;
		this.resolve = undefined;
		if (this.timer) Timer.clear(this.timer);
		this.timer = undefined;
		removeSubscriber(this.topic, this);
		resolve(message);
	}
}

/** The published message [topic, ...args] for `topic`, or undefined after `ms` (< 1: at once, as LuatOS). */
function waitTopic(fn: string, topic: unknown, msArg: unknown): Promise<unknown[] | undefined> {
	checkTopic(fn, topic);
	const ms = optMs(fn, msArg);
	if (ms !== undefined && ms !== null && ms < 1) return Promise.resolve(undefined);
	return new Promise((resolve) => {
		const w = new TopicWaiter();
		w.topic = topic;
		w.resolve = resolve;
		w.timer = ms ? Timer.set(() => w.finish(undefined), ms) : undefined;
		addSubscriber(topic, w);
	});
}

/**
 * Wait until `topic` is published, at most `ms` milliseconds (undefined or null: no limit; < 1: returns at once,
 * as LuatOS's sys.wait(0) does).
 * @returns `[true, ...args]` with the published arguments, or `[false]` on timeout.
 * @throws TypeError when `topic` is undefined/null or `ms` not a finite number.
 */
export function waitUntil(topic: unknown, ms?: number | null): Promise<[true, ...unknown[]] | [false]> {
	return waitTopic("waitUntil", topic, ms).then(untilResult);
}

function untilResult(message: unknown[] | undefined): [true, ...unknown[]] | [false] {
	if (!message) return [false];
	const result = message.slice() as [true, ...unknown[]];
	result[0] = true;
	return result;
}

/** As waitUntil, but @returns `[topic, ...args]`, or false on timeout. */
export function waitUntilExt(topic: unknown, ms?: number | null): Promise<unknown[] | false> {
	return waitTopic("waitUntilExt", topic, ms).then(untilExtResult);
}

function untilExtResult(message: unknown[] | undefined): unknown[] | false {
	return message ? message.slice() : false;
}

/**
 * Wait `ms` milliseconds (< 1: resolves at once, as LuatOS's rtos timer refuses it).
 * @throws TypeError when `ms` is not an integer (a number or a decimal string, as luaL_checkinteger).
 */
export function wait(ms: number): Promise<undefined> {
	const t = toMs("wait", ms);
	if (t < 1) return Promise.resolve(undefined);
	return new Promise((resolve) => {
		Timer.set(() => resolve(undefined), t);
	});
}

/**
 * Publish `topic` with `args`: queued, and dispatched in order on a later turn to the subscribers of that
 * moment (functions get `...args`; tasks in waitUntil resume). No subscriber: dropped.
 * @throws TypeError when `topic` is undefined or null.
 */
export function publish(topic: unknown, ...args: unknown[]): void {
	checkTopic("publish", topic);
	args.unshift(topic);
	enqueue(args);
}

function checkSubscriber(fn: string, callback: unknown): void {
	if (typeof callback !== "function") throw new TypeError(`sys.${fn}: fn must be a function`);
}

/**
 * Call `fn(...args)` for every later publication of `topic` (or of each topic of an array). A (topic, fn) pair
 * subscribed twice counts once; the order of calls among subscribers is unspecified (LuatOS) — here, the
 * order of subscription.
 * @throws TypeError when `topic` is undefined/null or `fn` not a function.
 */
export function subscribe(topic: unknown, fn: (...args: any[]) => unknown): void {
	checkSubscriber("subscribe", fn);
	if (Array.isArray(topic)) {
		for (const t of topic) subscribe(t, fn);
		return;
	}
	checkTopic("subscribe", topic);
	addSubscriber(topic, fn);
}

/** Undo subscribe(topic, fn) (topic may be an array); an unknown pair is ignored. @throws as subscribe(). */
export function unsubscribe(topic: unknown, fn: Function): void {
	checkSubscriber("unsubscribe", fn);
	if (Array.isArray(topic)) {
		for (const t of topic) unsubscribe(t, fn);
		return;
	}
	checkTopic("unsubscribe", topic);
	removeSubscriber(topic, fn);
}

/** LuatOS's main loop; the event loop already runs, so this does nothing (ported programs end with it). */
export function run(): void {
}

/** The `sys` module object (`sysplus` is the same object). */
const sys = Object.freeze({
	taskInit, taskInitEx, taskDel, wait, waitUntil, waitUntilExt, waitMsg, sendMsg, cleanMsg, publish,
	subscribe, unsubscribe, timerStart, timerLoopStart, timerStop, timerStopAll, timerIsActive, run,
});
export default sys;
