// TCP server scenarios for tests/net-tcp-server.test.js. args[0] = scenario. Each prints "listening <port> <ip>"
// once ready and exits by itself when its work is done (the server closes itself).
import net from "nodemcu/net";
import type { NetSocket } from "nodemcu/net";
import args from "xsnet-sim/args";

const log = (line: string) => trace(line + "\n");
const mode = args[0];

function listening(srv: { getaddr(): [number | undefined, string | undefined] }) {
	const [port, ip] = srv.getaddr();
	log(`listening ${port} ${ip}`);
}

switch (mode) {
	// The docs' net.server:listen example: send "hello world", print what the client sends, close.
	// Serves args[1] connections, then closes the server.
	case "hello": {
		let left = Number(args[1] ?? 1);
		const sv = net.createServer(net.TCP, 30);
		function receiver(sck: NetSocket, data: string) {
			log(`receive ${JSON.stringify(data)}`);
			sck.close();
			if (--left === 0) sv.close();
		}
		if (sv) {
			sv.listen(0, function (conn) {
				conn.on("receive", receiver);
				conn.send("hello world");
			});
		}
		listening(sv);
		break;
	}

	// The docs' "hello world" web server (net.server:listen + sent -> close), checked with curl.
	case "web": {
		let left = Number(args[1] ?? 1);
		const srv = net.createServer(30);
		srv.listen(0, "127.0.0.1", (conn) => {
			conn.on("receive", (sck, payload) => {
				log(`request ${JSON.stringify(String(payload).split("\r\n")[0])}`);
				sck.send("HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<h1> Hello, NodeMCU.</h1>");
			});
			conn.on("sent", (sck) => {
				sck.close();
				if (--left === 0) srv.close();
			});
		});
		listening(srv);
		break;
	}

	// Accept order and details: listen callback, then "connection" (only when registered there), getpeer,
	// getaddr; close() of the server keeps accepted sockets; close() twice raises.
	case "features": {
		const srv = net.createServer();
		let n = 0;
		const sockets: NetSocket[] = [];
		srv.listen(0, "127.0.0.1", (conn) => {
			const id = n++;
			sockets.push(conn);
			const [pp, pip] = conn.getpeer();
			const [lp, lip] = conn.getaddr();
			log(`accept ${id} peer ${pp} ${pip} addr ${lp} ${lip}`);
			if (id === 0) conn.on("connection", (s) => log(`connection ${id} ${s === conn}`));
			conn.on("receive", (s, data) => {
				log(`receive ${id} ${JSON.stringify(data)}`);
				if (data === "close-server") {
					srv.close();
					const [p, ip] = srv.getaddr();
					log(`server closed ${p} ${ip}`);
					try {
						srv.close();
					}
					catch (e) {
						log(`close-again ${(e as Error).message}`);
					}
				}
				s.send(`echo ${data}`);
			});
			conn.on("disconnection", (_s, err) => log(`disconnection ${id} ${err}`));
			log(`after-listen-callback ${id}`);
		});
		listening(srv);
		break;
	}

	// The docs' net.socket:send example: a send queue chained on "sent", then close.
	case "queue": {
		const srv = net.createServer(net.TCP);
		function receiver(sck: NetSocket, _data: string) {
			let response: string[] | undefined = [];
			response.push("lots of data");
			response.push("even more data");
			response.push("e.g. content read from a file");
			// sends and removes the first element from the 'response' table
			function send(localSocket: NetSocket) {
				if (response!.length > 0) localSocket.send(response!.shift()!);
				else {
					localSocket.close();
					response = undefined;
					srv.close();
					log("done");
				}
			}
			// triggers the send() function again once the first chunk of data was sent
			sck.on("sent", send);
			send(sck);
		}
		srv.listen(0, (conn) => conn.on("receive", receiver));
		listening(srv);
		break;
	}

	// The docs' nested send callbacks.
	case "nested": {
		const srv = net.createServer(net.TCP, 30);
		srv.listen(0, (sck) => {
			const header = "HTTP/1.0 200 OK\r\n\r\n";
			sck.send(header, function () {
				const data1 = "some large chunk of dynamically loaded data";
				sck.send(data1, function () {
					const data2 = "even more dynamically loaded data";
					sck.send(data2, function (sk) {
						sk.close();
						srv.close();
						log("done");
					});
				});
			});
		});
		listening(srv);
		break;
	}

	// Binding: port 0, explicit port as number and string, "already listening", "address in use".
	case "bind": {
		const a = net.createServer();
		log(`before ${a.getaddr()[0]} ${a.getaddr()[1]}`);
		a.listen(() => {});
		const [port, ip] = a.getaddr();
		log(`any ${port! > 0} ${ip}`);
		try {
			a.listen(0, () => {});
		}
		catch (e) {
			log(`again ${(e as Error).message}`);
		}
		const b = net.createServer();
		try {
			b.listen(port!, () => {});
			log("in-use listened (wrong)");
		}
		catch (e) {
			log(`in-use ${(e as Error).message}`);
		}
		log(`b ${b.getaddr()[0]}`);
		a.close();
		b.listen(String(port), "127.0.0.1", () => {});
		const [bp, bip] = b.getaddr();
		log(`string-port ${bp === port} ${bip}`);
		b.close();
		// a UDP socket and a TCP server may share a port number
		const c = net.createServer(net.TCP, 5);
		c.listen(undefined as unknown as number, "127.0.0.1", () => {});
		log(`placeholder ${c.getaddr()[0]! > 0} ${c.getaddr()[1]}`);
		c.close();
		log("done");
		break;
	}

	default:
		log(`unknown mode ${mode}`);
}
