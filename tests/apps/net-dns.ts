// nodemcu/net name resolution scenarios for tests/net-dns.test.js (DNS server given with the simulator's --dns).
import net from "nodemcu/net";
import args from "xsnet-sim/args";

const log = (line: string) => trace(line + "\n");
const mode = args[0];

function attempt(label: string, fn: () => unknown) {
	try {
		const r = fn();
		log(`${label} ok ${r}`);
	}
	catch (e) {
		log(`${label} ${(e as Error).message}`);
	}
}

switch (mode) {
	// net.dns.resolve, socket:dns and udpsocket:dns, one after the other.
	case "resolve": {
		log(`servers ${net.dns.getdnsserver()} ${net.dns.getdnsserver(0)} ${net.dns.getdnsserver(1)}`);
		const names = ["example.test", "www.example.test", "alias2.test", "missing.test", "other.invalid", "127.0.0.5"];
		let i = 0;
		const next = () => {
			if (i === names.length) {
				viaSockets();
				return;
			}
			const name = names[i++];
			let returned = false;
			net.dns.resolve(name, (sk, ip) => {
				log(`resolve ${name} ${sk} ${ip} async ${returned}`);
				next();
			});
			returned = true;
		};
		const viaSockets = () => {
			const tcp = net.createConnection();
			tcp.dns("example.test", (s, ip) => {
				log(`socket dns ${s === tcp} ${ip}`);
				const udp = net.createUDPSocket();
				udp.on("dns", (u, ip2) => {
					log(`udpsocket dns ${u === udp} ${ip2}`);
					udp.dns("missing.test");   // the registered callback again
					udp.on("dns", (_u, ip3) => log(`udpsocket dns again ${ip3}`));
				});
				udp.dns("alias.test");
			});
		};
		next();
		break;
	}

	// connect() by name: dns event, then connection; an unresolvable name gives an error event.
	case "connect": {
		const port = Number(args[1]);
		const a = net.createConnection();
		a.on("dns", (_s, ip) => log(`a dns ${ip}`));
		a.on("connection", (s) => {
			log(`a connection ${s.getpeer()[1]}`);
			s.close();
			const b = net.createConnection();
			b.on("dns", (_s2, ip) => log(`b dns ${ip}`));
			b.on("reconnection", (s2, err) => {
				log(`b reconnection ${err}`);
				s2.on("reconnection", null);
				s2.connect(port, "missing.test");
			});
			b.on("disconnection", (s2, err) => {
				log(`b disconnection ${err} ${s2.getpeer()[0]}`);
				// a socket that failed to resolve can connect again, to a good name
				s2.on("disconnection", null);
				s2.on("connection", (s3) => {
					log(`b connection ${s3.getpeer()[1]}`);
					s3.close();
					log("done");
				});
				s2.connect(port, "www.example.test");
			});
			b.connect(port, "missing.test");
			log(`b resolving ${b.getpeer()[0] === port} ${b.getpeer()[1]}`);
		});
		a.connect(port, "example.test");
		break;
	}

	// No DNS server answers: the lookup gives up after lwIP's schedule (7 s per server), error -3.
	case "timeout": {
		const port = Number(args[1]);
		const a = net.createConnection();
		a.on("dns", (_s, ip) => log(`dns ${ip}`));
		a.on("disconnection", (_s, err) => log(`disconnection ${err}`));
		a.connect(port, "example.test");
		break;
	}

	// net.dns.setdnsserver / getdnsserver; no server configured -> resolution fails at once.
	case "servers": {
		attempt("get", () => net.dns.getdnsserver(0));
		attempt("get-1", () => net.dns.getdnsserver(1));
		attempt("get-2", () => net.dns.getdnsserver(2));
		attempt("get-neg", () => net.dns.getdnsserver(-1));
		attempt("set-bad", () => net.dns.setdnsserver("example.test"));
		attempt("set-any", () => net.dns.setdnsserver("0.0.0.0"));
		attempt("set-bcast", () => net.dns.setdnsserver("255.255.255.255", 1));
		attempt("set-index", () => net.dns.setdnsserver("127.0.0.9", 2));
		attempt("set-1", () => net.dns.setdnsserver("127.0.0.9", 1));
		attempt("get-1", () => net.dns.getdnsserver(1));
		attempt("port-1", () => net.dns.getdnsport(1));
		attempt("set-port", () => net.dns.setdnsserver("127.0.0.10:5353", 1));
		attempt("get-1", () => net.dns.getdnsserver(1));
		attempt("port-1", () => net.dns.getdnsport(1));
		attempt("port-0", () => net.dns.getdnsport());
		attempt("port-2", () => net.dns.getdnsport(2));
		attempt("resolve-nocb", () => net.dns.resolve("example.test", undefined as unknown as () => void));
		attempt("resolve-empty", () => net.dns.resolve("", () => {}));
		attempt("resolve-long", () => net.dns.resolve("a".repeat(256), () => {}));
		attempt("resolve-number", () => net.dns.resolve(5 as unknown as string, () => {}));
		break;
	}

	default:
		log(`unknown mode ${mode}`);
}
