// An HTTPS GET with NodeMCU's tls module: the http-client example over TLS, with the server's certificate
// verified against a CA (tls.cert.verify) and its name checked (here the IP address 127.0.0.1, which the
// certificate names in its subjectAltName).
//   tls.cert.verify(ca_pem)
//   srv = tls.createConnection()                 -- or net.createConnection(net.TCP, 1)
//   srv:on("receive", function(sck, c) print(c) end)
//   srv:on("connection", function(sck) sck:send("GET / HTTP/1.1\r\nHost: ...\r\n\r\n") end)
//   srv:connect(443, "example.com")
// It fetches from the local demo server: `node examples/https-client/server.mjs` in another terminal (HTTPS on
// 127.0.0.1:8443). On a board, set HOST to your computer's address and give the server a certificate naming it.
import tls from "nodemcu/tls";
import { CA } from "./ca.js";

const HOST = "127.0.0.1";
const PORT = 8443;

tls.cert.verify(CA);
const srv = tls.createConnection();
srv.on("receive", (sck, c) => trace(String(c)));
srv.on("connection", (sck) => {
  sck.send(`GET / HTTP/1.1\r\nHost: ${HOST}\r\nConnection: close\r\nAccept: */*\r\n\r\n`);
});
srv.on("disconnection", (sck, err) => trace(`\n-- disconnected (${err})\n`));
srv.on("reconnection", (sck, err) =>
  trace(`-- connection failed (${err}${err === -28 ? ": TLS handshake or certificate refused" : ""}): is the demo server running?\n`));
srv.connect(PORT, HOST);
