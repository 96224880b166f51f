// Argument coercion of integer arguments of luatos/socket, sys and zbuff, for tests/net-coercion.test.js: the
// same table as tests/apps/coercion.ts (coercion-probe.ts: base integer b and its variants), one JSON line {f, b, v, r} per call,
// then "done". `args[0]`: a closed TCP port on 127.0.0.1.
import socket from "luatos/socket";
import sys from "luatos/sys";
import zbuff from "luatos/zbuff";
import args from "xsnet-sim/args";
import { check } from "./coercion-probe.js";

const closedPort = Number(args[0]);
const ctrls: any[] = [];
const timers: number[] = [];

const noop = () => {};

check("socket.create(adapter)", socket.LWIP_STA, (v) => { const c = socket.create(v, noop); if (c) ctrls.push(c); });
check("socket.connect(port)", closedPort, (v) => {
	const c = socket.create(undefined, noop)!;
	ctrls.push(c);
	socket.connect(c, "127.0.0.1", v);
});
check("socket.config(localPort)", 0, (v) => {
	const c = socket.create(undefined, noop)!;
	ctrls.push(c);
	socket.config(c, v, true);
});
check("sys.wait(ms)", 5, (v) => { sys.wait(v); });
check("sys.waitUntil(topic, ms)", 5, (v) => { sys.waitUntil("T", v); });
check("sys.timerStart(fn, ms)", 5, (v) => { const id = sys.timerStart(noop, v); if (id !== undefined) timers.push(id); });
check("zbuff.create(length)", 8, (v) => { zbuff.create(v); });
const buf = zbuff.create(16)!;
check("zbuff:seek(offset)", 1, (v) => { buf.seek(v); });
check("zbuff:read(length)", 1, (v) => { buf.seek(0); buf.read(v); });
for (const c of ctrls) socket.release(c);
for (const id of timers) sys.timerStop(id);
trace("done\n");
