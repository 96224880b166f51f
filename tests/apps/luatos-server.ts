// luatos/socket TCP servers for tests/luatos-server.test.js. args[0] = scenario, args[1] = port to listen on.
import socket from "luatos/socket";
import type { SocketCtrl } from "luatos/socket";
import libnet from "luatos/libnet";
import sys from "luatos/sys";
import zbuff from "luatos/zbuff";
import args from "xsnet-sim/args";
import { log, name, show } from "./luatos-probe.js";

const port = Number(args[1]);

switch (args[0]) {
	// The single-client server of LuatOS's demo (server/tcp), task style: listen, the ctrl carries the client,
	// echo what it sends in upper case until it closes; args[2] clients in turn, a new ctrl for each.
	case "single": {
		const TASK = "tcp_server_main";
		let clients = Number(args[2] ?? 1);
		sys.taskInitEx(async () => {
			const buf = zbuff.create(1024)!;
			while (clients-- > 0) {
				const netc = socket.create(socket.dft()[0], TASK)!;
				log(`config ${socket.config(netc, port, undefined, undefined, 300, 10, 3)}`);
				const listening = socket.listen(netc);
				log(`listen ${show(listening)} state=${show(socket.state(netc))}`);
				const ok = await libnet.listen(TASK, 0, netc);   // listen again: already listening -> waits ON_LINE
				log(`client ${ok} state=${show(socket.state(netc))}`);
				const [aok, actrl, ip, p] = socket.accept(netc);
				log(`accept ${aok} ${actrl} ${ip} ${typeof p}`);
				log(`tx ${show(await libnet.tx(TASK, 0, netc, "TCP server is UP!"))}`);
				for (;;) {
					const [rok] = socket.rx(netc, buf);
					if (!rok) {
						log("rx failed");
						break;
					}
					if (buf.used() > 0) {
						const text = buf.query() as string;
						buf.del();
						log(`got ${text}`);
						await libnet.tx(TASK, 0, netc, text.toUpperCase());
						continue;
					}
					const [wok, event] = await libnet.wait(TASK, 15000, netc);
					if (!wok) {
						log(`wait ${wok} ${event} state=${show(socket.state(netc))}`);
						break;
					}
				}
				await libnet.close(TASK, 5000, netc);
				socket.release(netc);
				log(`closed ${show(socket.state(netc))}`);
			}
		}, TASK, (msg: unknown[]) => log(`other ${name(msg[0])} ${msg[1]}`));
		break;
	}

	// The multi-client server of LuatOS's demo (server/tcp_multi): listen(ctrl, backlog) through libnet.listen in a
	// loop, accept(ctrl, cb) for each client (args[2] of them; backlog args[3]); each client is echoed in upper
	// case by its own callback; the server closes once all of them closed.
	case "multi": {
		const TASK = "tcp_multi_main";
		let left = Number(args[2]);
		const backlog = args[3] === "none" ? undefined : Number(args[3]);
		const clients: SocketCtrl[] = [];
		let serverCtrl: SocketCtrl | undefined;
		const buffers: Record<string, ReturnType<typeof zbuff.create>> = {};
		const clientEvent = (client: SocketCtrl, event: number, param: number) => {
			if (event === socket.EVENT && param === 0) {
				const buf = buffers[String(client)] ??= zbuff.create(64);
				for (;;) {
					const [ok] = socket.rx(client, buf);
					if (!ok || !buf!.used()) break;
					const text = buf!.query() as string;
					buf!.del();
					socket.tx(client, text.toUpperCase());
				}
				return;
			}
			if (event === socket.TX_OK && param === 0) return;
			log(`client ${clients.indexOf(client)} ${name(event)} ${param}`);
			if (event === socket.EVENT) {
				socket.close(client);
				socket.release(client);
				if (--left === 0) {
					socket.close(serverCtrl);
					socket.release(serverCtrl);
					log("server closed");
				}
			}
		};
		sys.taskInitEx(async () => {
			serverCtrl = socket.create(socket.dft()[0], TASK)!;
			socket.config(serverCtrl, port);
			for (let i = Number(args[2]); i > 0; i--) {
				const ok = await libnet.listen(TASK, 0, serverCtrl, backlog);
				const [aok, client, ip, p] = socket.accept(serverCtrl, clientEvent);
				log(`accepted ${ok} ${aok} ${client instanceof Object} ${ip} ${typeof p} server-state=${show(socket.state(serverCtrl))}`);
				clients.push(client!);
				socket.tx(client!, `you are client-${clients.length}\n`);
			}
		}, TASK, () => {});
		break;
	}

	// Single-client form: when the carried client leaves, the ctrl stops listening (new clients are refused) until
	// it listens again (here 500 ms later); the second client is then carried.
	case "single-end": {
		let round = 0;
		const ctrl = socket.create(undefined, (c, event, param) => {
			log(`event ${name(event)} ${param} state=${show(socket.state(c))}`);
			if (event === socket.EVENT && param === -1) {
				sys.timerStart(() => log(`listen ${show(socket.listen(c))} state=${show(socket.state(c))}`), 2000);
			}
			else if (event === socket.ON_LINE && ++round === 2) socket.release(c);
		})!;
		socket.config(ctrl, port);
		log(`listen ${show(socket.listen(ctrl))}`);
		break;
	}

	// A port that cannot be bound: listen answers [true, false], then ON_LINE(-1).
	case "in-use": {
		const ctrl = socket.create(undefined, (c, event, param) => {
			log(`event ${name(event)} ${param} state=${show(socket.state(c))}`);
			socket.release(c);
		})!;
		socket.config(ctrl, port);
		log(`listen ${show(socket.listen(ctrl))}`);
		break;
	}
}
