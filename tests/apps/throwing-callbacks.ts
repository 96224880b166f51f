// Every kind of application callback throws once, for tests/net-hostile.test.js: nodemcu/net (server accept,
// "connection", "receive", "sent", "disconnection", "reconnection", socket "dns", net.dns.resolve, udpsocket
// "receive", "sent", "dns"), luatos/socket's cbFun, luatos/sys (task, subscriber, timerStart, timerLoopStart).
// Each callback throws Error("boom <kind>") the first time, after doing its work; the steps run one after the
// other and print "<kind> continues" when the next event of that kind still came. Last line: "all done"; every
// socket and timer is closed then, so the app ends by itself.
import net from "nodemcu/net";
import socket from "luatos/socket";
import sys from "luatos/sys";
import zbuff from "luatos/zbuff";
import args from "xsnet-sim/args";

const closedPort = Number(args[0]);
const log = (line: string) => trace(line + "\n");
const thrown = new Set<string>();
/** Throw Error("boom <kind>") the first time `kind` comes here. */
function boom(kind: string): void {
	if (thrown.has(kind)) return;
	thrown.add(kind);
	throw new Error(`boom ${kind}`);
}

const steps: (() => void)[] = [];
function next(): void {
	const step = steps.shift();
	if (step) step();
}

// An echo server (its accept callback throws after registering "receive"); "bye" makes it close the connection.
const srv = net.createServer(30);
srv.listen(0, "127.0.0.1", (conn) => {
	conn.on("receive", (s, data) => {
		if (String(data) === "bye") s.close();
		else s.send(data as string);
	});
	boom("accept");
});
const port = srv.getaddr()[0]!;

steps.push(() => {
	const c = net.createConnection();
	c.on("connection", (s) => {
		s.send("one");
		boom("connection");
	});
	c.on("sent", () => boom("sent"));
	c.on("receive", (s, data) => {
		if (data === "one") {
			s.send("two");
			boom("receive");
		}
		else if (data === "two") {
			log("accept continues");
			log("connection continues");
			log("sent continues");
			log("receive continues");
			s.send("bye");
		}
	});
	c.on("disconnection", () => {
		log("tcp client ended");
		next();
		boom("disconnection");
	});
	c.connect(port, "127.0.0.1");
});

steps.push(() => {
	let count = 0;
	const attempt = () => {
		const c = net.createConnection();
		c.on("reconnection", () => {
			if (++count === 2) { log("reconnection continues"); next(); }
			else attempt();
			boom("reconnection");
		});
		c.connect(closedPort, "127.0.0.1");
	};
	attempt();
});

steps.push(() => {
	const c = net.createConnection();
	c.dns("127.0.0.1", () => {
		c.dns("127.0.0.1", () => { log("dns continues"); next(); });
		boom("dns");
	});
});

steps.push(() => {
	net.dns.resolve("127.0.0.1", () => {
		net.dns.resolve("127.0.0.1", () => { log("resolve continues"); next(); });
		boom("resolve");
	});
});

steps.push(() => {
	const rx = net.createUDPSocket();
	const tx = net.createUDPSocket();
	rx.listen(0, "127.0.0.1");
	const rxPort = rx.getaddr()[0]!;
	let sent = 0;
	tx.on("sent", () => {
		if (++sent === 1) tx.send(rxPort, "127.0.0.1", "second");
		boom("udp sent");
	});
	rx.on("receive", (_s, data) => {
		if (data === "second") {
			log("udp sent continues");
			log("udp receive continues");
			rx.dns("127.0.0.1", () => {
				rx.dns("127.0.0.1", () => { log("udp dns continues"); rx.close(); tx.close(); next(); });
				boom("udp dns");
			});
		}
		boom("udp receive");
	});
	tx.send(rxPort, "127.0.0.1", "first");
});

steps.push(() => {
	const buf = zbuff.create(16)!;
	let events = 0;
	const ctrl = socket.create(undefined, (c, event, param) => {
		events++;
		if (event === socket.ON_LINE) socket.tx(c, "lua");
		else if (event === socket.EVENT && param === 0) {
			socket.rx(c, buf);
			if (buf.used() === 3) {
				log(`luatos cbFun continues (${buf.toStr(0, 3)})`);
				socket.discon(c);
			}
		}
		else if (event === socket.CLOSED) {
			socket.release(c);
			next();
		}
		boom(`luatos cbFun`);
	})!;
	socket.connect(ctrl, "127.0.0.1", port);
});

steps.push(() => {
	sys.taskInit(async () => {
		await sys.wait(5);
		boom("sys task");
	});
	sys.taskInit(async () => {
		await sys.wait(20);
		log("sys task continues");
		sys.subscribe("T", () => boom("sys subscriber"));
		sys.subscribe("T", () => log("sys subscriber continues"));
		sys.publish("T");
		await sys.wait(20);
		sys.timerStart(() => boom("sys timer"), 5);
		sys.timerStart(() => log("sys timer continues"), 20);
		let loops = 0;
		const loop = () => {
			if (++loops === 3) {
				sys.timerStop(id);
				log("sys loop timer continues");
				next();
			}
			boom("sys loop timer");
		};
		const id = sys.timerLoopStart(loop, 10)!;
	});
});

steps.push(() => {
	srv.close();
	log(`thrown ${thrown.size}`);
	log("all done");
});

next();
