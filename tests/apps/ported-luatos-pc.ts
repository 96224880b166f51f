// LuatOS's PC-simulator tests ported (bsp/pc/test/002.tcp, 003.udp, 037.dns_client, 023.tcp_tx_limit,
// 036.socket_read), run by tests/ported-luatos.test.js against the test's peers on 127.0.0.0/8 instead of public
// servers. args[0] = "tcp" (args[1] = port, args[2] = rounds: the Lua reconnects forever, 5 s apart; here after
// 100 ms, `rounds` times), "udp" (args[1] = a UDP port), "dns_client" (args[1] = the DNS server's address,
// args[2..] = names), "tcp_tx_limit" (args[1] = port), "socket_read" (args[1] = a UDP echo port).
import socket from "luatos/socket";
import sys from "luatos/sys";
import zbuff from "luatos/zbuff";
import type { ZBuff } from "luatos/zbuff";
import args from "xsnet-sim/args";

const info = (...v: unknown[]) => trace("I/" + v.map(String).join(" ") + "\n");

// ---- 037.dns_client: DNS queries built in a zbuff (pack "H", "bA"), answers read with buf[i] ----

function make_dns_query(txid: number, domain: string, txbuff: ZBuff) {
	txbuff.seek(0);
	txbuff.pack("H", txid);                                    // transaction id (native order, as the Lua)
	txbuff.write("\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00");  // flags: recursion desired, one question
	let pos = 0;
	domain = domain + ".";
	for (let i = 0; i < domain.length; i++) {
		if (domain.charCodeAt(i) === 0x2E) {
			const n = i - pos;
			txbuff.pack("bA", n, domain.slice(pos, i));
			pos = i + 1;
		}
	}
	txbuff.write("\x00");                                      // the root label
	txbuff.write("\x00\x01\x00\x01");                          // type A, class IN (the Lua writes "\0x00" here, a typo)
}

function decode_dns_resp(rxbuff: ZBuff) {
	const b = (i: number) => rxbuff[i] as number;
	if ((b(2) & 0x80) === 0) {
		info("dns not a DNS response");
		return;
	}
	if ((b(3) & 0x04) !== 0) {
		info("dns a DNS response, with an error");
		return;
	}
	if (b(4) !== 0x00 || b(5) !== 0x01) {
		info("dns a DNS response, but not one question");
		return;
	}
	let pos = 12;
	let domain = "";
	while (b(pos) !== 0) {
		const n = b(pos);
		domain = domain + rxbuff.toStr(pos + 1, n) + ".";
		pos = pos + n + 1;
	}
	domain = domain.slice(0, domain.length - 1);
	info("dns name", domain);
	pos = pos + 1 + 4;                                         // the 0 and the question's type and class
	const ARRs = b(6) * 256 + b(7);
	if (ARRs === 0) {
		info("dns an answer, no records", ARRs);
		return;
	}
	for (let i = 1; i <= ARRs; i++) {
		const n = b(pos);
		if ((n & 0xC0) === 0xC0) {
			pos = pos + 2;
			pos = pos + 2;                                         // type
			pos = pos + 2;                                         // class
			pos = pos + 4;                                         // ttl
			const len = b(pos) * 256 + b(pos + 1);
			pos = pos + 2;
			if (len === 4) info("dns IP", `${b(pos)}.${b(pos + 1)}.${b(pos + 2)}.${b(pos + 3)}`);
			pos = pos + len;
		}
		else info("dns another name, not parsed");
	}
}

async function dns_client(server: string, names: string[]) {
	const rxbuff = zbuff.create(2048)!;
	const netc = socket.create(undefined, (sc, event) => {
		if (event !== socket.EVENT) return;
		const [ok, len, remote_ip] = socket.rx(sc, rxbuff);
		if (ok) {
			const ip = remote_ip as string;
			info("socket from", `${ip.charCodeAt(1)}.${ip.charCodeAt(2)}.${ip.charCodeAt(3)}.${ip.charCodeAt(4)}`, len);
			decode_dns_resp(rxbuff);
			rxbuff.del();
		}
	})!;
	socket.config(netc, undefined, true);
	const [ok] = socket.connect(netc, server, 53);
	info("socket connect", ok);
	await sys.wait(100);
	const txbuff = zbuff.create(1024)!;
	for (const name of names) {
		make_dns_query(1, name, txbuff);
		socket.tx(netc, txbuff);
		await sys.wait(300);
	}
	socket.close(netc);
	socket.release(netc);
	info("done");
}

