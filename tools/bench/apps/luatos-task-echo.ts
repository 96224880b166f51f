// Benchmark app: `count` round trips of 32 bytes with an echo server through luatos/socket in task style (events to
// a task, libnet.wait, rx into a zbuff): `node tools/bench/count.js echo luatos-task` counts it (not in npm run bench).
import socket from "luatos/socket";
import sys from "luatos/sys";
import libnet from "luatos/libnet";
import zbuff from "luatos/zbuff";
import args from "xsnet-sim/args";

const [port, count] = args.map(Number);
const TASK = "echo";
const message = new Uint8Array(32).fill(0x62);
const buf = zbuff.create(64)!;
sys.taskInitEx(async () => {
	const ctrl = socket.create(undefined, TASK)!;
	if (!await libnet.connect(TASK, 0, ctrl, "127.0.0.1", port)) throw new Error("connect failed");
	let done = 0;
	socket.tx(ctrl, message);
	while (done < count) {
		const [ok] = await libnet.wait(TASK, 0, ctrl);
		if (!ok) throw new Error("wait failed");
		socket.rx(ctrl, buf);
		while (buf.used() >= 32) {
			buf.del(0, 32);
			if (++done < count) socket.tx(ctrl, message);
		}
	}
	socket.close(ctrl);
	trace("done\n");
}, TASK, undefined);
