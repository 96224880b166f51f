// The cases of app tls-limits (tests/moddable/tls-limits.ts, run on Moddable) in the simulator, for
// tests/tls-limits.test.js. args: triples name, port, CA PEM ("-": verification off). Each case connects to
// 127.0.0.1 with nodemcu/tls and prints "<name> connected" or "<name> refused <err>"; exits when done.
import tls from "nodemcu/tls";
import args from "xsnet-sim/args";

const log = (line: string) => trace(line + "\n");

function run(i: number): void {
	if (i + 3 > args.length) return;
	const [name, port, ca] = args.slice(i, i + 3);
	tls.cert.verify(ca === "-" ? false : ca);
	const s = tls.createConnection();
	let over = false;
	const next = (text: string) => {
		if (over) return;
		over = true;
		log(`${name} ${text}`);
		run(i + 3);
	};
	s.on("connection", (sock) => {
		sock.close();
		next("connected");
	});
	s.on("reconnection", (_s, err) => next(`refused ${err}`));
	s.on("disconnection", (_s, err) => next(`refused ${err}`));
	s.connect(Number(port), "127.0.0.1");
}

run(0);
