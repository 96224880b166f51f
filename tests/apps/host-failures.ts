// What the simulator's host calls do when the system refuses them, for tests/sim-host-failures.test.js:
//   multicast: net.multicastJoin with interfaces that exist and that do not, with and without a UDP socket open
//   multicast-any: net.multicastJoin("0.0.0.0", ...) (fails where no route carries multicast)
//   unreachable <port>: connections to 127.0.0.1 when nothing routes there (a network namespace with lo down)
import net from "nodemcu/net";
import TCP from "embedded:io/socket/tcp";
import UDP from "embedded:io/socket/udp";
import args from "xsnet-sim/args";

const log = (line: string) => trace(line + "\n");
function attempt(label: string, fn: () => unknown) {
	try {
		fn();
		log(`${label} ok`);
	}
	catch (e) {
		log(`${label} ${(e as Error).name}: ${(e as Error).message}`);
	}
}

switch (args[0]) {
	case "multicast": {
		attempt("no-socket bad-if", () => net.multicastJoin("10.9.9.9", "239.1.2.3"));
		attempt("no-socket lo", () => net.multicastJoin("127.0.0.1", "239.1.2.4"));
		const u = new UDP({ port: 0 });
		attempt("socket bad-if", () => net.multicastJoin("10.9.9.9", "239.1.2.5"));
		attempt("socket lo", () => net.multicastJoin("127.0.0.1", "239.1.2.6"));
		attempt("socket lo again", () => net.multicastJoin("127.0.0.1", "239.1.2.6"));
		attempt("leave lo", () => net.multicastLeave("127.0.0.1", "239.1.2.6"));
		attempt("leave never joined", () => net.multicastLeave("10.9.9.9", "239.1.2.5"));
		u.close();
		attempt("closed bad-if", () => net.multicastJoin("10.9.9.9", "239.1.2.7"));
		net.multicastLeave("127.0.0.1", "239.1.2.4");
		break;
	}
	case "multicast-any": {
		attempt("any", () => net.multicastJoin("any", "239.1.2.8"));
		break;
	}
	case "unreachable": {
		const port = Number(args[1]);
		const sck = net.createConnection();
		sck.on("disconnection", (_s, error) => {
			log(`nodemcu disconnection ${error}`);
			const raw = new TCP({
				address: "127.0.0.1", port,
				onWritable() { log("raw connected"); },
				onError(code?: number) { log(`raw onError ${code}`); raw.close(); },
			});
		});
		sck.connect(port, "127.0.0.1");
		break;
	}
	default:
		log(`unknown mode ${args[0]}`);
}
