// Benchmark app: loads nodemcu/net and luatos/socket and does nothing (tools/bench.js measureBytecode: the
// simulator reports the byte code of every module it compiles).
import net from "nodemcu/net";
import socket from "luatos/socket";

trace(`loaded ${typeof net} ${typeof socket}\n`);
