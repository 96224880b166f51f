// lwIP-only checks for tests/sim-lwip.test.js (the simulator on XSNET_SIM_STACK=lwip). args[0] = scenario:
//   bulk <port>            a nodemcu/net client receives what the peer sends until it closes; prints
//                          "bulk <events> <largest event> <bytes>"
//   stall <port> <ms>      holds the connection from its start for <ms>, then unholds; prints "held <bytes received
//                          while held>" and, when the peer has closed, "total <bytes>"
import net from "nodemcu/net";
import args from "xsnet-sim/args";

const log = (line: string) => trace(line + "\n");
const mode = args[0];
const port = Number(args[1]);
const size = (data: string | ArrayBuffer) => (typeof data === "string" ? data.length : data.byteLength);

switch (mode) {
	case "bulk": {
		let events = 0, largest = 0, bytes = 0;
		const s = net.createConnection();
		s.on("receive", (_s, data) => {
			events++;
			largest = Math.max(largest, size(data));
			bytes += size(data);
		});
		s.on("disconnection", () => log(`bulk ${events} ${largest} ${bytes}`));
		s.connect(port, "127.0.0.1");
		break;
	}
	case "stall": {
		let bytes = 0;
		const s = net.createConnection();
		s.on("connection", (c) => {
			c.hold();
			c.send("ready\n");
			setTimeout(() => {
				log(`held ${bytes}`);
				c.unhold();
			}, Number(args[2]));
		});
		s.on("receive", (_s, data) => { bytes += size(data); });
		s.on("disconnection", () => log(`total ${bytes}`));
		s.connect(port, "127.0.0.1");
		break;
	}
	default:
		log(`unknown mode ${mode}`);
}
