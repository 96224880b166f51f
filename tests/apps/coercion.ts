// Argument coercion of every integer argument of nodemcu/net, for tests/net-coercion.test.js: each function is
// called with one base integer b and its variants (String(b), b + 0.5, NaN, Infinity, -1, "-1", " b", "0xb",
// "be0", "b.0", true, ""); prints one JSON line {f, v, r} per call (r: "ok" or "<ErrorClass>: <message>"), then
// "done" once every socket it made is closed. `args[0]`: a closed TCP/UDP port on 127.0.0.1.
import net from "nodemcu/net";
import args from "xsnet-sim/args";
import { check } from "./coercion-probe.js";

const closedPort = Number(args[0]);
const closers: (() => void)[] = [];

const noop = () => {};
check("socket:connect(port)", closedPort, (v) => {
	const s = net.createConnection();
	s.on("reconnection", noop);
	closers.push(() => s.close());
	s.connect(v, "127.0.0.1");
});
check("server:listen(port)", 0, (v) => {
	const srv = net.createServer();
	srv.listen(v, "127.0.0.1", noop);
	closers.push(() => srv.close());
});
check("udpsocket:listen(port)", 0, (v) => {
	const u = net.createUDPSocket();
	u.listen(v, "127.0.0.1");
	closers.push(() => u.close());
});
check("udpsocket:send(port)", closedPort, (v) => {
	const u = net.createUDPSocket();
	closers.push(() => { try { u.close(); } catch { /* never bound */ } });
	u.send(v, "127.0.0.1", "x");
});
const ttlSocket = net.createUDPSocket();
ttlSocket.listen(0, "127.0.0.1");
check("udpsocket:ttl(ttl)", 7, (v) => ttlSocket.ttl(v));
ttlSocket.close();
check("net.ping(count)", 1, (v) => net.ping("127.0.0.1", v, noop));
check("net.dns.getdnsserver(index)", 1, (v) => net.dns.getdnsserver(v));
check("net.dns.getdnsport(index)", 1, (v) => net.dns.getdnsport(v));
check("net.dns.setdnsserver(ip, index)", 1, (v) => net.dns.setdnsserver("127.0.0.1", v));
check("net.ifinfo(index)", 0, (v) => net.ifinfo(v));
check("net.createConnection(type)", 1, (v) => net.createConnection(v));
check("net.createConnection(type, secure)", 0, (v) => net.createConnection(net.TCP, v));
check("net.createServer(type, timeout)", 30, (v) => net.createServer(net.TCP, v));
check("net.createServer(timeout)", 30, (v) => net.createServer(v));
for (const close of closers) {
	try {
		close();
	}
	catch {
		// never opened (its call failed)
	}
}
trace("done\n");
