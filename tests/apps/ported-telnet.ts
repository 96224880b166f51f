// tests/ported-telnet.test.js: the telnet example (examples/telnet) on 127.0.0.1, port args[0] (default 0 =
// any free port; the test reads it from "Telnet server started (127.0.0.1:PORT)").
import args from "xsnet-sim/args";
import telnet from "../../examples/telnet/telnet.js";

telnet.open(Number(args[0] ?? 0), "127.0.0.1");
