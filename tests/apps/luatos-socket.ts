// luatos/socket TCP client scenarios for tests/luatos-socket.test.js, callback mode (task mode and libnet:
// luatos-libnet.ts). args[0] = scenario; every line the test checks is printed with trace().
import socket from "luatos/socket";
import type { SocketCtrl } from "luatos/socket";
import sys from "luatos/sys";
import zbuff, { zbuffBytes } from "luatos/zbuff";
import type { ZBuff } from "luatos/zbuff";
import args from "xsnet-sim/args";
import { log, name, show } from "./luatos-probe.js";
import { setSendQueueLimit } from "xsnet/core/limits";


function fnv(bytes: Uint8Array, h = 0x811c9dc5): number {
	for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
	return h;
}

const port = Number(args[1]);

switch (args[0]) {
	// Connect to a Node echo server, send, read back with rx (zbuff) and read, disconnect: every result and
	// event in order.
	case "echo": {
		const buf = zbuff.create(4)!;
		let ctrl: SocketCtrl | undefined;
		const step = (c: SocketCtrl, event: number, param: number) => {
			log(`event ${name(event)} ${param} same=${c === ctrl} state=${show(socket.state(c))}`);
			if (event === socket.ON_LINE && param === 0) {
				log(`remoteIP ${show(socket.remoteIP(c))}`);
				log(`tx ${show(socket.tx(c, "hello"))}`);
				log(`tx2 ${show(socket.tx(c, new Uint8Array([0xE4, 0xBD, 0xA0, 0xE5, 0xA5, 0xBD])))}`);
			}
			else if (event === socket.EVENT && param === 0) {
				log(`rx-len ${show(socket.rx(c))}`);
				log(`rx ${show(socket.rx(c, buf, 0, 5))} used=${buf.used()} len=${buf.len()} ${buf.query()}`);
				log(`wait ${show(socket.wait(c))}`);
				log(`read ${show(socket.read(c))}`);
				log(`read-empty ${show(socket.read(c))}`);
				log(`rx-empty ${show(socket.rx(c, buf))}`);
				log(`wait2 ${show(socket.wait(c))}`);
				log(`discon ${show(socket.discon(c))} state=${show(socket.state(c))}`);
			}
			else if (event === socket.CLOSED) {
				log(`tx-closed ${show(socket.tx(c, "x"))} rx-closed ${show(socket.rx(c, buf))} wait ${show(socket.wait(c))}`);
				socket.release(c);
				log(`released ${show(socket.state(c))} ${show(socket.tx(c, "x"))} ${show(socket.rx(c))}`);
			}
		};
		ctrl = socket.create(socket.LWIP_STA, step)!;
		log(`created ${String(ctrl).startsWith("NWCTRL*")} state=${show(socket.state(ctrl))}`);
		log(`config ${socket.config(ctrl)}`);
		log(`connect ${show(socket.connect(ctrl, "127.0.0.1", port))} state=${show(socket.state(ctrl))}`);
		log(`connect-again ${show(socket.connect(ctrl, "127.0.0.1", port))}`);
		log(`tx-early ${show(socket.tx(ctrl, "x"))}`);
		break;
	}

	// Connect to a port where nothing listens: ON_LINE(-1).
	case "refused": {
		const ctrl = socket.create(undefined, (c, event, param) => {
			log(`event ${name(event)} ${param} state=${show(socket.state(c))}`);
			log(`wait ${show(socket.wait(c))} rx ${show(socket.rx(c))} tx ${show(socket.tx(c, "x"))}`);
			socket.close(c);
			log(`closed ${show(socket.state(c))}`);
		})!;
		log(`connect ${show(socket.connect(ctrl, 0x7F000001, port))}`);
		break;
	}

	// Names through the test's dnsmasq: args[1] = name, args[2] = port (0 = lookup only), args[3] = a DNS server
	// to set with setDNS (else the simulator's --dns), args[4] = "debug" to log the events.
	case "name": {
		const host = args[1], p = Number(args[2]);
		if (args[3]) log(`setDNS ${socket.setDNS(undefined, 1, args[3])}`);
		const ctrl = socket.create(undefined, (c, event, param) => {
			log(`event ${name(event)} ${param} state=${show(socket.state(c))} remoteIP ${show(socket.remoteIP(c))}`);
			socket.close(c);
			log(`after-close ${show(socket.remoteIP(c))}`);
		})!;
		if (args[4] === "debug") socket.debug(ctrl, true);
		log(`connect ${show(socket.connect(ctrl, host, p))} state=${show(socket.state(ctrl))} remoteIP ${show(socket.remoteIP(ctrl))}`);
		break;
	}

	// The peer sends args[2] bytes then closes: bytes that arrived before the close are readable once.
	case "remote-close": {
		const buf = zbuff.create(16)!;
		let reads = 0;
		const ctrl = socket.create(undefined, (c, event, param) => {
			log(`event ${name(event)} ${param} state=${show(socket.state(c))}`);
			if (event === socket.EVENT && param === -1) {
				log(`wait ${show(socket.wait(c))}`);
				log(`rx-len ${show(socket.rx(c))}`);
				log(`rx ${show(socket.rx(c, buf))} ${buf.toStr(0, buf.used())}`);
				log(`rx-again ${show(socket.rx(c, buf))} wait ${show(socket.wait(c))} tx ${show(socket.tx(c, "x"))}`);
				log(`discon ${show(socket.discon(c))} state=${show(socket.state(c))}`);
				socket.release(c);
			}
			reads++;
		})!;
		socket.connect(ctrl, "127.0.0.1", port);
		break;
	}

	// Every byte value both ways: send 0..255 as an ArrayBuffer and a zbuff, receive them back into a zbuff.
	case "bytes": {
		const all = new Uint8Array(256);
		for (let i = 0; i < 256; i++) all[i] = i;
		const out = zbuff.create(256)!;
		out.copy(0, all.buffer);
		const buf = zbuff.create(1)!;
		const ctrl = socket.create(undefined, (c, event, param) => {
			if (event === socket.ON_LINE) {
				log(`tx ${show(socket.tx(c, all.buffer))} ${show(socket.tx(c, out))} ${show(socket.tx(c, "x\0y"))}`);
				return;
			}
			if (event !== socket.EVENT || param) return;
			socket.rx(c, buf);
			if (buf.used() < 515) return;
			const ok: string[] = [];
			for (let i = 0; i < 512; i++) if (buf[i] !== (i & 255)) ok.push(String(i));
			if (buf[512] !== 0x78 || buf[513] !== 0 || buf[514] !== 0x79) ok.push("x\\0y");
			log(`received ${buf.used()} mismatches ${ok.length} len ${buf.len()}`);
			socket.close(c);
		})!;
		socket.connect(ctrl, "127.0.0.1", port);
		break;
	}

	// rx into one zbuff whose storage is replaced between reads of the same room (4 bytes at 0): after resize()
	// (larger, then smaller) and free(), each echo must land in the zbuff's new bytes (rx keeps its last view of them).
	case "rx-room": {
		const words = ["abcd", "efgh", "ijkl", "mnop"];
		const change = [(b: ZBuff) => b.resize(16), (b: ZBuff) => b.resize(2), (b: ZBuff) => b.free()];
		const buf = zbuff.create(8)!;
		let step = 0;
		const ctrl = socket.create(undefined, (c, event, param) => {
			if (event === socket.ON_LINE) socket.tx(c, words[0]);
			if (event !== socket.EVENT || param) return;
			socket.rx(c, buf);
			if (buf.used() < 4) return;           // (a word may come in parts)
			log(`rx ${buf.query()} len ${buf.len()}`);
			buf.del();
			if (++step === words.length) {
				socket.close(c);
				return;
			}
			change[step - 1](buf);
			socket.tx(c, words[step]);
		})!;
		socket.connect(ctrl, "127.0.0.1", port);
		break;
	}

	// 4 MiB each way: send the pattern in 64 KiB tx() calls after the peer says "go", receive 4 MiB into a zbuff
	// that is emptied after each rx; print the FNV-1a of what was received.
	case "bulk": {
		setSendQueueLimit(Infinity);   // queues MiBs in one turn: past the default send queue bound (1 MiB)
		const total = Number(args[2]);
		const buf = zbuff.create(1024)!;
		let received = 0, hash = 0x811c9dc5, txDone = 0, events = 0;
		const chunk = new Uint8Array(65536);
		for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 7 + (i >> 9)) & 255;
		const ctrl = socket.create(undefined, (c, event, param) => {
			if (event === socket.ON_LINE) {
				for (let sent = 0; sent < total; sent += chunk.length) socket.tx(c, chunk);
				log(`queued ${total}`);
			}
			else if (event === socket.TX_OK) txDone++;
			else if (event === socket.EVENT && param === 0) {
				events++;
				for (;;) {
					socket.rx(c, buf);
					const n = buf.used();
					if (!n) break;
					hash = fnv(zbuffBytes(buf), hash);
					received += n;
					buf.del();
				}
				if (received >= total) {
					log(`received ${received} ${hash.toString(16)} events>1 ${events > 1} tx_ok ${txDone}`);
					socket.close(c);
				}
			}
		})!;
		socket.connect(ctrl, "127.0.0.1", port);
		break;
	}

	// Flow control: read nothing for args[2] ms (the peer's writes must stall), then read everything with rx into a
	// zbuff until the peer closes; print the count and FNV-1a hash.
	case "noread": {
		const holdMs = Number(args[2]);
		const buf = zbuff.create(4096)!;
		let received = 0, hash = 0x811c9dc5, reading = false, events = 0;
		const drain = (c: SocketCtrl) => {
			for (;;) {
				const [ok] = socket.rx(c, buf);
				const n = buf.used();
				if (!ok || !n) return ok;
				hash = fnv(zbuffBytes(buf), hash);
				received += n;
				buf.del();
			}
		};
		const ctrl = socket.create(undefined, (c, event, param) => {
			if (event === socket.ON_LINE) {
				log("connected");
				sys.timerStart(() => {
					log(`reading after ${events} events, pending>0 ${(socket.rx(c)[1] as number) > 0}`);
					reading = true;
					drain(c);
				}, holdMs);
				return;
			}
			if (event !== socket.EVENT) return;
			events++;
			if (!reading) return;
			drain(c);
			if (param === -1) {
				log(`done ${received} ${hash.toString(16)}`);
				socket.release(c);
			}
		})!;
		socket.connect(ctrl, "127.0.0.1", port);
		break;
	}

	// Publish mode: no callback, no task: ("NWCTRL*", adapter, socketId, event, param).
	case "publish": {
		const ctrl = socket.create()!;
		sys.subscribe("NWCTRL*", (adapter: number, id: number, event: number, param: number) => {
			log(`published ${adapter} ${typeof id} ${name(event)} ${param}`);
			socket.close(ctrl);
		});
		socket.connect(ctrl, "127.0.0.1", port);
		break;
	}
}
