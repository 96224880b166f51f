// LuatOS's socket server demo (demo/socket/server), ported: one of its three servers runs, chosen below as the
// demo's main.lua chooses by require (each module subscribes to "SEND_DATA_REQ" when loaded, so only the chosen
// one is imported). What a client sends is published as "RECV_DATA_FROM_CLIENT"; the echo subscriber here sends
// it back through "SEND_DATA_REQ" (the demo: to its UART). Port 50003, as the demo:
// `npx xsnet run examples/luatos-server/main.ts`, then `nc 127.0.0.1 50003`.
import sys from "luatos/sys";

const SERVER = "tcp" as "tcp" | "tcp_multi" | "udp";
const PORT = 50003;

if (SERVER === "tcp") (await import("./tcp_server_main.js")).start(PORT);
else if (SERVER === "tcp_multi") (await import("./tcp_multi_main.js")).start(PORT, 8);
else (await import("./udp_server_main.js")).start(PORT, "127.0.0.1", 50000);   // the demo: 255.255.255.255:50000

// echo: what a client sent goes back as "send from echo: <data>"
sys.subscribe("RECV_DATA_FROM_CLIENT", (data: string, ipOrClient?: unknown, port?: number) => {
	if (SERVER === "udp") sys.publish("SEND_DATA_REQ", "echo", data, ipOrClient, port);
	else sys.publish("SEND_DATA_REQ", "echo", data);
});
