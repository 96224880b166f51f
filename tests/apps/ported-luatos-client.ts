// tests/ported-luatos.test.js: the LuatOS long-connection client example (examples/luatos-client) against the
// test's servers: args[0] TCP port, args[1] UDP port on 127.0.0.1; timer every 200 ms, reconnect after 300 ms.
import args from "xsnet-sim/args";
import "../../examples/luatos-client/console_app.js";
import * as timer_app from "../../examples/luatos-client/timer_app.js";
import * as tcp_client_main from "../../examples/luatos-client/tcp_client_main.js";
import * as udp_client_main from "../../examples/luatos-client/udp_client_main.js";

timer_app.start(200);
tcp_client_main.start("127.0.0.1", Number(args[0]), 300);
udp_client_main.start("127.0.0.1", Number(args[1]), 300);
