// luatos/socket UDP scenarios for tests/luatos-udp.test.js. args[0] = scenario.
import socket from "luatos/socket";
import type { SocketCtrl } from "luatos/socket";
import sys from "luatos/sys";
import zbuff, { zbuffBytes } from "luatos/zbuff";
import args from "xsnet-sim/args";
import { log, name, show } from "./luatos-probe.js";

/** LuatOS's 5-byte address as "len:b0.b1.b2.b3.b4". */
const addr = (ip: unknown) => typeof ip === "string" ? `${ip.length}:${[...ip].map((c) => c.charCodeAt(0)).join(".")}` : show(ip);

switch (args[0]) {
	// A UDP client "connected" to the Node peer args[1]; the test drives the peer from the lines printed.
	case "client": {
		const peer = Number(args[1]);
		const buf = zbuff.create(8)!;
		let step = 0;
		const all = new Uint8Array(256);
		for (let i = 0; i < 256; i++) all[i] = i;
		const ctrl = socket.create(undefined, (c, event, param) => {
			if (event === socket.TX_OK) return;
			log(`event ${name(event)} ${param} state=${show(socket.state(c))}`);
			if (event === socket.ON_LINE) {
				log(`tx ${show(socket.tx(c, "hello"))}`);
				log(`tx-1461 ${show(socket.tx(c, new Uint8Array(1461)))} tx-1460 ${show(socket.tx(c, new Uint8Array(1460)))}`);
				log(`tx-all ${show(socket.tx(c, all))}`);
				return;
			}
			if (event !== socket.EVENT || param !== 0) return;
			step++;
			if (step === 1) {
				// the peer sent "hi" (after a datagram from another port, which a connected ctrl does not take)
				log(`rx-len ${show(socket.rx(c))}`);
				const [ok, n, ip, p] = socket.rx(c, buf);
				log(`rx ${ok} ${n} ${addr(ip)} ${p === peer} ${buf.query()}`);
				buf.del();
				log(`rx-none ${show(socket.rx(c, buf))}`);
				log("ready-2");
			}
			else if (step === 2) {
				// the peer sent 100 bytes "a...", 5 bytes "bbbbb", 7 bytes "ccccccc", then all 256 byte values: let them
				// all arrive (no more EVENT comes until a read, as the flag is set)
				sys.timerStart(() => {
					const [, n1] = socket.rx(c, buf, 0, 10);
					log(`limit10 ${n1} ${buf.query()}`);
					buf.del();
					const [, n2] = socket.rx(c, buf, 0, 0);
					log(`limit0 ${show(n2)} used=${buf.used()}`);
					const r = socket.read(c);
					log(`read ${r[0]} ${show(r[1])} ${addr(r[2])} ${r[3] === peer}`);
					const [, n3] = socket.rx(c, buf);
					const bytes = zbuffBytes(buf);
					let same = n3 === 256;
					for (let i = 0; i < 256; i++) if (bytes[i] !== i) same = false;
					log(`all ${n3} exact=${same}`);
					log(`discon ${show(socket.discon(c))} state=${show(socket.state(c))}`);
					log(`tx-after ${show(socket.tx(c, "x"))}`);
					socket.release(c);
				}, 300);
			}
		})!;
		log(`config ${socket.config(ctrl, undefined, true)}`);
		log(`connect ${show(socket.connect(ctrl, "127.0.0.1", peer))} state=${show(socket.state(ctrl))}`);
		break;
	}

	// The UDP server of LuatOS's udpsrv.lua: bound to args[1], "connected" to 255.255.255.255 port 0 so it takes
	// datagrams from anyone; answers each with tx(sc, data, ip, port), the ip as text or as a big-endian integer.
	case "server": {
		const port = Number(args[1]);
		let left = Number(args[2]);
		const rxbuff = zbuff.create(1500)!;
		const sc = socket.create(undefined, (c: SocketCtrl, event: number, param: number) => {
			if (event === socket.ON_LINE) log(`online ${param}`);
			if (event !== socket.EVENT) return;
			for (;;) {
				const [succ, len, ip, p] = socket.rx(c, rxbuff);
				if (!succ || !len) break;
				const text = rxbuff.toStr(0, rxbuff.used());
				rxbuff.del();
				const s = ip as string;
				const dotted = `${s.charCodeAt(1)}.${s.charCodeAt(2)}.${s.charCodeAt(3)}.${s.charCodeAt(4)}`;
				sys.publish("UDP_RECV", text, dotted, p);
				const asInteger = ((s.charCodeAt(1) << 24) | (s.charCodeAt(2) << 16) | (s.charCodeAt(3) << 8) | s.charCodeAt(4)) >>> 0;
				const answer = socket.tx(c, "re: " + text, left % 2 ? dotted : asInteger, p);
				log(`answered ${show(answer)}`);
				if (--left === 0) {
					socket.close(c);
					socket.release(c);
				}
			}
		})!;
		sys.subscribe("UDP_RECV", (text: string, ip: string, p: number) => log(`recv ${text} from ${ip} ${typeof p}`));
		log(`config ${socket.config(sc, port, true)}`);
		const [ok] = socket.connect(sc, "255.255.255.255", 0);
		log(`connect ${ok}`);
		break;
	}
}
