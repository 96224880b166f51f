// A TCP server with an inactivity timeout on Moddable (tools/check-moddable.js drives it with curl and a silent
// client). Its settings come from the app manifest's "config" (mc/config), as a board's would:
//   "config": { "xsnetCheck": { "port": 8080, "timeout": 2 } }
import net from "nodemcu/net";
import config from "mc/config";

const { port, timeout } = config.xsnetCheck as { port: number; timeout: number };
const log = (line: string) => trace(line + "\n");

const srv = net.createServer(net.TCP, timeout);
let served = 0;
srv.listen(port, "127.0.0.1", (conn) => {
	conn.on("receive", (sck, payload) => {
		const line = String(payload).split("\r\n")[0];
		log(`check: request ${line}`);
		served++;
		sck.send(`HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nxsnet on Moddable, answer ${served}\n`);
	});
	conn.on("sent", (sck) => sck.close());
	conn.on("disconnection", (_sck, err) => log(`check: disconnection ${err}`));
});
log(`check: listening ${port} timeout ${timeout}`);
