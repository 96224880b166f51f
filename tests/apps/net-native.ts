// net.ifinfo, net.multicastJoin/Leave and sock:ttl scenarios for tests/net-native.test.js.
//   ifinfo                       every index form, one line each
//   multicast IF                 argument errors, then a datagram to 239.1.2.3 is received after
//                                multicastJoin(IF, group) and not after multicastLeave(IF, group)
//   ttl UDP_PORT TCP_PORT        ttl() of UDP and TCP sockets, datagrams / bytes to the peer at those ports with
//                                different TTLs, the value read back from the host socket
import net from "nodemcu/net";
import type { NetSocket, NetUDPSocket } from "nodemcu/net";
import { ttl as hostTTL } from "xsnet/native";
import args from "xsnet-sim/args";

const log = (line: string) => trace(line + "\n");
const mode = args[0];

function attempt(label: string, fn: () => unknown) {
	try {
		const r = fn();
		log(`${label} ok ${r}`);
	}
	catch (e) {
		log(`${label} ${(e as Error).message}`);
	}
}

// The host socket behind a nodemcu socket (the UDP endpoint is a private field; a TCP socket is its own connection), to read the TTL back from the host.
const hostOfUDP = (u: NetUDPSocket) => (u as unknown as { endpoint: { hostSocket: object } }).endpoint.hostSocket;
const hostOfTCP = (s: NetSocket) => s.hostSocket!;
const readBack = (host: object) => hostTTL(host as Parameters<typeof hostTTL>[0]);

const anyIfinfo = net.ifinfo as unknown as (...a: unknown[]) => unknown;
const anyJoin = net.multicastJoin as unknown as (...a: unknown[]) => unknown;
const anyLeave = net.multicastLeave as unknown as (...a: unknown[]) => unknown;