// ---- 023.tcp_tx_limit: read 4 bytes per rx, on purpose, until the server closes ----

async function tcp_tx_limit(port: number) {
	let running = true;
	const rxbuff = zbuff.create(1024)!;
	const netc = socket.create(undefined, (sc, event) => {
		if (event !== socket.EVENT) return;
		for (;;) {
			let [ok, len] = socket.rx(sc);
			if (!ok) {
				info("socket the server closed the connection");
				running = false;
				break;
			}
			if (len === 0) break;
			[ok, len] = socket.rx(sc, rxbuff, undefined, 4);
			if (ok) {
				if (len === 0) break;
				info("socket read", rxbuff.query());
				rxbuff.del();
			}
			else {
				info("socket the server closed the connection");
				running = false;
				break;
			}
		}
	})!;
	socket.config(netc);
	socket.connect(netc, "127.0.0.1", port);
	while (running) await sys.wait(100);
	socket.close(netc);
	socket.release(netc);
	info("done");
}

// ---- 002.tcp: a callback-mode TCP client that prints what it reads and reconnects when the server closes ----

async function tcp(port: number, rounds: number) {
	info("socket.ip", socket.localIP()[0] !== undefined);
	await sys.wait(100);
	for (let round = 0; round < rounds; round++) {
		info("create netc");
		let running = true;
		const rxbuff = zbuff.create(1024)!;
		const netc = socket.create(undefined, (sc, event) => {
			if (event === socket.EVENT) {
				const [ok] = socket.rx(sc, rxbuff);
				if (ok) {
					info("socket read", rxbuff.query());
					rxbuff.del();
				}
				else {
					info("socket the server closed the connection");
					running = false;
				}
			}
		})!;
		socket.config(netc);
		socket.connect(netc, "127.0.0.1", port);
		while (running) await sys.wait(100);
		info("connection ended, closing");
		socket.close(netc);
		socket.release(netc);
		await sys.wait(100);
	}
	info("done");
}

// ---- 003.udp: a callback-mode UDP client: rx gives the 5-byte address, turned into dotted form ----

async function udp(port: number) {
	await sys.wait(100);
	let running = true;
	const rxbuff = zbuff.create(1024)!;
	const netc = socket.create(undefined, (sc, event) => {
		if (event !== socket.EVENT) return;
		const [ok, , remote, remote_port] = socket.rx(sc, rxbuff);
		if (ok) {
			let ip = remote as string | undefined;
			ip = ip && ip.length === 5
				? `${ip.charCodeAt(1)}.${ip.charCodeAt(2)}.${ip.charCodeAt(3)}.${ip.charCodeAt(4)}` : undefined;
			info("socket read", rxbuff.query(), ip, remote_port === port);
			rxbuff.del();
			running = false;                    // the Lua runs until the server goes away; one answer is enough here
		}
		else {
			info("socket the server closed the connection");
			running = false;
		}
	})!;
	socket.config(netc, undefined, true);
	const [ok] = socket.connect(netc, "127.0.0.1", port);
	info("socket connect", ok);
	await sys.wait(100);
	socket.tx(netc, "ABC1234567890");
	while (running) await sys.wait(100);
	socket.close(netc);
	socket.release(netc);
	info("done");
}

// ---- 036.socket_read: UDP with socket.read ----

async function socket_read(port: number) {
	let running = true;
	const netc = socket.create(undefined, (sc, event) => {
		if (event !== socket.EVENT) return;
		const [ok, data, remote_ip, remote_port] = socket.read(sc, 1600);
		if (ok) {
			const ip = remote_ip as string;
			info("socket read", data, `${ip.charCodeAt(1)}.${ip.charCodeAt(2)}.${ip.charCodeAt(3)}.${ip.charCodeAt(4)}`, remote_port === port);
			running = false;
		}
	})!;
	socket.config(netc, undefined, true);
	socket.connect(netc, "127.0.0.1", port);
	await sys.wait(100);
	socket.tx(netc, "ABC1234567890");
	while (running) await sys.wait(100);
	socket.close(netc);
	socket.release(netc);
	info("done");
}

if (args[0] === "tcp") sys.taskInit(tcp, Number(args[1]), Number(args[2]));
else if (args[0] === "udp") sys.taskInit(udp, Number(args[1]));
else if (args[0] === "dns_client") sys.taskInit(dns_client, args[1], args.slice(2));
else if (args[0] === "tcp_tx_limit") sys.taskInit(tcp_tx_limit, Number(args[1]));
else sys.taskInit(socket_read, Number(args[1]));
