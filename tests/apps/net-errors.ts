// Argument checks and call forms of nodemcu/net's module functions, net.socket and net.server, for
// tests/net-errors.test.js. Each line: "<label> ok [result]" or "<label> <error message>".
import net, { NetSocket, NetServer, NetUDPSocket } from "nodemcu/net";
import args from "xsnet-sim/args";

const log = (line: string) => trace(line + "\n");
const any = (v: unknown) => v as any;

function attempt(label: string, fn: () => unknown) {
	try {
		const r = fn();
		log(r === undefined ? `${label} ok` : `${label} ok ${r}`);
	}
	catch (e) {
		log(`${label} ${(e as Error).message}`);
	}
}

const kind = (v: unknown) => v instanceof NetSocket ? "socket" : v instanceof NetServer ? "server" :
	v instanceof NetUDPSocket ? "udpsocket" : typeof v;

// module
attempt("constants", () => `${net.TCP} ${net.UDP}`);
attempt("createConnection()", () => kind(net.createConnection()));
attempt("createConnection(TCP)", () => kind(net.createConnection(net.TCP)));
attempt("createConnection(TCP, 0)", () => kind(net.createConnection(net.TCP, 0)));
attempt("createConnection(UDP)", () => kind(net.createConnection(net.UDP)));
attempt("createConnection(TCP, 1)", () => kind(net.createConnection(net.TCP, 1)));
attempt("createConnection(3)", () => net.createConnection(3));
attempt("createServer()", () => `${kind(net.createServer())} ${net.createServer().timeout}`);
attempt("createServer(30)", () => `${kind(net.createServer(30))} ${net.createServer(30).timeout}`);
attempt("createServer(TCP, 30)", () => `${kind(net.createServer(net.TCP, 30))} ${net.createServer(net.TCP, 30).timeout}`);
attempt("createServer(TCP, undefined)", () => net.createServer(net.TCP, undefined).timeout);
attempt("createServer(UDP, 5)", () => kind(net.createServer(net.UDP, 5)));
attempt("createServer(3, 5)", () => net.createServer(any(3), 5));
attempt("createServer(0)", () => net.createServer(0));
attempt("createServer(28801)", () => net.createServer(28801));
attempt("createServer('30')", () => net.createServer(any("30")).timeout);
attempt("createServer('3e1')", () => net.createServer(any("3e1")));
attempt("createUDPSocket()", () => kind(net.createUDPSocket()));
attempt("ifinfo", () => net.ifinfo("x" as unknown as number));
attempt("ping", () => (net.ping as (...a: unknown[]) => void)("127.0.0.1"));
attempt("multicastJoin", () => net.multicastJoin("any", "10.0.0.1"));
attempt("frozen", () => Object.isFrozen(net) && Object.isFrozen(net.dns));

// net.socket
const s = net.createConnection();
attempt("on-bad-name", () => s.on(any("data"), () => {}));
attempt("on-not-string", () => s.on(any(1), () => {}));
attempt("on-bad-fn", () => s.on("receive", any(42)));
for (const e of ["connection", "reconnection", "disconnection", "receive", "sent", "dns"])
	attempt(`on-${e}`, () => s.on(e, () => {}));
attempt("on-remove-null", () => s.on("receive", null));
attempt("on-remove-undefined", () => s.on("receive", undefined));
attempt("send-unconnected", () => s.send("x"));
attempt("close-unconnected", () => s.close());
attempt("getpeer-unconnected", () => JSON.stringify(s.getpeer()));
attempt("getaddr-unconnected", () => JSON.stringify(s.getaddr()));
attempt("connect-noport", () => any(s).connect());
attempt("connect-port0", () => s.connect(0, "127.0.0.1"));
attempt("connect-bigport", () => s.connect(65536, "127.0.0.1"));
attempt("connect-floatport", () => s.connect(80.5, "127.0.0.1"));
attempt("connect-textport", () => s.connect(any("http"), "127.0.0.1"));
attempt("connect-host-type", () => s.connect(80, any(127)));
attempt("connect-host-empty", () => s.connect(80, ""));
attempt("connect-host-long", () => s.connect(80, "a".repeat(256)));
attempt("connect-bad-fn", () => s.connect(80, "127.0.0.1", any("fn")));
attempt("format-default", () => s.format);
attempt("format-bad", () => { s.format = any("utf8"); });
attempt("format-buffer", () => { s.format = "buffer"; return s.format; });
attempt("dns-noname", () => any(s).dns());
attempt("dns-empty", () => s.dns("", () => {}));
attempt("dns-bad-fn", () => s.dns("example.test", any(1)));
attempt("hold-unconnected", () => s.hold());
attempt("unhold-unconnected", () => s.unhold());
attempt("ttl", () => s.ttl(1));
const t = net.createConnection();
attempt("dns-nocb", () => t.dns("example.test"));
attempt("send-nodata-check-first", () => t.send(""));
attempt("send-badtype", () => t.send(any({})));
attempt("send-badcb", () => t.send("x", any(true)));

// a connection attempt in progress
const c = net.createConnection();
c.on("reconnection", (_s, err) => log(`c reconnection ${err}`));
attempt("connect-ok", () => c.connect(Number(args[0]), "127.0.0.1"));
attempt("connect-twice", () => c.connect(Number(args[0]), "127.0.0.1"));
attempt("send-while-connecting", () => c.send("queued"));
attempt("send-empty-while-connecting", () => c.send(""));
attempt("close-while-connecting", () => c.close());
attempt("close-again", () => c.close());

// net.server
const srv = net.createServer();
attempt("srv-close-unlistened", () => srv.close());
attempt("srv-getaddr-unlistened", () => JSON.stringify(srv.getaddr()));
attempt("srv-listen-nofn", () => srv.listen(0, "127.0.0.1", any(undefined)));
attempt("srv-listen-nofn2", () => any(srv).listen(0));
attempt("srv-listen-badip", () => srv.listen(0, "256.0.0.1", () => {}));
attempt("srv-listen-name", () => srv.listen(0, "localhost", () => {}));
attempt("srv-listen-badport", () => srv.listen(65536, () => {}));
attempt("srv-listen-negport", () => srv.listen(-5, () => {}));
attempt("srv-listen-fnonly", () => srv.listen(() => {}));
attempt("srv-listen-again", () => srv.listen(() => {}));
attempt("srv-close", () => srv.close());
attempt("srv-close-again", () => srv.close());
attempt("srv-relisten", () => srv.listen("127.0.0.1", () => {}));
attempt("srv-close-3", () => srv.close());
