// NodeMCU's telnet server (lua_modules/telnet) with a JavaScript REPL instead of Lua's, on port 2323:
//   npx xsnet run examples/telnet/main.ts      then: nc 127.0.0.1 2323   (or telnet 127.0.0.1 2323)
//   > 1+2
//   3
// 2323 is the port of NodeMCU's telnet docs; the standard telnet port 23 needs root on a desktop.
import telnet from "./telnet.js";

const PORT = 2323;

telnet.open(PORT);
