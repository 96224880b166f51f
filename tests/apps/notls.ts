// A build without TLS (its manifest includes xsnet's manifest.json, not manifest_tls.json): asking for TLS gives
// the clear error naming what to include, and the VM goes on. Run by tests/tls-optin.test.js in the simulator (a
// module map without manifest_tls.json) and by tools/check-moddable.js (app "notls") on Moddable.
import net from "nodemcu/net";
import socket from "luatos/socket";

const log = (line: string) => trace(line + "\n");
try {
	net.createConnection(net.TCP, 1);
	log("check: nodemcu no error");
}
catch (e) {
	log(`check: nodemcu ${(e as Error).message}`);
}
const ctrl = socket.create(undefined, () => {});
log(`check: luatos config ${socket.config(ctrl, 0, false, true)}`);
log(`check: plain ${net.createConnection(net.TCP, 0) ? "ok" : "none"}`);
log("check: done");
