// tests/ported-luatos.test.js: the LuatOS server demo ported (examples/luatos-server) on 127.0.0.1:
// args[0] = "tcp" | "tcp_multi" | "udp", args[1] = port, args[2] = (udp) the port of the "UP"/heartbeat datagrams.
// Restarts after 200 ms (the demo: 5 s); the same echo subscriber as the example's main.ts.
import args from "xsnet-sim/args";
import sys from "luatos/sys";

const SERVER = args[0], PORT = Number(args[1]);
if (SERVER === "tcp") (await import("../../examples/luatos-server/tcp_server_main.js")).start(PORT, 200);
else if (SERVER === "tcp_multi") (await import("../../examples/luatos-server/tcp_multi_main.js")).start(PORT, 8, 200);
else (await import("../../examples/luatos-server/udp_server_main.js")).start(PORT, "127.0.0.1", Number(args[2]), 500, 200);

sys.subscribe("RECV_DATA_FROM_CLIENT", (data: string, ipOrClient?: unknown, port?: number) => {
	if (SERVER === "udp") sys.publish("SEND_DATA_REQ", "echo", data, ipOrClient, port);
	else sys.publish("SEND_DATA_REQ", "echo", data);
});
