// TLS on Moddable (tools/check-moddable.js plays the servers): nodemcu/tls over the SDK's ssl/session through
// xsnet's modules/tls. A server whose certificate our CA signed: "connection", data both ways, the server's close;
// a server with a certificate from another CA: refused with -28 and no "connection", through
// net.createConnection(net.TCP, 1) (nodemcu/net finds the preloaded nodemcu/tls with Moddable's modules module).
//   "config": { "xsnetCheck": { "port": <good server>, "roguePort": <untrusted server>, "ca": <CA PEM> } }
import tls from "nodemcu/tls";
import net from "nodemcu/net";
import config from "mc/config";

const { port, roguePort, ca } = config.xsnetCheck as { port: number; roguePort: number; ca: string };
const log = (line: string) => trace(line + "\n");

log(`check: verify ${tls.cert.verify(ca)}`);
const sock = tls.createConnection();
let reply = "";
sock.on("connection", (s) => {
	log("check: connected");
	s.send("hello");
});
sock.on("receive", (_s, data) => { reply += String(data); });
sock.on("disconnection", (_s, err) => {
	log(`check: reply ${JSON.stringify(reply)} err ${err}`);
	rogue();
});
sock.on("reconnection", (_s, err) => log(`check: failed ${err}`));
sock.connect(port, "127.0.0.1");

function rogue() {
	const s = net.createConnection(net.TCP, 1);
	s.on("connection", () => log("check: rogue connected"));
	s.on("reconnection", (_s, err) => {
		log(`check: rogue refused ${err}`);
		log("check: done");
	});
	s.connect(roguePort, "127.0.0.1");
}
