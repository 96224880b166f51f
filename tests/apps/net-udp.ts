// UDP scenarios for tests/net-udp.test.js. args[0] = scenario.
import net from "nodemcu/net";
import args from "xsnet-sim/args";

const log = (line: string) => trace(line + "\n");
const mode = args[0];

function hex(data: ArrayBuffer): string {
	const b = new Uint8Array(data);
	const out: string[] = [];
	for (let i = 0; i < b.length; i++) out.push((b[i] < 16 ? "0" : "") + b[i].toString(16));
	return out.join("");
}

function attempt(label: string, fn: () => void) {
	try {
		fn();
		log(`${label} ok`);
	}
	catch (e) {
		log(`${label} ${(e as Error).message}`);
	}
}

switch (mode) {
	// The docs' UDP echo example (port 0 instead of 5000); closes after args[1] datagrams.
	case "echo": {
		let left = Number(args[1] ?? 1);
		const udpSocket = net.createUDPSocket();
		udpSocket.listen(0);
		udpSocket.on("receive", function (s, data, port, ip) {
			log(`received '${data}' from ${ip}:${port}`);
			s.send(port, ip, "echo: " + data);
		});
		udpSocket.on("sent", (s) => {
			log("sent");
			if (--left === 0) s.close();
		});
		const [port, ip] = udpSocket.getaddr();
		log(`local UDP socket address / port: ${ip}:${port}`);
		break;
	}

	// A client: send without listen() (binds to any port), receive the peer's answers as string then buffer,
	// sent once per send, close, reopen, close twice.
	case "client": {
		const peer = Number(args[1]);
		const s = net.createUDPSocket();
		log(`before ${s.getaddr()[0]} ${s.getaddr()[1]}`);
		let n = 0;
		let sent = 0;
		s.on("sent", () => sent++);
		s.on("receive", (sock, data, port, ip) => {
			n++;
			if (n === 1) {
				log(`receive ${typeof data} ${JSON.stringify(data)} from ${ip}:${port === peer}`);
				sock.format = "buffer";
				const all = new Uint8Array(256);
				for (let i = 0; i < 256; i++) all[i] = i;
				sock.send(peer, "127.0.0.1", all);
			}
			else if (n === 2) {
				log(`receive ${data instanceof ArrayBuffer} ${hex(data as ArrayBuffer)}`);
				sock.send(peer, "127.0.0.1", new Uint8Array(1472), (s2) => {
					log(`sent-count ${sent + 1}`);
					s2.on("sent", null);
					s2.close();
					attempt("close-again", () => s2.close());
					log(`after-close ${s2.getaddr()[0]} ${s2.getaddr()[1]}`);
					s2.listen(0, "127.0.0.1");
					const [p, ip2] = s2.getaddr();
					log(`relisten ${p! > 0} ${ip2}`);
					s2.close();
					log("done");
				});
			}
		});
		s.send(peer, "127.0.0.1", "hello");
		const [port, ip] = s.getaddr();
		log(`bound ${port! > 0} ${ip}`);
		break;
	}

	// Argument checks of udpsocket methods.
	case "errors": {
		const s = net.createUDPSocket();
		attempt("close-unbound", () => s.close());
		attempt("send-port0", () => s.send(0, "127.0.0.1", "x"));
		attempt("send-noport", () => (s.send as Function)(undefined, "127.0.0.1", "x"));
		attempt("send-badport", () => s.send(70000, "127.0.0.1", "x"));
		attempt("send-badip", () => s.send(9, "localhost", "x"));
		attempt("send-badip2", () => s.send(9, "1.2.3.256", "x"));
		attempt("send-empty", () => s.send(9, "127.0.0.1", ""));
		attempt("send-badtype", () => s.send(9, "127.0.0.1", {} as unknown as string));
		attempt("send-toolarge", () => s.send(9, "127.0.0.1", new Uint8Array(1473)));
		attempt("send-badcb", () => s.send(9, "127.0.0.1", "x", 5 as unknown as () => void));
		attempt("on-badname", () => s.on("connection" as "sent", () => {}));
		attempt("on-badfn", () => s.on("receive", "f" as unknown as () => void));
		attempt("on-null", () => s.on("receive", null));
		attempt("on-undefined", () => s.on("sent", undefined));
		attempt("format-bad", () => { s.format = "text" as "string"; });
		attempt("listen-badip", () => s.listen(0, "0.0.0"));
		attempt("listen-badport", () => s.listen(-1));
		attempt("listen", () => s.listen());
		attempt("listen-again", () => s.listen(0));
		attempt("dns-noname", () => (s.dns as Function)());
		attempt("dns-nocb", () => s.dns("example.test"));
		attempt("ttl", () => s.ttl());
		attempt("close", () => s.close());
		break;
	}

	default:
		log(`unknown mode ${mode}`);
}
