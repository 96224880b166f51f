// LuatOS's task style on Moddable (tools/check-moddable.js plays the server): a sys.taskInitEx task connects with
// libnet, sends 32 KiB + "end\n" in one tx, reads the echo into a zbuff until every byte came back, closes; then a
// connect to a closed port fails as libnet.lua's does.
//   "config": { "xsnetCheck": { "port": <echo server port>, "closedPort": <a port nobody listens on> } }
import socket from "luatos/socket";
import libnet from "luatos/libnet";
import sys from "luatos/sys";
import zbuff from "luatos/zbuff";
import config from "mc/config";

const { port, closedPort } = config.xsnetCheck as { port: number; closedPort: number };
const log = (line: string) => trace(line + "\n");
const TASK = "check_task";
const payload = "0123456789abcdef".repeat(2048) + "end\n";

sys.taskInitEx(async () => {
	const buf = zbuff.create(2048)!;
	const netc = socket.create(undefined, TASK)!;
	log(`check: luatos connect ${await libnet.connect(TASK, 15000, netc, "127.0.0.1", port)}`);
	const [sentOk] = await libnet.tx(TASK, 15000, netc, payload);
	let echoed = "";
	while (echoed.length < payload.length) {
		const [ok] = await libnet.wait(TASK, 15000, netc);
		if (!ok) break;
		socket.rx(netc, buf);
		echoed += buf.query() ?? "";
		buf.del();
	}
	log(`check: luatos tx ${sentOk} echoed ${echoed.length} same ${echoed === payload}`);
	await libnet.close(TASK, 5000, netc);
	const refused = await libnet.connect(TASK, 15000, netc, "127.0.0.1", closedPort);
	log(`check: luatos refused ${refused} state ${socket.state(netc)?.[0]}`);
	socket.release(netc);
	log("check: done");
}, TASK, () => {});
