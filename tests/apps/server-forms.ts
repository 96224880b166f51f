// net.createServer's argument forms, for tests/net-server-forms.test.js:
//   forms: the type and timeout each form gives
//   silent <form>: a server made by that form ("tcp" = createServer(net.TCP), "2" = createServer(2)) whose client
//     sends nothing; prints "listening <port>", then "disconnection <err> after <s>" when the timeout drops it,
//     then closes the server.
import net, { NetServer, NetUDPSocket } from "nodemcu/net";
import args from "xsnet-sim/args";

const log = (line: string) => trace(line + "\n");
const any = (v: unknown) => v as any;
const describe = (v: unknown) => v instanceof NetServer ? `server ${v.timeout}` : v instanceof NetUDPSocket ? "udpsocket" : typeof v;
function attempt(label: string, fn: () => unknown) {
	try {
		log(`${label} ${describe(fn())}`);
	}
	catch (e) {
		log(`${label} ${(e as Error).message}`);
	}
}

switch (args[0]) {
	case "forms": {
		attempt("()", () => net.createServer());
		attempt("(TCP)", () => net.createServer(net.TCP));
		attempt("(1)", () => net.createServer(1));
		attempt("(2)", () => net.createServer(2));
		attempt("(UDP)", () => net.createServer(net.UDP));
		attempt("(5)", () => net.createServer(5));
		attempt("(undefined)", () => net.createServer(undefined));
		attempt("(TCP, 1)", () => net.createServer(net.TCP, 1));
		attempt("(TCP, 30)", () => net.createServer(net.TCP, 30));
		attempt("(TCP, undefined)", () => net.createServer(net.TCP, undefined));
		attempt("(UDP, 5)", () => net.createServer(net.UDP, 5));
		attempt("(0)", () => net.createServer(0));
		attempt("(3, 5)", () => net.createServer(any(3), 5));
		break;
	}
	case "silent": {
		const srv = args[1] === "tcp" ? net.createServer(net.TCP) : net.createServer(Number(args[1]));
		srv.listen(0, "127.0.0.1", (conn) => {
			const start = Date.now();
			conn.on("disconnection", (_s, err) => {
				log(`disconnection ${err} after ${((Date.now() - start) / 1000).toFixed(1)}`);
				srv.close();
			});
			conn.on("receive", (s, data) => {
				log(`receive ${data}`);
				s.close();
				srv.close();
			});
		});
		log(`listening ${srv.getaddr()[0]}`);
		break;
	}
	default:
		log(`unknown mode ${args[0]}`);
}
