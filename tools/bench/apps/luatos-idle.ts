// Benchmark app: JS heap per open idle luatos/socket ctrl (connected, one callback shared by all).
import socket from "luatos/socket";
import type { SocketCtrl } from "luatos/socket";
import args from "xsnet-sim/args";
import { gc, used } from "xsnet-sim/heap";

const [port, count] = args.map(Number);
const ctrls: SocketCtrl[] = [];
let connected = 0;
function onEvent(_c: SocketCtrl, event: number) {
	if (event === socket.ON_LINE && ++connected === count) {
		gc();
		trace(`per-socket ${(used() - base) / count}\n`);
		for (const c of ctrls) socket.release(c);
	}
}
gc();
const base = used();
for (let i = 0; i < count; i++) {
	const c = socket.create(undefined, onEvent)!;
	socket.connect(c, "127.0.0.1", port);
	ctrls.push(c);
}
