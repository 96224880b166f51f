// luatos/sys scenarios for tests/luatos-sys.test.js. args[0] = scenario; each prints lines the test compares.
import sys, { taskInit, publish, subscribe, waitUntil, sendMsg, timerStart } from "luatos/sys";
import sysplus, * as plus from "luatos/sysplus";
import args from "xsnet-sim/args";

const log = (line: string) => trace(line + "\n");
const show = (v: unknown) => JSON.stringify(v, (_k, x) => (x === undefined ? "undef" : x));
const attempt = (label: string, fn: () => unknown) => {
	try {
		log(`${label} ok ${show(fn())}`);
	}
	catch (e) {
		log(`${label} ${(e as Error).name}: ${(e as Error).message}`);
	}
};

switch (args[0]) {
	// taskInit runs the task at once up to its first await, with its arguments; wait() timing; wait(<1) at once.
	case "tasks": {
		log("before");
		const p = sys.taskInit(async (a: string, b: number) => {
			log(`task start ${a} ${b}`);
			const t0 = Date.now();
			const r = await sys.wait(120);
			const dt = Date.now() - t0;
			log(`waited ${show(r)} ${dt >= 115 && dt < 400}`);
			const t1 = Date.now();
			await sys.wait(0);
			await sys.wait(-5);
			log(`wait0 ${Date.now() - t1 < 50}`);
			return 42;
		}, "x", 7);
		log(`after ${p instanceof Promise}`);
		p.then((v) => log(`task ended ${show(v)}`));
		const q = sys.taskInit(function (this: unknown, x: number) {
			log(`plain function ${x}`);
		}, 5);
		q.then(() => log("plain ended"));
		log(`run ${show(sys.run())}`);
		break;
	}

	// publish is queued: dispatched after the call returns, in order, to a snapshot of the subscribers.
	case "publish": {
		const calls: string[] = [];
		const a = (...x: unknown[]) => calls.push(`a:${show(x)}`);
		const b = (...x: unknown[]) => {
			calls.push(`b:${show(x)}`);
			sys.unsubscribe("T", c);                     // c still gets this message (snapshot)
			sys.subscribe("T", d);                       // d does not
		};
		const c = (...x: unknown[]) => calls.push(`c:${show(x)}`);
		const d = (...x: unknown[]) => calls.push(`d:${show(x)}`);
		sys.subscribe("T", a);
		sys.subscribe("T", a);                          // a set: counts once
		sys.subscribe("T", b);
		sys.subscribe("T", c);
		sys.subscribe(["U", "V"], a);                   // a list of topics
		sys.subscribe(7, a);                            // any non-nil topic
		sys.publish("T", 1, "two", undefined, 4);
		sys.publish("U");
		sys.publish("nobody", 1);
		sys.publish("V", true);
		sys.publish(7, "seven");
		log(`sync ${calls.length}`);
		sys.unsubscribe("unknown", a);                 // no-op
		sys.unsubscribe("U", d);                       // unknown pair: no-op
		setTimeout(() => {
			log(calls.join(" | "));
			calls.length = 0;
			sys.unsubscribe(["U", "V"], a);
			sys.unsubscribe(7, a);
			sys.publish("T", "again");
			sys.publish("U", "gone");
			sys.publish("V", "gone");
			setTimeout(() => {
				log(calls.join(" | "));
				calls.length = 0;
				// a subscriber's own publication goes after the current batch
				const e = (n: number) => {
					calls.push(`e${n}`);
					if (n < 3) sys.publish("E", n + 1);
				};
				const f = (n: string) => calls.push(`f${n}`);
				sys.subscribe("E", e);
				sys.subscribe("F", f);
				sys.publish("E", 1);
				sys.publish("F", "x");
				setTimeout(() => {
					log(calls.join(" "));
					for (const fn of [a, b, c, d]) sys.unsubscribe("T", fn);
					sys.unsubscribe("E", e);
					sys.unsubscribe("F", f);
				}, 50);
			}, 50);
		}, 50);
		break;
	}

	// waitUntil: a task looping on it sees back-to-back publishes; timeouts; ms < 1; waitUntilExt.
	case "waitUntil": {
		sys.taskInit(async () => {
			for (let i = 0; i < 4; i++) {
				const r = await sys.waitUntil("TICK");
				log(`got ${show(r)}`);
			}
			const t0 = Date.now();
			const r = await sys.waitUntil("NEVER", 150);
			const dt = Date.now() - t0;
			log(`timeout ${show(r)} ${dt >= 145 && dt < 450}`);
			const t1 = Date.now();
			log(`zero ${show(await sys.waitUntil("NEVER", 0))} ${Date.now() - t1 < 50}`);
			const ext = sys.waitUntilExt("EXT", 1000);
			sys.publish("EXT", "a", 2);
			log(`ext ${show(await ext)}`);
			log(`ext-timeout ${show(await sys.waitUntilExt("NEVER", 20))}`);
			// two tasks waiting on one topic both resume; a message published before anyone waits is dropped
			sys.publish("BOTH", "early");
			await sys.wait(20);
			const w1 = sys.waitUntil("BOTH", 500), w2 = sys.waitUntil("BOTH", 500);
			sys.publish("BOTH", "x");
			log(`both ${show(await w1)} ${show(await w2)}`);
			// a publish arriving before the timeout: the timer is stopped (the process exits at once afterwards)
			setTimeout(() => sys.publish("LATE", 9), 30);
			log(`late ${show(await sys.waitUntil("LATE", 5000))}`);
			// several promise hops between the resume and the next waitUntil: still no message is missed
			const next = async () => {
				const r = await sys.waitUntil("HOP");
				await null;
				return r;
			};
			setTimeout(() => { sys.publish("HOP", 1); sys.publish("HOP", 2); sys.publish("HOP", 3); }, 10);
			const hops: unknown[] = [];
			for (let i = 0; i < 3; i++) hops.push((await next())[1]);
			log(`hops ${show(hops)}`);
		});
		sys.publish("TICK", 1);
		sys.publish("TICK", 2);
		sys.publish("TICK", 3, "x");
		setTimeout(() => sys.publish("TICK", 4), 30);
		break;
	}

	// taskInitEx / sendMsg / waitMsg / cleanMsg / taskDel.
	case "msg": {
		const others: unknown[] = [];
		const cb = (m: unknown) => others.push(m);
		log(`unknown-send ${sys.sendMsg("nobody", 1)}`);
		const started = sys.taskInitEx(async (arg: string) => {
			log(`task ${arg}`);
			// queued before the wait: scanned first, non-target messages go to cb in order
			sys.sendMsg("T1", "A", 1);
			sys.sendMsg("T1", "B", 2, 3, 4);
			sys.sendMsg("T1", "C");
			log(`scan ${show(await sys.waitMsg("T1", "B"))} others ${show(others)}`);
			log(`any ${show(await sys.waitMsg("T1"))}`);
			// blocking: messages from later turns; a non-target one goes to cb, the wait goes on
			setTimeout(() => { sys.sendMsg("T1", "X", "x"); sys.sendMsg("T1", "Y", "y"); }, 20);
			const t0 = Date.now();
			log(`blocking ${show(await sys.waitMsg("T1", "Y", 2000))} ${Date.now() - t0 < 1000} others ${show(others)}`);
			const t1 = Date.now();
			const r = await sys.waitMsg("T1", "Z", 120);
			const dt = Date.now() - t1;
			log(`timeout ${show(r)} ${dt >= 115 && dt < 450}`);
			// ms 0 = no timeout
			setTimeout(() => sys.sendMsg("T1", "Z", 0), 150);
			log(`no-timeout ${show(await sys.waitMsg("T1", "Z", 0))}`);
			// numbers as targets (socket events)
			setTimeout(() => { sys.sendMsg("T1", 0x2000014, 0); sys.sendMsg("T1", 0x2000011, -1); }, 10);
			log(`number ${show(await sys.waitMsg("T1", 0x2000011, 500))} others ${show(others.slice(-1))}`);
			// cleanMsg empties the queue
			sys.sendMsg("T1", "gone");
			log(`clean ${sys.cleanMsg("T1")} ${sys.cleanMsg("nobody")} ${show(await sys.waitMsg("T1", undefined, 30))}`);
			log(`unknown-wait ${show(await sys.waitMsg("nobody", "A", 100))}`);
			// taskDel: sendMsg false, waitMsg false
			sys.taskDel("T1");
			log(`deleted ${sys.sendMsg("T1", "A")} ${show(await sys.waitMsg("T1"))}`);
		}, "T1", cb, "arg");
		log(`started ${started instanceof Promise}`);
		// a task without cbFun: non-target messages are dropped; registering again replaces the queue
		sys.taskInitEx(async () => {
			sys.sendMsg("T2", "drop");
			sys.sendMsg("T2", "keep", 1);
			log(`t2 ${show(await sys.waitMsg("T2", "keep"))}`);
			sys.sendMsg("T2", "old");
			sys.taskInitEx(async () => {
				log(`t2b ${show(await sys.waitMsg("T2", undefined, 20))}`);
			}, "T2");
		}, "T2");
		log(`nil-name ${show(sys.taskInitEx(async () => log("never"), undefined as unknown as string))}`);
		break;
	}

	// Timers: ids, the duplicate-timer rule, stop by id / by fn and args, stopAll, isActive, loop timers.
	case "timers": {
		const fired: string[] = [];
		const f = (...x: unknown[]) => fired.push(`f${show(x)}`);
		const g = (x: string) => fired.push(`g${x}`);
		const id1 = sys.timerStart(f, 50, "a")!;
		log(`id ${id1 >= 0x200000 && id1 <= 0x7fffff}`);
		const id2 = sys.timerStart(f, 60, "a");         // same fn and args: id1 stopped
		log(`dup ${id2 !== id1} ${show(sys.timerIsActive(id1))} ${sys.timerIsActive(id2!)}`);
		sys.timerStart(f, 70, "b");                     // other args: both run
		sys.timerStart(f, 80);                           // no args: a third timer
		sys.timerStart(f, 90, undefined);                // trailing undefined = no args: replaces the previous
		log(`active ${sys.timerIsActive(f, "a")} ${sys.timerIsActive(f, "b")} ${sys.timerIsActive(f)} ${show(sys.timerIsActive(f, "c"))}`);
		const id3 = sys.timerStart(g, 40, "1")!;
		sys.timerStop(id3);
		sys.timerStart(g, 40, "2");
		sys.timerStop(g, "2");
		sys.timerStart(g, 40, "3");
		sys.timerStart(g, 40, "4");
		sys.timerStopAll(g);
		sys.timerStop(undefined);
		sys.timerStop(null);
		sys.timerStop(12345);
		log(`g-active ${show(sys.timerIsActive(g, "3"))} ${show(sys.timerIsActive(id3))}`);
		log(`zero ${show(sys.timerStart(g, 0, "z"))} ${show(sys.timerIsActive(g, "z"))}`);
		let n = 0;
		const loopId = sys.timerLoopStart(() => {
			n++;
			if (n === 3) {
				sys.timerStop(loopId!);
				log(`loop ${n} ${show(sys.timerIsActive(loopId!))}`);
			}
		}, 30)!;
		// one-shot ids are released when they fire
		setTimeout(() => {
			log(`fired ${fired.join(" ")}`);
			log(`after ${show(sys.timerIsActive(id2!))} ${show(sys.timerIsActive(f, "b"))}`);
			// a timer callback may restart itself (the duplicate rule finds nothing: it was released first)
			let k = 0;
			const again = () => {
				if (++k < 3) sys.timerStart(again, 10);
				else log(`restarted ${k}`);
			};
			sys.timerStart(again, 10);
		}, 250);
		break;
	}

	// An exception in a task, a subscriber or a timer is reported with its stack; the VM goes on.
	case "errors": {
		sys.taskInit(async () => {
			await sys.wait(10);
			throw new Error("async boom");
		});
		sys.taskInit(() => {
			throw new TypeError("sync boom");
		});
		sys.subscribe("S", () => { throw new Error("subscriber boom"); });
		sys.subscribe("S", (x: number) => log(`second subscriber ${x}`));
		sys.publish("S", 5);
		// a topic whose toString throws (any value is a topic in LuatOS): its subscriber's exception is still logged
		const evil = { toString() { throw new Error("evil toString"); } };
		sys.subscribe(evil, () => { throw new Error("evil topic boom"); });
		sys.publish(evil);
		sys.timerStart(() => { throw new Error("timer boom"); }, 20);
		sys.taskInitEx(async () => {
			sys.sendMsg("EX", "other");
			log(`cb-error ${show(await sys.waitMsg("EX", "mine", 10))}`);
		}, "EX", () => { throw new Error("cb boom"); });
		setTimeout(() => log("still running"), 80);
		break;
	}

	// Bad arguments: TypeError naming the argument.
	case "bad": {
		attempt("taskInit", () => sys.taskInit(42 as any));
		attempt("taskInitEx-fn", () => sys.taskInitEx("x" as any, "n"));
		attempt("taskInitEx-name", () => sys.taskInitEx(async () => {}, {} as any));
		attempt("taskInitEx-cb", () => sys.taskInitEx(async () => {}, "n", 5 as any));
		attempt("wait", () => sys.wait("1e2" as any));
		attempt("wait-nan", () => sys.wait(NaN));
		attempt("waitUntil-topic", () => sys.waitUntil(undefined));
		attempt("waitUntil-ms", () => sys.waitUntil("t", 5.5));
		attempt("waitMsg-ms", () => sys.waitMsg("n", "t", {} as any));
		attempt("publish", () => sys.publish(null));
		attempt("subscribe-fn", () => sys.subscribe("t", "f" as any));
		attempt("subscribe-topic", () => sys.subscribe(undefined, () => {}));
		attempt("unsubscribe-fn", () => sys.unsubscribe("t", 1 as any));
		attempt("timerStart-fn", () => sys.timerStart("f" as any, 10));
		attempt("timerStart-ms", () => sys.timerStart(() => {}, "0x10" as any));
		attempt("timerLoopStart-ms", () => sys.timerLoopStart(() => {}, Infinity));
		attempt("timerStop", () => sys.timerStop("id" as any));
		attempt("timerStopAll", () => sys.timerStopAll(undefined as any));
		sys.taskDel("n");
		break;
	}

	// sysplus is the same object; named exports are the same functions.
	case "plus": {
		log(`same ${sysplus === sys} ${plus.default === sys} ${Object.isFrozen(sys)}`);
		log(`named ${taskInit === sys.taskInit && publish === sys.publish && subscribe === sys.subscribe &&
			waitUntil === sys.waitUntil && sendMsg === sys.sendMsg && timerStart === sys.timerStart &&
			plus.waitMsg === sys.waitMsg && plus.timerStopAll === sys.timerStopAll}`);
		log(`keys ${Object.keys(sys).sort().join(",")}`);
		break;
	}

	default:
		throw new Error(`unknown scenario ${args[0]}`);
}
