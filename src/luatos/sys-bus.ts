// LuatOS's message bus (script/corelib/sys.lua: publish, subscribe, dispatch): topics with a set of
// subscribers, a queue of published messages dispatched in order on later turns of the event loop.
// A topic's subscribers are an array in subscription order that is never changed once stored: a subscription
// stores a new one, so dispatch() walks the array it got as its snapshot (sys.lua copies the set before calling)
// without a copy per message, and with an index (Array.from and for-of run XS's iterator protocol: ~6,000
// instructions for one subscriber).
// Subscribers are application functions or internal waiters (the promise side of waitUntil / waitMsg, which
// stand in for LuatOS's coroutines).
import Timer from "timer";
import { logException } from "luatos/log";

/** A waiting task: woken with the published message [topic, ...args]; returns true when the task resumes. */
export interface Waiter {
	wake(message: unknown[]): boolean;
}

type Subscriber = Function | Waiter;

interface Bus {
	topics: Map<unknown, readonly Subscriber[]>;
	queue: unknown[][];
	timer: Timer | undefined;
	dispatching: boolean;
}

// Made on first use: a Map made by a preloaded module body would be read-only in flash.
let bus: Bus | undefined;

function state(): Bus {
	return bus ??= { topics: new Map(), queue: [], timer: undefined, dispatching: false };
}

/** @throws TypeError when `topic` is undefined or null (Lua cannot index a table with nil). */
export function checkTopic(fn: string, topic: unknown): void {
	if (topic === undefined || topic === null) throw new TypeError(`sys.${fn}: topic must not be undefined or null`);
}

/** Add `subscriber` to `topic`'s subscribers, last (a second identical subscription counts once). */
export function addSubscriber(topic: unknown, subscriber: Subscriber): void {
	const topics = state().topics;
	const list = topics.get(topic);
	if (!list) {
		topics.set(topic, [subscriber]);
		return;
	}
	if (list.indexOf(subscriber) >= 0) return;
	const next = list.slice();
	next.push(subscriber);
	topics.set(topic, next);
}

/** Remove `subscriber` from `topic`'s subscribers; unknown pairs are ignored. */
export function removeSubscriber(topic: unknown, subscriber: Subscriber): void {
	const topics = bus?.topics;
	const list = topics?.get(topic);
	if (!list) return;
	const i = list.indexOf(subscriber);
	if (i < 0) return;
	if (list.length === 1) {
		topics!.delete(topic);
		return;
	}
	const next = list.slice();
	next.splice(i, 1);
	topics!.set(topic, next);
}

/**
 * Queue `message` ([topic, ...args]); it is dispatched on a later turn, after every message queued before it.
 * The bus never changes a message nor hands it on as is (function subscribers get its arguments, waiters copy it),
 * so one array may be queued many times (sendMsg's `[name]`).
 */
export function enqueue(message: unknown[]): void {
	const b = bus ?? state();          // (no call once the bus exists: a sendMsg per socket event)
	b.queue.push(message);
	if (!b.timer && !b.dispatching) b.timer = Timer.set(dispatch, 0);
}

/**
 * Dispatch the messages queued so far, in order. Each message goes to a snapshot of its topic's subscribers
 * (as sys.lua copies the set before calling): functions get the arguments without the topic, waiters the whole
 * message. When a message resumed a task, the rest waits for the next turn: the task's continuation (promise
 * jobs, run before any timer) can then subscribe again before the next message, as a Lua task resumed inside
 * dispatch() does. Messages published during dispatch go after the batch (the next turn), so a subscriber that
 * publishes its own topic cannot hold the event loop.
 */
function dispatch(): void {
	const b = bus!;
	b.timer = undefined;
	const batch = b.queue;
	b.queue = [];
	b.dispatching = true;
	try {
		for (let i = 0; i < batch.length; i++) {
			const message = batch[i];
			const list = b.topics.get(message[0]);     // (the snapshot: never changed once stored)
			if (!list) continue;
			let resumed = false;
			for (let j = 0; j < list.length; j++) {
				const subscriber = list[j];
				if (typeof subscriber === "function") {
					try {
						subscriber(...message.slice(1));
					}
					catch (e) {
						logException("sys", `subscriber of ${topicName(message[0])}`, e);
					}
				}
				else if (subscriber.wake(message)) resumed = true;
			}
			if (resumed && i + 1 < batch.length) {
				b.queue = batch.slice(i + 1).concat(b.queue);
				break;
			}
		}
	}
	finally {
		b.dispatching = false;
	}
	if (b.queue.length) b.timer = Timer.set(dispatch, 0);
}

/** A topic for a log line: String(topic), or its type when that throws (a hostile toString must not end dispatch). */
function topicName(topic: unknown): string {
	try {
		return String(topic);
	}
	catch {
		return `(${typeof topic})`;
	}
}
