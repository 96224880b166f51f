// luatos/socket's constants, argument checks, invalid ctrls and the functions that need no connection
// (app: tests/apps/luatos-api.ts).
import assert from "node:assert/strict";
import { app, cleanup, exitsCleanly, lines } from "./support/net-peers.js";

describe("luatos/socket API surface", function () {
  afterEach(cleanup);

  it("has LuatOS's constants, the same functions as named exports, a frozen module object", async () => {
    const r = await exitsCleanly(app("luatos-api", ["constants"]));
    assert.deepEqual(lines(r.stdout), [
      "adapters 1 2 3 4 5 6",
      "events 0x2000010 0x2000011 0x2000012 0x2000013 0x2000014",
      "named-same true 23",
      "frozen true",
    ]);
  });

  it("adapters, dft, localIP, setDNS (1-based), sslLog, config with TLS (true; false with a log line for unusable certificates), linkup, debug, release", async () => {
    const r = await exitsCleanly(app("luatos-api", ["adapters"]));
    assert.deepEqual(lines(r.stdout), [
      "adapter() -> [true,2]",
      "adapter(STA) -> [true,2]",
      "adapter(AP) -> [false,3]",
      "adapter(99) -> [true,2]",
      "dft() -> [2,2]",
      "create(AP) -> \"nil\"",
      "create(99) -> \"nil\"",
      "create(-1) -> \"nil\"",
      "localIP(AP) -> []",
      "localIP() true true true",
      "dft(AP) -> [3,2]",
      "create(nil) on AP -> \"nil\"",
      "W/socket setDNS: adapter 3 does not exist",
      "setDNS(nil) on AP -> false",
      "dft(STA) -> [2,2]",
      "dft(99) -> [2,2]",
      "setDNS(nil,1,ip) -> true",
      "setDNS(STA,2,int) -> true",
      "setDNS(STA,3,ip) -> false",
      "setDNS(STA,0,ip) -> false",
      "setDNS(STA,1,bad) -> false",
      "W/socket setDNS: adapter 3 does not exist",
      "setDNS(AP,1,ip) -> false",
      "sslLog(2) -> \"nil\"",
      "config tls -> true",
      "E/socket config: serverCert: no PEM certificate",
      "config tls bad cert -> false",
      "E/socket config: clientKey: encrypted keys (clientPassword) are not supported",
      "config tls password -> false",
      "config udp port -> true",
      "config keepalive -> true",
      "linkup -> [true,true]",
      "state -> [1,\"离线\"]",
      "debug -> \"nil\"",
      "release -> \"nil\"",
      "release again -> \"nil\""
    ]);
  });

  it("an invalid ctrl (undefined, null, released) gives nothing: undefined or []", async () => {
    const r = await exitsCleanly(app("luatos-api", ["invalid"]));
    assert.deepEqual(lines(r.stdout), [
      "nil: state \"nil\" config \"nil\" linkup [] connect [] discon [] close \"nil\" tx [] rx [] read [] wait [] listen [] accept [] release \"nil\" debug \"nil\" remoteIP [\"nil\",\"nil\",\"nil\",\"nil\"]",
      "null: state \"nil\" config \"nil\" linkup [] connect [] discon [] close \"nil\" tx [] rx [] read [] wait [] listen [] accept [] release \"nil\" debug \"nil\" remoteIP [\"nil\",\"nil\",\"nil\",\"nil\"]",
      "released: state \"nil\" config \"nil\" linkup [] connect [] discon [] close \"nil\" tx [] rx [] read [] wait [] listen [] accept [] release \"nil\" debug \"nil\" remoteIP [\"nil\",\"nil\",\"nil\",\"nil\"]"
    ]);
  });

  it("wrong argument types throw a TypeError naming the argument (RangeError for ports); the VM goes on", async () => {
    const r = await exitsCleanly(app("luatos-api", ["types"]));
    assert.deepEqual(lines(r.stdout), [
      "create(adapter 'x') TypeError: socket.create: adapter: integer expected, got string",
      "create(adapter 1.5) TypeError: socket.create: adapter: integer expected, got number",
      "create(cb 5) TypeError: socket.create: cb: function or task name expected, got number",
      "create(adapter '2') -> true",
      "state(5) TypeError: socket.state: ctrl: ctrl (from socket.create) expected, got number",
      "state({}) TypeError: socket.state: ctrl: ctrl (from socket.create) expected, got object",
      "debug(onoff 1) TypeError: socket.debug: onoff: boolean expected, got number",
      "config(localPort 'x') TypeError: socket.config: localPort: integer expected, got string",
      "config(localPort 70000) RangeError: socket.config: localPort: 70000 is not a port (0..65535)",
      "config(isUdp 1) TypeError: socket.config: isUdp: boolean expected, got number",
      "config(isTls 'yes') TypeError: socket.config: isTls: boolean expected, got string",
      "config(keepIdle true) TypeError: socket.config: keepIdle: integer expected, got boolean",
      "config(serverCert 1) TypeError: socket.config: serverCert: string expected, got number",
      "connect(host true) TypeError: socket.connect: host: string or integer expected, got boolean",
      "connect(port nil) TypeError: socket.connect: port: integer expected, got undefined",
      "connect(port 'x') TypeError: socket.connect: port: integer expected, got string",
      "connect(port 65536) RangeError: socket.connect: port: 65536 is not a port (0..65535)",
      "connect(ipv6dns 1) TypeError: socket.connect: ipv6dns: boolean expected, got number",
      "tx(data nil) TypeError: socket.tx: data: string, ArrayBuffer, typed array or zbuff expected, got undefined",
      "tx(data {}) TypeError: socket.tx: data: string, ArrayBuffer, typed array or zbuff expected, got object",
      "tx(ip true) TypeError: socket.tx: ip: string or integer expected, got boolean",
      "tx(port 'x') TypeError: socket.tx: port: integer expected, got string",
      "tx(flag 'x') TypeError: socket.tx: flag: integer expected, got string",
      "rx(buff 'x') TypeError: socket.rx: buff: zbuff expected, got string",
      "rx(buff ArrayBuffer) TypeError: socket.rx: buff: zbuff expected, got ArrayBuffer",
      "rx(limit 'x') TypeError: socket.rx: limit: integer expected, got string",
      "rx(limit -1) RangeError: socket.rx: limit: -1 is negative",
      "read(limit {}) TypeError: socket.read: limit: integer expected, got object",
      "listen(backlog 'x') TypeError: socket.listen: backlog: integer expected, got string",
      "accept(cb 5) TypeError: socket.accept: cb: function or task name expected, got number",
      "setDNS(index 'x') TypeError: socket.setDNS: index: integer expected, got string",
      "setDNS(ip nil) TypeError: socket.setDNS: ip: string or integer expected, got undefined",
      "sslLog('x') TypeError: socket.sslLog: level: integer expected, got string",
      "localIP('x') TypeError: socket.localIP: adapter: integer expected, got string",
      "adapter(true) TypeError: socket.adapter: index: integer expected, got boolean",
      "dft('x') TypeError: socket.dft: id: integer expected, got string",
      "still usable -> [0,\"硬件离线\"]"
    ]);
  });
});
