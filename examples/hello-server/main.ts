// NodeMCU's "hello world" server (net module docs), ported line by line:
//   srv = net.createServer(net.TCP, 30)
//   srv:listen(80, function(conn)
//     conn:on("receive", function(sck, payload) print(payload)
//       sck:send("HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<h1> Hello, NodeMCU.</h1>") end)
//     conn:on("sent", function(sck) sck:close() end)
//   end)
// Port 8080 instead of 80 (a desktop needs root for ports below 1024); on a board use 80.
import net from "nodemcu/net";

const PORT = 8080;

const srv = net.createServer(net.TCP, 30);
srv.listen(PORT, (conn) => {
  conn.on("receive", (sck, payload) => {
    trace(`${String(payload).split("\r\n")[0]}\n`);
    sck.send("HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<h1> Hello, NodeMCU.</h1>\n");
  });
  conn.on("sent", (sck) => sck.close());
});

const [port] = srv.getaddr();
trace(`hello-server listening on http://127.0.0.1:${port}/ (try: curl http://127.0.0.1:${port}/)\n`);
