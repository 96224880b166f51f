// What a board's TLS (the SDK's ssl/session through xsnet's modules/tls) refuses, measured for the simulator to
// refuse the same (hosts/sim/js/tls.js). tools/check-moddable.js plays one Node TLS server per case; each case
// connects to 127.0.0.1 with nodemcu/tls and prints "check: <name> connected" or "check: <name> refused <err>".
//   "config": { "xsnetCheck": { "cases": [{ "name", "port", "ca": <PEM> | false }] } }
import tls from "nodemcu/tls";
import config from "mc/config";

interface Case { name: string; port: number; ca: string | false }
const { cases } = config.xsnetCheck as { cases: Case[] };
const log = (line: string) => trace(line + "\n");

function run(i: number): void {
	if (i >= cases.length) {
		log("check: done");
		return;
	}
	const c = cases[i];
	tls.cert.verify(c.ca);
	const s = tls.createConnection();
	let over = false;
	const next = (text: string) => {
		if (over) return;
		over = true;
		log(`check: ${c.name} ${text}`);
		run(i + 1);
	};
	s.on("connection", (sock) => {
		sock.close();
		next("connected");
	});
	s.on("reconnection", (_s, err) => next(`refused ${err}`));
	s.on("disconnection", (_s, err) => next(`refused ${err}`));
	s.connect(c.port, "127.0.0.1");
}

run(0);
