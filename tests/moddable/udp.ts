// UDP on Moddable (tools/check-moddable.js plays the peer): the socket listens on a port, echoes what it
// receives to the sender, and greets the peer at start.
//   "config": { "xsnetCheck": { "port": <own port>, "peerPort": <the peer's port> } }
import net from "nodemcu/net";
import config from "mc/config";

const { port, peerPort } = config.xsnetCheck as { port: number; peerPort: number };
const log = (line: string) => trace(line + "\n");

const udp = net.createUDPSocket();
udp.listen(port, "127.0.0.1");
let sent = 0;
udp.on("receive", (s, data, rport, rip) => {
	log(`check: received ${JSON.stringify(String(data))} from ${rip}:${rport}`);
	s.send(rport, rip, `echo:${data}`);
});
udp.on("sent", () => { sent++; log(`check: sent ${sent}`); });
const [bport, bip] = udp.getaddr();
log(`check: udp bound ${bip}:${bport}`);
udp.send(peerPort, "127.0.0.1", "hello from moddable");
