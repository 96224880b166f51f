// An HTTP GET with NodeMCU's net module, as in its docs' client example:
//   srv = net.createConnection(net.TCP, 0)
//   srv:on("receive", function(sck, c) print(c) end)
//   srv:on("connection", function(sck, c)
//     sck:send("GET /get HTTP/1.1\r\nHost: httpbin.org\r\nConnection: close\r\nAccept: */*\r\n\r\n") end)
//   srv:connect(80, "httpbin.org")
// It fetches from the local hello-server example (`npm start` in another terminal); on a board, set
// HOST to your computer's address.
import net from "nodemcu/net";

const HOST = "127.0.0.1";
const PORT = 8080;

const srv = net.createConnection(net.TCP, 0);
srv.on("receive", (sck, c) => trace(String(c)));
srv.on("connection", (sck) => {
  sck.send(`GET / HTTP/1.1\r\nHost: ${HOST}\r\nConnection: close\r\nAccept: */*\r\n\r\n`);
});
srv.on("disconnection", (sck, err) => trace(`\n-- disconnected (${err})\n`));
srv.on("reconnection", (sck, err) => trace(`-- connection failed (${err}): is the hello-server running?\n`));
srv.connect(PORT, HOST);