if (mode === "ifinfo") {
	log(`default ${JSON.stringify(net.ifinfo())}`);
	const i = net.ifinfo(0)!;
	log(`0 ${JSON.stringify(i)}`);
	log(`0 gateway ${i.gateway} hwaddr ${typeof i.hwaddr} dhcp ${i.dhcp}`);
	log(`null ${JSON.stringify(anyIfinfo(null))}`);
	log(`"0" ${JSON.stringify(anyIfinfo("0"))}`);   // a decimal string is the integer (luaL_checkinteger)
	for (const index of [1, 2, -1, 2 ** 32]) log(`${index} ${anyIfinfo(index)}`);
	for (const [label, index] of [["fraction", 1.5], ["string", "0x0"], ["object", {}], ["nan", NaN]] as const)
		attempt(label, () => anyIfinfo(index));
}
else if (mode === "multicast") {
	const form = args[1];
	const group = "239.1.2.3";
	attempt("join-if-number", () => anyJoin(5, group));
	attempt("join-if-both-bad", () => anyJoin("x", 5));
	attempt("join-if-text", () => anyJoin("eth0", group));
	attempt("join-if-short", () => anyJoin("1.2.3", group));
	attempt("join-group-number", () => anyJoin("any", 5));
	attempt("join-group-missing", () => anyJoin(""));
	attempt("join-group-unicast", () => anyJoin("any", "10.0.0.1"));
	attempt("join-group-short", () => anyJoin("", "239.1.2"));
	attempt("join-group-class-e", () => anyJoin("0.0.0.0", "240.0.0.1"));
	attempt("leave-if-text", () => anyLeave("any interface", group));
	attempt("leave-group-unicast", () => anyLeave("any", "127.0.0.1"));
	attempt("leave-not-joined", () => net.multicastLeave("any", "239.9.9.9"));
	const rx = net.createUDPSocket();
	rx.listen(0);
	const [port] = rx.getaddr();
	const tx = net.createUDPSocket();
	attempt("join", () => net.multicastJoin(form, group));
	attempt("join-again", () => net.multicastJoin(form, group));
	rx.on("receive", (_s, data, _port, ip) => {
		log(`received ${data} from ${ip}`);
		if (data === "to the group") {
			attempt("leave", () => net.multicastLeave(form, group));
			tx.send(port!, group, "after leave");
			tx.send(port!, "127.0.0.1", "marker");
		}
		else if (data === "marker") {
			rx.close();
			tx.close();
		}
	});
	tx.send(port!, group, "to the group");
}
else if (mode === "ttl") {
	const udpPort = Number(args[1]), tcpPort = Number(args[2]);
	// UDP
	const u = net.createUDPSocket();
	attempt("udp-unbound", () => u.ttl());
	u.listen(0, "127.0.0.1");
	attempt("udp-default", () => u.ttl());
	attempt("udp-set-7", () => u.ttl(7));
	attempt("udp-get", () => u.ttl());
	attempt("udp-minus-1", () => u.ttl(-1));
	attempt("udp-300", () => u.ttl(300));
	attempt("udp-minus-2", () => u.ttl(-2));
	attempt("udp-string", () => u.ttl("9" as unknown as number));
	attempt("udp-256", () => u.ttl(256));
	attempt("udp-0", () => u.ttl(0));
	attempt("udp-fraction", () => u.ttl(1.5));
	attempt("udp-text", () => u.ttl("x" as unknown as number));
	attempt("udp-object", () => u.ttl({} as unknown as number));
	u.ttl(7);
	log(`udp host ${readBack(hostOfUDP(u))}`);
	u.send(udpPort, "127.0.0.1", "udp-7");
	u.ttl(200);
	log(`udp host ${readBack(hostOfUDP(u))}`);
	u.send(udpPort, "127.0.0.1", "udp-200");
	u.on("sent", () => {
		u.on("sent", null);
		u.close();
		attempt("udp-closed", () => u.ttl());
		tcp();
	});
	// a socket whose send() bound it (no listen())
	const v = net.createUDPSocket();
	v.send(udpPort, "127.0.0.1", "udp-default");
	attempt("udp-send-bound", () => v.ttl() > 0);
	v.close();

	const tcp = () => {
		const s = net.createConnection();
		attempt("tcp-unconnected", () => s.ttl());
		s.on("connection", (c) => {
			attempt("tcp-default", () => c.ttl());
			attempt("tcp-set-33", () => c.ttl(33));
			log(`tcp host ${readBack(hostOfTCP(c))}`);
			c.send("tcp-33", () => {
				c.on("sent", null);
				attempt("tcp-set-99", () => c.ttl(99));
				c.send("tcp-99");
				c.close();
				attempt("tcp-closed", () => c.ttl());
				server();
			});
		});
		s.connect(tcpPort, "127.0.0.1");
	};

	// accepted sockets have ttl() too; servers do not; a socket resolving its peer's name is not open yet
	const server = () => {
		const srv = net.createServer(30);
		log(`server ttl ${typeof (srv as unknown as { ttl?: unknown }).ttl}`);
		srv.listen(0, "127.0.0.1", (c) => {
			attempt("accepted-set-5", () => c.ttl(5));
			log(`accepted host ${readBack(hostOfTCP(c))}`);
			// getaddr() through xsnet/native's local(): the accepted end is the listener's, the client's is its peer
			const [srvPort] = srv.getaddr();
			log(`accepted getaddr ${JSON.stringify(c.getaddr()) === JSON.stringify([srvPort, "127.0.0.1"])}`);
			const [clientPort, clientIp] = client.getaddr();
			log(`client getaddr ${clientPort! > 0 && JSON.stringify([clientPort, clientIp]) === JSON.stringify(c.getpeer())}`);
			c.close();
			srv.close();
		});
		const client = net.createConnection();
		client.connect(srv.getaddr()[0]!, "127.0.0.1");
		client.on("disconnection", () => { /* the accepted side closed */ });
		const resolving = net.createConnection();
		resolving.on("disconnection", (_c, err) => log(`resolving disconnection ${err}`));
		resolving.connect(9, "nowhere.test");
		attempt("tcp-resolving", () => resolving.ttl());
	};
}
