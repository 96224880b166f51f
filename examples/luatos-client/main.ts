// LuatOS's socket long-connection client demo (demo/socket/client/long_connection), ported: a TCP and a UDP
// client in task style with libnet and zbuff, reconnecting after any failure, sending a counter every 5 s
// (timer_app) and printing what the servers send (console_app, LuatOS: uart_app). The demo connects to
// LuatOS's netlab servers; this one to 127.0.0.1: start `nc -lk 40123` (TCP) and `nc -lku 40124` (UDP), then
// `npx xsnet run examples/luatos-client/main.ts`. TLS clients of the demo (tcp_ssl) are left out (not ported; docs/luatos-socket.md, "TLS").
import "./console_app.js";
import * as timer_app from "./timer_app.js";
import * as tcp_client_main from "./tcp_client_main.js";
import * as udp_client_main from "./udp_client_main.js";

const SERVER_ADDR = "127.0.0.1";
const TCP_SERVER_PORT = 40123;
const UDP_SERVER_PORT = 40124;

timer_app.start();
tcp_client_main.start(SERVER_ADDR, TCP_SERVER_PORT);
udp_client_main.start(SERVER_ADDR, UDP_SERVER_PORT);
