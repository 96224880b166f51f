// nodemcu/net: call forms and the errors raised for bad input (app: tests/apps/net-errors.ts).
import assert from "node:assert/strict";
import { app, cleanup, exitsCleanly, lines, closedPort } from "./support/net-peers.js";

describe("nodemcu/net call forms and bad input", function () {
  afterEach(cleanup);

  it("accepts the old and new call forms and raises NodeMCU's messages for bad arguments", async () => {
    const port = await closedPort();
    const r = await exitsCleanly(app("net-errors", [port]));
    assert.deepEqual(lines(r.stdout), [
      // module functions
      "constants ok 1 2",
      "createConnection() ok socket", "createConnection(TCP) ok socket", "createConnection(TCP, 0) ok socket",
      "createConnection(UDP) ok udpsocket", "createConnection(TCP, 1) ok socket",
      "createConnection(3) invalid type",
      // one argument is the timeout, two are type and timeout: no 1-second pitfall
      "createServer() ok server 30", "createServer(30) ok server 30", "createServer(TCP, 30) ok server 30",
      "createServer(TCP, undefined) ok 30", "createServer(UDP, 5) ok udpsocket", "createServer(3, 5) invalid type",
      "createServer(0) timeout out of range [1-28800]", "createServer(28801) timeout out of range [1-28800]",
      "createServer('30') ok 30", "createServer('3e1') wrong arg type", "createUDPSocket() ok udpsocket",
      "ifinfo wrong arg type", "ping no received callback specified",
      "multicastJoin invalid multicast ip", "frozen ok true",
      // net.socket
      "on-bad-name invalid callback name", "on-not-string invalid callback name", "on-bad-fn invalid callback function",
      "on-connection ok", "on-reconnection ok", "on-disconnection ok", "on-receive ok", "on-sent ok", "on-dns ok",
      "on-remove-null ok", "on-remove-undefined ok",
      "send-unconnected not connected", "close-unconnected not connected",
      "getpeer-unconnected ok [null,null]", "getaddr-unconnected ok [null,null]",
      "connect-noport specify port", "connect-port0 specify port", "connect-bigport invalid port",
      "connect-floatport invalid port", "connect-textport invalid port", "connect-host-type wrong arg type",
      "connect-host-empty illegal argument", "connect-host-long illegal argument",
      "connect-bad-fn invalid callback function",
      "format-default ok string", 'format-bad invalid format (use "string" or "buffer")', "format-buffer ok buffer",
      "dns-noname no domain specified", "dns-empty illegal argument", "dns-bad-fn invalid callback function",
      "hold-unconnected ok", "unhold-unconnected ok", "ttl socket is not open/bound yet",
      "dns-nocb no callback specified", "send-nodata-check-first no data to send", "send-badtype wrong arg type",
      "send-badcb invalid callback function",
      // a connection attempt in progress; closing it fires nothing (no "c reconnection" line)
      "connect-ok ok", "connect-twice already connected", "send-while-connecting ok",
      "send-empty-while-connecting no data to send", "close-while-connecting ok", "close-again not connected",
      // net.server
      "srv-close-unlistened not connected", "srv-getaddr-unlistened ok [null,null]",
      "srv-listen-nofn need callback", "srv-listen-nofn2 need callback", "srv-listen-badip invalid IP address",
      "srv-listen-name invalid IP address", "srv-listen-badport invalid port", "srv-listen-negport invalid port",
      "srv-listen-fnonly ok", "srv-listen-again already listening", "srv-close ok", "srv-close-again not connected",
      "srv-relisten ok", "srv-close-3 ok",
    ]);
  });
});
