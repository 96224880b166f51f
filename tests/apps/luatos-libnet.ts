// Task mode and libnet for tests/luatos-libnet.test.js. args[0] = scenario.
import socket from "luatos/socket";
import libnet from "luatos/libnet";
import sys from "luatos/sys";
import zbuff from "luatos/zbuff";
import args from "xsnet-sim/args";
import { log, name, show } from "./luatos-probe.js";
import { setSendQueueLimit } from "xsnet/core/limits";

const port = Number(args[1]);

switch (args[0]) {
	// A task-style client: waitLink, connect, tx, wait (timeout, wake-up, data), rx, the peer closing, close.
	// The peer answers "pong" to "ping" and "see you" and its FIN to "bye".
	case "client": {
		const TASK = "client_task";
		sys.taskInitEx(async () => {
			const buf = zbuff.create(64)!;
			const netc = socket.create(undefined, TASK)!;
			log(`waitLink ${await libnet.waitLink(TASK, 0, netc)}`);
			log(`config ${socket.config(netc, undefined, undefined, undefined, 300, 10, 3)}`);
			log(`connect ${await libnet.connect(TASK, 15000, netc, "127.0.0.1", port)} state=${show(socket.state(netc))}`);
			log(`wait-timeout ${show(await libnet.wait(TASK, 100, netc))}`);
			sys.timerStart(() => sys.sendMsg(TASK, socket.EVENT, 0), 50);
			log(`wait-wakeup ${show(await libnet.wait(TASK, 5000, netc))}`);
			log(`tx ${show(await libnet.tx(TASK, 5000, netc, "ping"))}`);
			log(`wait-data ${show(await libnet.wait(TASK, 5000, netc))}`);
			log(`rx ${show(socket.rx(netc, buf))} ${buf.query()}`);
			buf.del();
			log(`tx-bye ${show(await libnet.tx(TASK, 5000, netc, "bye"))}`);
			// gather until the end: rx appends at used, so buf holds every byte the peer sent after "bye"
			for (;;) {
				const [ok, got] = await libnet.wait(TASK, 5000, netc);
				const r = socket.rx(netc, buf);
				log(`wait ${ok} ${got} rx ${show(r)}`);
				if (!ok) break;
			}
			log(`received ${buf.query()}`);
			log(`tx-closed ${show(await libnet.tx(TASK, 5000, netc, "x"))}`);
			await libnet.close(TASK, 5000, netc);
			log(`closed ${show(socket.state(netc))}`);
			socket.release(netc);
		}, TASK, (msg: unknown[]) => log(`cbFun ${name(msg[0])} ${msg[1]}`));
		break;
	}

	// Failures: refused, a timeout while the name is looked up (args[2] = a DNS server that never answers),
	// calls on a ctrl that is not online, an unknown task name, an invalid ctrl.
	case "failures": {
		const TASK = "failing_task";
		sys.taskInitEx(async () => {
			const netc = socket.create(undefined, TASK)!;
			log(`tx-offline ${show(await libnet.tx(TASK, 100, netc, "x"))}`);
			log(`wait-offline ${show(await libnet.wait(TASK, 100, netc))}`);
			log(`connect-refused ${await libnet.connect(TASK, 5000, netc, "127.0.0.1", port)} state=${show(socket.state(netc))}`);
			socket.close(netc);
			const t0 = Date.now();
			log(`connect-timeout ${await libnet.connect(TASK, 300, netc, "silent.test", 80)} state=${show(socket.state(netc))} ${Date.now() - t0 >= 250}`);
			socket.close(netc);
			socket.config(netc, 0, true);
			log(`listen-udp ${await libnet.listen(TASK, 100, netc)}`);
			log(`close-invalid ${show(await libnet.close(TASK, 100, undefined))}`);
			log(`connect-invalid ${await libnet.connect(TASK, 100, undefined, "127.0.0.1", port)}`);
			socket.release(netc);
			const other = socket.create(undefined, "no_such_task")!;
			log(`connect-unknown-task ${await libnet.connect("no_such_task", 100, other, "127.0.0.1", port)}`);
			socket.release(other);
			// bad arguments reject the promise, as an async function's throw does; nothing is thrown at the call
			const bad = "not a ctrl" as any, fresh = socket.create(undefined, TASK)!;
			const calls: [string, () => Promise<unknown>][] = [
				["waitLink", () => libnet.waitLink(TASK, 0, bad)], ["connect", () => libnet.connect(TASK, 0, bad, "127.0.0.1", port)],
				["listen", () => libnet.listen(TASK, 0, bad)], ["tx", () => libnet.tx(TASK, 0, bad, "x")],
				["tx-data", () => libnet.tx(TASK, 0, fresh, {} as any)], ["wait", () => libnet.wait(TASK, 0, bad)],
				["close", () => libnet.close(TASK, 0, bad)],
			];
			for (const [fn, call] of calls) {
				let outcome: string;
				try {
					outcome = await call().then(() => "resolved", (e) => `rejected ${e?.name}`);
				}
				catch (e) {
					outcome = `threw ${(e as Error)?.name}`;
				}
				log(`bad-${fn} ${outcome}`);
			}
		}, TASK, (msg: unknown[]) => log(`cbFun ${name(msg[0])} ${msg[1]}`));
		break;
	}

	// While libnet.tx waits for TX_OK, an EVENT(0) for new data goes to cbFun; socket.wait still reports the data.
	case "tx-during-data": {
		setSendQueueLimit(Infinity);   // queues MiBs in one turn: past the default send queue bound (1 MiB)
		const TASK = "txdata_task";
		sys.taskInitEx(async () => {
			const buf = zbuff.create(64)!;
			const netc = socket.create(undefined, TASK)!;
			await libnet.connect(TASK, 5000, netc, "127.0.0.1", port);
			const big = new Uint8Array(8 * 1024 * 1024);  // the peer reads nothing for a while: TX_OK waits
			log(`tx-big ${show(await libnet.tx(TASK, 10000, netc, big))}`);
			log(`wait ${show(socket.wait(netc))}`);
			log(`rx ${show(socket.rx(netc, buf))} ${buf.query()}`);
			await libnet.close(TASK, 5000, netc);
			socket.release(netc);
		}, TASK, (msg: unknown[]) => log(`cbFun ${name(msg[0])} ${msg[1]}`));
		break;
	}
}
