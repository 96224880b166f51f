// Deferred work: callbacks that must not run inside the caller's own call (the "sent" events of send(),
// events of IP literals that "resolve" at once, ...). Like NodeMCU's task_post(): jobs run in FIFO order on a
// later turn of the event loop, after the current callback has returned, one Timer for a whole batch.
// Every job runs protected: an exception in one application callback is reported and never stops the others.
import Timer from "timer";

type Job = (a: any, b: any) => void;

// Module state is made at run time (an array made by a preloaded body would sit in flash, aliased in RAM).
// The first job of a batch waits in three variables, the rest in an array: most batches hold one job (the "sent"
// of an echo), and an array push costs about as much as the job's own work.
let firstFn: Job | undefined, firstA: unknown, firstB: unknown;
let queue: any[] | undefined;
let spare: any[] | undefined;       // the last batch's array, emptied: the next batch reuses it
let timer: Timer | undefined;

/** Run `fn(a, b)` on a later turn of the event loop, after every job posted before it. */
export function post(fn: Job, a?: unknown, b?: unknown): void {
	if (timer === undefined) {
		firstFn = fn;
		firstA = a;
		firstB = b;
		timer = Timer.set(run, 0);
		return;
	}
	let jobs = queue;
	if (!jobs) {
		jobs = queue = spare ?? [];
		spare = undefined;
	}
	jobs.push(fn, a, b);
}

function run(): void {
	timer = undefined;
	const fn = firstFn!, a = firstA, b = firstB;
	firstFn = firstA = firstB = undefined;
	const jobs = queue;
	queue = undefined;
	try {
		fn(a, b);
	}
	catch (e) {
		reportError(e);
	}
	if (!jobs) return;
	for (let i = 0; i < jobs.length; i += 3) {
		try {
			(jobs[i] as Job)(jobs[i + 1], jobs[i + 2]);
		}
		catch (e) {
			reportError(e);
		}
	}
	jobs.length = 0;
	spare = jobs;
}

/**
 * Report an exception thrown by an application callback and carry on (ESP32 NodeMCU runs callbacks protected
 * the same way). Printed with trace() as one line "xsnet: uncaught exception: <error>".
 */
export function reportError(e: unknown): void {
	let text: string;
	try {
		text = String(e);
	}
	catch {
		text = "(unprintable)";
	}
	trace("xsnet: uncaught exception: " + text + "\n");
}

/** Call an application callback protected: returns normally even if it throws (the error is reported). */
export function callSafe(fn: Function, self: unknown, a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown): void {
	try {
		fn.call(self, a, b, c, d, e);
	}
	catch (e) {
		reportError(e);
	}
}

