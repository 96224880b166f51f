// A connection that may never complete (tests/sim-faults.test.js, XSNET_SIM_FAULTS=no-connect): connects to
// 127.0.0.1:args[0], reports "connection" if it comes, and after args[1] ms reports "waited" and closes the
// socket; the simulator then exits by itself when nothing is left pending.
import net from "nodemcu/net";
import args from "xsnet-sim/args";

const log = (line: string) => trace(line + "\n");
const sock = net.createConnection();
sock.on("connection", () => log("connection"));
sock.on("disconnection", (_s, err) => log(`disconnection ${err}`));
sock.on("reconnection", (_s, err) => log(`reconnection ${err}`));
sock.connect(Number(args[0]), "127.0.0.1");
setTimeout(() => {
	log("waited");
	sock.close();
}, Number(args[1]));
