// A nodemcu/net server for tests/sim-emfile.test.js, run with few descriptors (RLIMIT_NOFILE): every accepted
// client gets "hello <n>\n"; a client that sends "bye" is closed, which frees its descriptor. Prints
// "listening <port>" first.
import net from "nodemcu/net";

let served = 0;
const srv = net.createServer(net.TCP, 60);
srv.listen(0, "127.0.0.1", (conn) => {
	served++;
	conn.send(`hello ${served}\n`);
	conn.on("receive", (sck, payload) => {
		const data = String(payload);
		if (data.includes("bye")) sck.close();
		if (data.includes("stop")) {
			sck.close();
			srv.close();
		}
	});
});
trace(`listening ${srv.getaddr()[0]}\n`);
