// Benchmark app: a nodemcu/net server that sends one byte and closes each connection (the NodeMCU
// "hello world" pattern); it stops after `count` connections. Prints its port.
import net from "nodemcu/net";
import args from "xsnet-sim/args";

const count = Number(args[0]);
let accepted = 0;
const srv = net.createServer(30);
function onSent(s: ReturnType<typeof net.createConnection>) { s.close(); }
srv.listen(0, "127.0.0.1", (conn) => {
  conn.on("sent", onSent);
  conn.send("!");
  if (++accepted === count) srv.close();
});
trace(`port ${srv.getaddr()[0]}\n`);
