// DNS on Moddable (tools/check-moddable.js runs dnsmasq on a loopback address and a TCP server): set the DNS
// server, resolve names, and connect to the server by name.
//   "config": { "xsnetCheck": { "dns": "127.x.y.z", "port": <server port> } }
// dnsmasq answers example.test -> 127.0.0.1, alias.test -> CNAME target.test -> 127.0.0.7, other *.test: NXDOMAIN.
import net from "nodemcu/net";
import config from "mc/config";

const { dns, port } = config.xsnetCheck as { dns: string; port: number };
const log = (line: string) => trace(line + "\n");

net.dns.setdnsserver(dns, 0);
log(`check: dns server ${net.dns.getdnsserver(0)}`);

const names = ["example.test", "alias.test", "missing.test"];
let i = 0;
function next(): void {
	if (i === names.length) {
		connectByName();
		return;
	}
	const name = names[i++];
	net.dns.resolve(name, (_sk, ip) => {
		log(`check: resolve ${name} ${ip}`);
		next();
	});
}
next();

function connectByName(): void {
	const s = net.createConnection(net.TCP, 0);
	s.on("connection", (sck) => {
		const [rport, rip] = sck.getpeer();
		log(`check: connected by name to ${rip}:${rport}`);
		sck.send("by name\n");
	});
	s.on("receive", (_sck, data) => log(`check: reply ${JSON.stringify(String(data))}`));
	s.on("disconnection", (_sck, err) => {
		log(`check: disconnection ${err}`);
		log("check: done");
	});
	s.on("reconnection", (_sck, err) => log(`check: connect failed ${err}`));
	s.connect(port, "example.test");
}
