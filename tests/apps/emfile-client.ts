// nodemcu/net clients for tests/sim-emfile.test.js, run with few descriptors (RLIMIT_NOFILE): connects to
// 127.0.0.1:`args[0]` (a Node echo server) one socket at a time until a connect fails, printing
// "connected <n>" or "failed <n> <code>"; then it checks that the sockets already open still work (an echo on
// the first one: "echo ok"), closes one, and connects once more ("connected again"); last "done".
import net from "nodemcu/net";
import args from "xsnet-sim/args";
import Timer from "timer";

import type { NetSocket as Socket } from "nodemcu/socket";
const port = Number(args[0]);
const open: Socket[] = [];

function connectOne(then: (s: Socket | undefined, code?: number) => void): void {
	const s = net.createConnection();
	s.on("connection", (sck) => then(sck));
	s.on("reconnection", (_sck, code) => then(undefined, code as number));
	s.connect(port, "127.0.0.1");
}

function next(): void {
	if (open.length === 64) { trace("never failed\n"); return finish(); }
	connectOne((s, code) => {
		if (s) {
			open.push(s);
			trace(`connected ${open.length}\n`);
			next();
			return;
		}
		trace(`failed ${open.length + 1} ${code}\n`);
		const first = open[0];
		first.on("receive", (_sck, data) => {
			if (String(data) !== "ping") return;
			trace("echo ok\n");
			open.pop()!.close();
			Timer.set(() => connectOne((again) => {
				if (again) { trace("connected again\n"); open.push(again); }
				else trace("not connected again\n");
				finish();
			}), 50);
		});
		first.send("ping");
	});
}

function finish(): void {
	for (const s of open) s.close();
	trace("done\n");
}

next();
