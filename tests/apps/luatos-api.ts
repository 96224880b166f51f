// luatos/socket's argument checks, invalid ctrls and the functions without a connection, for
// tests/luatos-api.test.js. args[0] = scenario.
import socket, * as named from "luatos/socket";
import zbuff from "luatos/zbuff";
// PEM-shaped text for config()'s argument checks (the TLS tests use real certificates: tests/luatos-tls.test.js)
const CERT = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
const KEY = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
import args from "xsnet-sim/args";

const log = (line: string) => trace(line + "\n");
const show = (v: unknown) => JSON.stringify(v, (_k, x) => x === undefined ? "nil" : x);

function attempt(label: string, fn: () => unknown) {
	try {
		log(`${label} -> ${show(fn())}`);
	}
	catch (e) {
		log(`${label} ${(e as Error).name}: ${(e as Error).message}`);
	}
}

switch (args[0]) {
	case "constants": {
		log(`adapters ${socket.LWIP_GP} ${socket.LWIP_STA} ${socket.LWIP_AP} ${socket.LWIP_ETH} ${socket.ETH0} ${socket.USB}`);
		log(`events ${[socket.LINK, socket.ON_LINE, socket.TX_OK, socket.CLOSED, socket.EVENT].map((e) => "0x" + e.toString(16)).join(" ")}`);
		const names = Object.keys(socket).filter((k) => typeof (socket as Record<string, unknown>)[k] === "function");
		log(`named-same ${names.every((k) => (named as Record<string, unknown>)[k] === (socket as Record<string, unknown>)[k])} ${names.length}`);
		log(`frozen ${Object.isFrozen(socket)}`);
		break;
	}

	// Adapters, the default adapter, local addresses, DNS servers, TLS.
	case "adapters": {
		attempt("adapter()", () => socket.adapter());
		attempt("adapter(STA)", () => socket.adapter(socket.LWIP_STA));
		attempt("adapter(AP)", () => socket.adapter(socket.LWIP_AP));
		attempt("adapter(99)", () => socket.adapter(99));
		attempt("dft()", () => socket.dft());
		attempt("create(AP)", () => socket.create(socket.LWIP_AP, () => {}));
		attempt("create(99)", () => socket.create(99, "task"));
		attempt("create(-1)", () => socket.create(-1, "task"));
		attempt("localIP(AP)", () => socket.localIP(socket.LWIP_AP));
		const [ip, mask, gw] = socket.localIP();
		log(`localIP() ${/^\d+\.\d+\.\d+\.\d+$/.test(ip!)} ${/^\d+\.\d+\.\d+\.\d+$/.test(mask!)} ${/^\d+\.\d+\.\d+\.\d+$/.test(gw!)}`);
		attempt("dft(AP)", () => socket.dft(socket.LWIP_AP));
		attempt("create(nil) on AP", () => socket.create(undefined, "task"));
		attempt("setDNS(nil) on AP", () => socket.setDNS(undefined, 1, "127.0.0.1"));
		attempt("dft(STA)", () => socket.dft(socket.LWIP_STA));
		attempt("dft(99)", () => socket.dft(99));
		attempt("setDNS(nil,1,ip)", () => socket.setDNS(undefined, 1, "127.0.0.53"));
		attempt("setDNS(STA,2,int)", () => socket.setDNS(socket.LWIP_STA, 2, 0x7F000036));
		attempt("setDNS(STA,3,ip)", () => socket.setDNS(socket.LWIP_STA, 3, "127.0.0.1"));
		attempt("setDNS(STA,0,ip)", () => socket.setDNS(socket.LWIP_STA, 0, "127.0.0.1"));
		attempt("setDNS(STA,1,bad)", () => socket.setDNS(socket.LWIP_STA, 1, "not an ip"));
		attempt("setDNS(AP,1,ip)", () => socket.setDNS(socket.LWIP_AP, 1, "127.0.0.1"));
		attempt("sslLog(2)", () => socket.sslLog(2));
		const c = socket.create(undefined, () => {})!;
		attempt("config tls", () => socket.config(c, undefined, undefined, true));
		attempt("config tls bad cert", () => socket.config(c, 0, false, true, 0, 0, 0, "no PEM here"));
		attempt("config tls password", () => socket.config(c, 0, false, true, 0, 0, 0, undefined, CERT, KEY, "secret"));
		attempt("config udp port", () => socket.config(c, 65535, true, false, undefined, undefined, undefined, undefined));
		attempt("config keepalive", () => socket.config(c, 0, false, false, 300, 10, 3));
		attempt("linkup", () => socket.linkup(c));
		attempt("state", () => socket.state(c));
		attempt("debug", () => socket.debug(c, true));
		attempt("release", () => socket.release(c));
		attempt("release again", () => socket.release(c));
		break;
	}

	// Invalid ctrls (undefined, null, released) give nothing, as LuatOS.
	case "invalid": {
		const released = socket.create(undefined, "t")!;
		socket.release(released);
		const buf = zbuff.create(4)!;
		for (const [label, c] of [["nil", undefined], ["null", null], ["released", released]] as const) {
			log(`${label}: state ${show(socket.state(c))} config ${show(socket.config(c))} linkup ${show(socket.linkup(c))} ` +
				`connect ${show(socket.connect(c, "127.0.0.1", 1))} discon ${show(socket.discon(c))} close ${show(socket.close(c))} ` +
				`tx ${show(socket.tx(c, "x"))} rx ${show(socket.rx(c, buf))} read ${show(socket.read(c))} wait ${show(socket.wait(c))} ` +
				`listen ${show(socket.listen(c))} accept ${show(socket.accept(c))} release ${show(socket.release(c))} ` +
				`debug ${show(socket.debug(c, true))} remoteIP ${show(socket.remoteIP(c))}`);
		}
		break;
	}

	// Wrong argument types: TypeError naming the argument; out-of-range ports: RangeError.
	case "types": {
		const c = socket.create(undefined, () => {})!;
		attempt("create(adapter 'x')", () => socket.create("x" as never));
		attempt("create(adapter 1.5)", () => socket.create(1.5));
		attempt("create(cb 5)", () => socket.create(undefined, 5 as never));
		attempt("create(adapter '2')", () => String(socket.create("2" as never)).startsWith("NWCTRL*"));
		attempt("state(5)", () => socket.state(5 as never));
		attempt("state({})", () => socket.state({} as never));
		attempt("debug(onoff 1)", () => socket.debug(c, 1 as never));
		attempt("config(localPort 'x')", () => socket.config(c, "x" as never));
		attempt("config(localPort 70000)", () => socket.config(c, 70000));
		attempt("config(isUdp 1)", () => socket.config(c, 0, 1 as never));
		attempt("config(isTls 'yes')", () => socket.config(c, 0, false, "yes" as never));
		attempt("config(keepIdle true)", () => socket.config(c, 0, false, false, true as never));
		attempt("config(serverCert 1)", () => socket.config(c, 0, false, false, 0, 0, 0, 1 as never));
		attempt("connect(host true)", () => socket.connect(c, true as never, 80));
		attempt("connect(port nil)", () => socket.connect(c, "127.0.0.1", undefined as never));
		attempt("connect(port 'x')", () => socket.connect(c, "127.0.0.1", "x" as never));
		attempt("connect(port 65536)", () => socket.connect(c, "127.0.0.1", 65536));
		attempt("connect(ipv6dns 1)", () => socket.connect(c, "127.0.0.1", 80, 1 as never));
		attempt("tx(data nil)", () => socket.tx(c, undefined as never));
		attempt("tx(data {})", () => socket.tx(c, {} as never));
		attempt("tx(ip true)", () => socket.tx(c, "x", true as never));
		attempt("tx(port 'x')", () => socket.tx(c, "x", "127.0.0.1", "x" as never));
		attempt("tx(flag 'x')", () => socket.tx(c, "x", undefined, undefined, "x" as never));
		attempt("rx(buff 'x')", () => socket.rx(c, "x" as never));
		attempt("rx(buff ArrayBuffer)", () => socket.rx(c, new ArrayBuffer(4) as never));
		attempt("rx(limit 'x')", () => socket.rx(c, undefined, 0, "x" as never));
		attempt("rx(limit -1)", () => socket.rx(c, undefined, 0, -1));
		attempt("read(limit {})", () => socket.read(c, {} as never));
		attempt("listen(backlog 'x')", () => socket.listen(c, "x" as never));
		attempt("accept(cb 5)", () => socket.accept(c, 5 as never));
		attempt("setDNS(index 'x')", () => socket.setDNS(undefined, "x" as never, "127.0.0.1"));
		attempt("setDNS(ip nil)", () => socket.setDNS(undefined, 1, undefined as never));
		attempt("sslLog('x')", () => socket.sslLog("x" as never));
		attempt("localIP('x')", () => socket.localIP("x" as never));
		attempt("adapter(true)", () => socket.adapter(true as never));
		attempt("dft('x')", () => socket.dft("x" as never));
		attempt("still usable", () => socket.state(c));
		socket.release(c);
		break;
	}
}
