// The apps of `npm run check:moddable` (tools/check-moddable.js) and how Node drives each one: its peers
// (curl, Node TCP and UDP sockets, dnsmasq, a second gossip node in xsnet's simulator) and what the app must
// print. Every app runs in Moddable's desktop simulator (mcsim, platform lin), built by mcconfig.
//
// An app is {name, what, source | modules, config?(), ports?, drive(app)}:
//   source   a TypeScript main in tests/moddable, copied to the app folder as main.ts (a user's app);
//   modules  the manifest's "modules" for an example (its compiled JavaScript in build/js, as
//            examples/README.md documents for boards);
//   config   async, starts the peers and returns the manifest's "config": {xsnetCheck: ...} (read by the app
//            through mc/config, as on a board);
//   tls      true: the app's manifest includes xsnet's manifest_tls.json instead of manifest.json (TLS is opt-in);
//   ports    {tcp: [...], udp: [...]} fixed ports the app needs free (the examples as shipped); if one is taken
//            the app is built but not run (SKIP);
//   drive    async, plays the peers against the running app (app.waitFor(re, ms) resolves with the match of
//            `re` in the app's output, app.output is all of it) and returns a one-line summary, or throws; its
//            second argument is the build ({modules: the JavaScript modules in it, "ssl/session", ...; sizes:
//            {module: bytes of its bytecode}}).
// Peers are registered with net-peers' onCleanup and stopped by the runner after each app.
import net from "node:net";
import dgram from "node:dgram";
import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import {
  tcpServer, tcpConnect, closedPort, udpSocket, nextDatagram, startDnsmasq, onCleanup,
} from "../support/net-peers.js";
import { startApp, root } from "../support/sim.js";
import { certificates, tlsServer } from "../support/tls-peers.js";

const run = promisify(execFile);
const js = (p) => `$(XSNET)/build/js/${p}`;   // the runner replaces $(XSNET) by the project root

/** GET `url` with curl; resolves {status, body}. */
async function curl(url, extra = []) {
  const { stdout } = await run("curl", ["-sS", "-i", "--max-time", "10", ...extra, url]);
  const [head, ...rest] = stdout.split("\r\n\r\n");
  return { status: head.split("\r\n")[0], body: rest.join("\r\n\r\n") };
}

/** Connect to 127.0.0.1:port, write `input`, resolve what arrived once `re` matched it (reject after ms). */
function converse(port, input, re, ms = 10000) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, "127.0.0.1");
    let text = "";
    const timer = setTimeout(() => { s.destroy(); reject(new Error(`timed out waiting for ${re}; got ${JSON.stringify(text.slice(-200))}`)); }, ms);
    s.setEncoding("utf8");
    s.on("connect", () => s.write(input));
    s.on("data", (d) => {
      text += d;
      if (re.test(text)) { clearTimeout(timer); s.destroy(); resolve(text); }
    });
    s.on("error", (e) => { clearTimeout(timer); reject(e); });
  });
}

/** A UDP port on 127.0.0.1 that is free now (bound, then released). */
async function freeUdpPort() {
  const s = dgram.createSocket("udp4");
  await new Promise((resolve) => s.bind(0, "127.0.0.1", resolve));
  const { port } = s.address();
  await new Promise((resolve) => s.close(resolve));
  return port;
}

/** Next datagram on `s` within `ms`, else an Error naming `what`. */
function datagramWithin(s, ms, what) {
  return Promise.race([
    nextDatagram(s),
    new Promise((_, reject) => setTimeout(() => reject(new Error(`no datagram: ${what}`)), ms)),
  ]);
}

/** "N modules, X KB of bytecode" for a build's summary (apps tls and notls: what TLS adds). */
function bytecode(build) {
  const bytes = build.modules.reduce((n, m) => n + build.sizes[m], 0);
  return `${build.modules.length} modules, ${(bytes / 1024).toFixed(1)} KB of bytecode`;
}

function expect(ok, message) {
  if (!ok) throw new Error(message);
}

/** The bytes client.ts sends: a line, then four 16 KiB chunks of one letter each (ending in "\n"). */
function clientPayload() {
  const parts = ["hello from moddable\n"];
  for (let i = 0; i < 4; i++) parts.push("abcdefghijklmnopqrstuvwxyz"[i].repeat(16383) + "\n");
  return parts.join("");
}

/** Byte sequences client.ts decodes whole and split in two (its UTF8_VECTORS). */
const UTF8_VECTORS = [[0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x41, 0x00, 0x42], [0x80, 0x41],
  [0xe2, 0x82], [0xf0, 0x9f, 0x98, 0x80, 0xe2, 0x82, 0xac], [0x41, 0xff, 0xc3, 0xa9]];

/** A random loopback address for dnsmasq (127.53.x.y), so parallel runs do not collide. */
function dnsAddress() {
  return `127.53.${1 + Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
}

/**
 * The TLS servers of app tls-limits (tests/moddable/tls-limits.ts; the simulator runs the same app in
 * tests/tls-limits.test.js): [{name, port, ca (PEM, or false: verification off)}], each case a server on 127.0.0.1.
 */
export async function limitCases(pki) {
  const server = (options) => tlsServer({ maxVersion: "TLSv1.2", ...options }).then((s) => s.port);
  return [
    { name: "tls12", port: await server(pki.server), ca: pki.ca.cert },
    { name: "tls13-only", port: await server({ ...pki.server, minVersion: "TLSv1.3", maxVersion: "TLSv1.3" }), ca: pki.ca.cert },
    { name: "ecdsa", port: await server(pki.ecServer), ca: pki.ca.cert },
    { name: "ca-first", port: await server(pki.server), ca: pki.ca.cert + pki.rogueCa.cert },
    { name: "ca-second", port: await server(pki.server), ca: pki.rogueCa.cert + pki.ca.cert },
    { name: "leaf-alone", port: await server(pki.serverLeaf), ca: pki.ca.cert },
    { name: "leaf-alone-unverified", port: await server(pki.serverLeaf), ca: false },
  ];
}

/** What Moddable's lin build printed for each case of limitCases (SDK 48ee02d8, `npm run check:moddable`). */
export const LIMITS_ON_BOARDS = Object.freeze({
  "tls12": "connected", "tls13-only": "refused -28", "ecdsa": "connected", "ca-first": "connected",
  "ca-second": "refused -28", "leaf-alone": "refused -28", "leaf-alone-unverified": "connected",
});

export const apps = [
  {
    name: "server",
    what: "net.createServer(net.TCP, 2): curl, 3 parallel curls, a silent client dropped by the timeout",
    source: "tests/moddable/server.ts",
    async config() {
      this.port = await closedPort();
      return { port: this.port, timeout: 2 };
    },
    async drive(app) {
      const { port } = this;
      await app.waitFor(new RegExp(`check: listening ${port} timeout 2\n`), 30000);
      const first = await curl(`http://127.0.0.1:${port}/first`);
      expect(/^HTTP\/1\.0 200 OK$/.test(first.status), `curl status ${JSON.stringify(first.status)}`);
      expect(first.body === "xsnet on Moddable, answer 1\n", `curl body ${JSON.stringify(first.body)}`);
      await app.waitFor(/check: request GET \/first HTTP\/1\.1\n/);
      const many = await Promise.all([1, 2, 3].map((n) => curl(`http://127.0.0.1:${port}/p${n}`)));
      const answers = many.map((r) => r.body.match(/answer (\d+)\n$/)?.[1]).sort().join(",");
      expect(answers === "2,3,4", `parallel answers ${answers}`);
      // a client that sends nothing: the server's 2 s inactivity timeout must close it
      const silent = await tcpConnect(port);
      const t0 = Date.now();
      await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("silent client still open after 8 s (timeout 2 s)")), 8000);
        silent.on("close", () => { clearTimeout(timer); resolve(); });
        silent.on("error", () => {});
        silent.resume();
      });
      const dropped = (Date.now() - t0) / 1000;
      expect(dropped >= 1.5, `silent client closed after ${dropped.toFixed(1)} s, before the 2 s timeout`);
      const gone = await app.waitFor(/check: disconnection (-?\d+)\n/);
      expect(gone[1] !== "0", "the timeout reported error 0 (a remote close)");
      const after = await curl(`http://127.0.0.1:${port}/after`);
      expect(after.body === "xsnet on Moddable, answer 5\n", `curl after the timeout: ${JSON.stringify(after.body)}`);
      return `5 curl requests answered (3 in parallel); silent client closed after ${dropped.toFixed(1)} s (disconnection ${gone[1]})`;
    },
  },
  {
    name: "client",
    what: "net.createConnection: a line + 64 KiB to a Node server, its answer as UTF-8 text, invalid UTF-8, then a refused connect",
    source: "tests/moddable/client.ts",
    async config() {
      const expected = clientPayload();
      // ASCII, then UTF-8 text whose characters TCP segments cut at every offset, with NULs
      const reply = `ok ${expected.length}\n` + "0123456789".repeat(3200) + "é€😀\u0000x".repeat(3000);
      this.reply = reply;
      this.got = new Promise((resolve) => {
        this.server = tcpServer((s) => {
          let acc = "";
          s.setEncoding("latin1");
          s.on("data", (d) => {
            acc += d;
            if (acc.length >= expected.length) {
              resolve(acc);
              s.end(acc === expected ? reply : `bad ${acc.length}\n`);
            }
          });
        });
      });
      const { port } = await this.server;
      return { port, closedPort: await closedPort() };
    },
    async drive(app) {
      const expected = clientPayload();
      await app.waitFor(/check: connected\n/, 30000);
      const got = await Promise.race([this.got, app.waitFor(/check: client sent/, 15000).then(() => undefined)]);
      expect(got === expected, `server received ${got?.length} bytes, ${got === undefined ? "nothing complete" : "not the bytes sent"}`);
      const m = await app.waitFor(/check: client sent (\d+) received (\d+) head "(.*)" err (-?\d+)\n/, 15000);
      expect(m[1] === "5", `"sent" fired ${m[1]} times for 5 sends`);
      const points = Array.from(this.reply, (c) => c.codePointAt(0));    // (XS strings count code points)
      expect(Number(m[2]) === points.length, `received ${m[2]} of ${points.length} characters`);
      expect(m[3] === `ok ${expected.length}`, `answer began ${JSON.stringify(m[3])}`);
      expect(m[4] === "0", `disconnection error ${m[4]} for a normal close`);
      const h = await app.waitFor(/check: hash (\d+)\n/, 15000);
      let hash = 0;
      for (const c of points) hash = (Math.imul(hash, 31) + c) >>> 0;
      expect(Number(h[1]) === hash, `hash of the code points received ${h[1]}, of the reply ${hash}`);
      const u = await app.waitFor(/check: utf8 (.*)\n/, 15000);
      const node = (v) => Array.from(new TextDecoder().decode(Uint8Array.from(v)), (c) => c.codePointAt(0));
      const want = UTF8_VECTORS.map((v) => [node(v), node(v)]);
      expect(u[1] === JSON.stringify(want), `decoded ${u[1]}, Node ${JSON.stringify(want)}`);
      const r = await app.waitFor(/check: refused (-?\d+)\n/, 15000);
      expect(r[1] !== "0", "refused connect reported error 0");
      await app.waitFor(/check: done\n/);
      return `sent ${expected.length} bytes in 5 sends ("sent" x5), received ${m[2]} characters (hash as Node's), ` +
        `${UTF8_VECTORS.length} invalid sequences as Node, closed with 0; refused connect: error ${r[1]}`;
    },
  },
  {
    name: "luatos",
    what: "luatos/socket + sys + libnet + zbuff in task style: 32 KiB echoed byte-exact, then a refused connect",
    source: "tests/moddable/luatos.ts",
    async config() {
      // an echo server: TCP keeps no boundaries, so it writes back whatever arrives
      const { port } = await tcpServer((s) => s.on("data", (d) => s.write(d)));
      return { port, closedPort: await closedPort() };
    },
    async drive(app) {
      const c = await app.waitFor(/check: luatos connect (\w+)\n/, 30000);
      expect(c[1] === "true", `libnet.connect gave ${c[1]}`);
      const m = await app.waitFor(/check: luatos tx (\w+) echoed (\d+) same (\w+)\n/, 30000);
      expect(m[1] === "true" && m[3] === "true", `tx ${m[1]}, echoed ${m[2]} bytes, same ${m[3]}`);
      const r = await app.waitFor(/check: luatos refused (\w+) state (\d+)\n/, 20000);
      expect(r[1] === "false", `connect to a closed port gave ${r[1]}`);
      await app.waitFor(/check: done\n/);
      return `task: connect, one tx of ${m[2]} bytes echoed byte-exact through a zbuff, closed; refused connect false (state ${r[2]})`;
    },
  },
  {
    name: "tls",
    what: "nodemcu/tls over the SDK's ssl/session: a verified server (data both ways), an untrusted one refused",
    source: "tests/moddable/tls.ts",
    tls: true,
    async config() {
      const pki = certificates();
      this.received = [];
      // pki.server sends its chain, leaf then CA: ssl/session checks the server's name only on a certificate that
      // has its issuer after it (a leaf sent alone is refused with "subjectAltName match failed": app tls-limits)
      const good = await tlsServer({ ...pki.server, maxVersion: "TLSv1.2" }, (s) => s.once("data", (d) => {
        this.received.push(String(d));
        s.end("world:" + d);
      }));
      this.rogue = await tlsServer({ ...pki.rogue, maxVersion: "TLSv1.2" });
      return { port: good.port, roguePort: this.rogue.port, ca: pki.ca.cert };
    },
    async drive(app, build) {
      await app.waitFor(/check: verify true\n/, 30000);
      await app.waitFor(/check: connected\n/, 30000);
      const m = await app.waitFor(/check: reply "(.*)" err (-?\d+)\n/, 30000);
      expect(m[1] === "world:hello", `reply ${JSON.stringify(m[1])}`);
      expect(m[2] === "0", `disconnection error ${m[2]} for the server's close`);
      expect(this.received.join("") === "hello", `server received ${JSON.stringify(this.received)}`);
      const r = await app.waitFor(/check: rogue (refused -?\d+|connected)\n/, 30000);
      expect(r[1] === "refused -28", `untrusted server: ${r[1]}`);
      await app.waitFor(/check: done\n/);
      return `verified server: connected, "hello" -> "world:hello", closed with 0; untrusted CA: refused with -28 ` +
        `(net.createConnection(net.TCP, 1)); ${bytecode(build)}`;
    },
  },
  {
    name: "tls-limits",
    what: "ssl/session's limits: TLS 1.3 only, a CA second in the PEM, a leaf sent alone refused; an ECDSA leaf works",
    source: "tests/moddable/tls-limits.ts",
    tls: true,
    async config() {
      const pki = certificates();
      this.cases = await limitCases(certificates());
      return { cases: this.cases };
    },
    async drive(app) {
      const want = LIMITS_ON_BOARDS;
      const got = {};
      for (const c of this.cases) got[c.name] = (await app.waitFor(new RegExp(`check: ${c.name} (connected|refused -?\\d+)\n`), 30000))[1];
      await app.waitFor(/check: done\n/);
      const wrong = Object.keys(want).filter((k) => got[k] !== want[k]).map((k) => `${k}: ${got[k]} (expected ${want[k]})`);
      expect(!wrong.length, wrong.join("; "));
      return Object.entries(got).map(([k, v]) => `${k} ${v}`).join(", ");
    },
  },
  {
    name: "notls",
    what: "a build without manifest_tls.json: no ssl/crypt modules in it; TLS asked for gives the error naming it",
    source: "tests/apps/notls.ts",
    async drive(app, build) {
      const crypto = build.modules.filter((m) => /^(ssl|crypt)\//.test(m) || m === "embedded:io/socket/tcp/tls" || m === "nodemcu/tls");
      expect(build.modules.includes("nodemcu/net"), `no nodemcu/net among the build's modules: ${build.modules.join(", ")}`);
      expect(!crypto.length, `TLS modules in a build without TLS: ${crypto.join(", ")}`);
      const n = await app.waitFor(/check: nodemcu (.*)\n/, 30000);
      expect(/manifest_tls\.json/.test(n[1]), `net.createConnection(net.TCP, 1): ${n[1]}`);
      await app.waitFor(/config: TLS is not in this build: include xsnet's manifest_tls\.json/);
      const l = await app.waitFor(/check: luatos config (\w+)\n/);
      expect(l[1] === "false", `config(isTls) returned ${l[1]}`);
      await app.waitFor(/check: plain ok\n/);
      await app.waitFor(/check: done\n/);
      return `${bytecode(build)}, none of TLS; "${n[1]}"; luatos config(isTls) false with the log line`;
    },
  },
  {
    name: "udp",
    what: "net.createUDPSocket: greet a Node peer, echo 3 datagrams back to it",
    source: "tests/moddable/udp.ts",
    async config() {
      this.peer = await udpSocket();
      this.greeting = nextDatagram(this.peer);
      this.port = await freeUdpPort();
      return { port: this.port, peerPort: this.peer.address().port };
    },
    async drive(app) {
      const { peer, port } = this;
      await app.waitFor(new RegExp(`check: udp bound 127\\.0\\.0\\.1:${port}\n`), 30000);
      const hello = await Promise.race([this.greeting,
        new Promise((_, reject) => setTimeout(() => reject(new Error("no greeting from the app")), 10000))]);
      expect(hello.msg.toString() === "hello from moddable", `greeting ${JSON.stringify(hello.msg.toString())}`);
      expect(hello.rinfo.port === port, `greeting came from port ${hello.rinfo.port}, not the bound ${port}`);
      for (let i = 1; i <= 3; i++) {
        const reply = datagramWithin(peer, 5000, `echo of ping-${i}`);
        peer.send(`ping-${i}`, port, "127.0.0.1");
        const { msg } = await reply;
        expect(msg.toString() === `echo:ping-${i}`, `echo ${JSON.stringify(msg.toString())}`);
      }
      await app.waitFor(new RegExp(`check: received "ping-3" from 127\\.0\\.0\\.1:${peer.address().port}\n`));
      await app.waitFor(/check: sent 4\n/);
      return `greeting from 127.0.0.1:${port}; 3 datagrams echoed; "sent" x4`;
    },
  },
  {
    name: "dns",
    what: "net.dns.setdnsserver + resolve through dnsmasq, connect to a Node server by name",
    source: "tests/moddable/dns.ts",
    async config() {
      let dns;
      for (let i = 0; !dns; i++) {
        this.dnsAddr = dnsAddress();
        try {
          dns = await startDnsmasq(this.dnsAddr);
        } catch (e) {
          if (i === 4) throw e;
        }
      }
      onCleanup(dns.stop);
      const { port } = await tcpServer((s) => {
        s.once("data", (d) => s.end(`hello ${d.toString().trim()} from ${s.remoteAddress}\n`));
      });
      return { dns: this.dnsAddr, port };
    },
    async drive(app) {
      await app.waitFor(new RegExp(`check: dns server ${this.dnsAddr.replaceAll(".", "\\.")}\n`), 30000);
      const a = await app.waitFor(/check: resolve example\.test (\S+)\n/, 10000);
      expect(a[1] === "127.0.0.1", `example.test resolved to ${a[1]}`);
      const b = await app.waitFor(/check: resolve alias\.test (\S+)\n/, 10000);
      expect(b[1] === "127.0.0.7", `alias.test (CNAME) resolved to ${b[1]}`);
      const c = await app.waitFor(/check: resolve missing\.test (\S+)\n/, 10000);
      expect(c[1] === "undefined", `missing.test resolved to ${c[1]}`);
      const d = await app.waitFor(/check: (connected by name to \S+|connect failed -?\d+)\n/, 10000);
      expect(d[1].startsWith("connected by name to 127.0.0.1:"), d[1]);
      const e = await app.waitFor(/check: reply "(.*)"\n/, 10000);
      expect(e[1] === "hello by name from 127.0.0.1\\n", `reply ${e[1]}`);
      await app.waitFor(/check: disconnection 0\n/);
      await app.waitFor(/check: done\n/);
      return `dnsmasq ${this.dnsAddr}: example.test 127.0.0.1, alias.test 127.0.0.7, missing.test undefined; connected by name`;
    },
  },
  {
    name: "ping",
    what: "net.ping on lin (no ICMP there): the reply callback gets the reason, no abort",
    source: "tests/moddable/ping.ts",
    async drive(app) {
      await app.waitFor(/check: ping started\n/, 30000);
      const m = await app.waitFor(/check: ping reply (.*)\n/, 10000);
      expect(/^0 undefined undefined undefined .+/.test(m[1]), `reply ${m[1]}`);
      return `reply callback: ${m[1]}`;
    },
  },
  {
    name: "example hello-server",
    what: "examples/hello-server as shipped (createServer(net.TCP, 30), port 8080) answers curl",
    modules: { "*": [js("examples/hello-server/main")] },
    ports: { tcp: [8080] },
    async drive(app) {
      await app.waitFor(/hello-server listening on http:\/\/127\.0\.0\.1:8080\//, 30000);
      const r = await curl("http://127.0.0.1:8080/");
      expect(r.body === "<h1> Hello, NodeMCU.</h1>\n", `body ${JSON.stringify(r.body)}`);
      await app.waitFor(/GET \/ HTTP\/1\.1\n/);
      return `curl: ${r.status}, ${JSON.stringify(r.body)}`;
    },
  },
  {
    name: "example http-client",
    what: "examples/http-client as shipped, against a Node HTTP server on 8080",
    modules: { "*": [js("examples/http-client/main")] },
    ports: { tcp: [8080] },
    async config() {
      // occupies 8080 before the run; the runner's port check runs before config()
      const server = net.createServer((s) => {
        s.once("data", () => s.end("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nhello from node\n"));
        s.on("error", () => {});
      });
      await new Promise((resolve, reject) => { server.once("error", reject); server.listen(8080, "127.0.0.1", resolve); });
      onCleanup(() => new Promise((resolve) => server.close(resolve)));
      server.unref();
    },
    async drive(app) {
      await app.waitFor(/hello from node\n/, 30000);
      const m = await app.waitFor(/-- disconnected \((-?\d+)\)\n/, 10000);
      expect(m[1] === "0", `disconnected with ${m[1]}`);
      return "printed the answer, then \"-- disconnected (0)\"";
    },
  },
  {
    name: "example https-client",
    what: "examples/https-client as shipped (nodemcu/tls, the CA of ca.ts) against its demo server on 8443",
    modules: { "*": [js("examples/https-client/main"), js("examples/https-client/ca")] },
    tls: true,
    ports: { tcp: [8443] },
    async config() {
      const demo = spawn(process.execPath, ["examples/https-client/server.mjs"], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
      onCleanup(() => demo.kill());
      await new Promise((resolve, reject) => {
        demo.stdout.on("data", (d) => /listening/.test(d) && resolve());
        demo.on("exit", (code) => reject(new Error(`demo server exited (${code})`)));
      });
    },
    async drive(app) {
      await app.waitFor(/Hello over TLS, NodeMCU\./, 30000);
      const m = await app.waitFor(/-- disconnected \((-?\d+)\)\n/, 10000);
      expect(m[1] === "0", `disconnected with ${m[1]}`);
      return "verified the demo server's certificate, printed its answer, then \"-- disconnected (0)\"";
    },
  },
  {
    name: "example telnet",
    what: "examples/telnet as shipped (port 2323): evaluates 1+2 (eval survives the default \"strip\": \"*\")",
    modules: { "*": ["main", "telnet", "pipe"].map((m) => js(`examples/telnet/${m}`)) },
    ports: { tcp: [2323] },
    async drive(app) {
      await app.waitFor(/Telnet server started \(0\.0\.0\.0:2323\)\n/, 30000);
      const text = await converse(2323, "1+2\n", /\n> 3\n> /);
      expect(/^Welcome to the xsnet JavaScript REPL/.test(text), `welcome ${JSON.stringify(text.slice(0, 60))}`);
      return "1+2 -> 3";
    },
  },
  {
    name: "example http-server",
    what: "examples/http-server as shipped (port 8081): GET / and POST /echo with curl",
    modules: {
      "*": [
        ...["main", "http-example", "httpserver"].map((m) => js(`examples/http-server/${m}`)),
        ...["fifosock", "fifo"].map((m) => js(`examples/fifosock/${m}`)),
      ],
    },
    ports: { tcp: [8081] },
    async drive(app) {
      await app.waitFor(/http-server listening on http:\/\/127\.0\.0\.1:8081\//, 30000);
      const r = await curl("http://127.0.0.1:8081/");
      expect(/^HTTP\/1\.1 200 OK$/.test(r.status), `status ${r.status}`);
      expect(r.body === "Hello, world!\n", `body ${JSON.stringify(r.body)}`);
      const e = await curl("http://127.0.0.1:8081/echo", ["-d", "some data"]);
      expect(e.body === "some data", `echo body ${JSON.stringify(e.body)}`);
      return "GET / -> Hello, world!; POST /echo -> some data";
    },
  },
  {
    name: "example fifosock",
    what: "examples/fifosock as shipped: fifosocktest's checks, then ~750 KB streamed on 8083",
    modules: { "*": ["main", "fifo", "fifosock", "fifosocktest", "stream"].map((m) => js(`examples/fifosock/${m}`)) },
    ports: { tcp: [8083] },
    async drive(app) {
      await app.waitFor(/All tests OK\nfifosock demo listening on 8083\n/, 30000);
      const text = await converse(8083, "", /\(g59\.3\)$/, 30000);
      expect(/^<0>a\n<1>\u00e9{7}\n/.test(text), `stream began ${JSON.stringify(text.slice(0, 30))}`);
      return `All tests OK; streamed ${Buffer.byteLength(text)} bytes`;
    },
  },
  {
    name: "example gossip",
    what: "examples/gossip main.ts (UDP 5000) on Moddable with node2.ts (5001) in xsnet's simulator",
    modules: { "*": ["main", "gossip", "gossip_example"].map((m) => js(`examples/gossip/${m}`)) },
    ports: { udp: [5000, 5001] },
    async drive(app) {
      await app.waitFor(/gossip node 127\.0\.0\.1:5000 started/, 30000);
      const node2 = startApp("examples/gossip/node2.ts", { timeout: 40 });
      onCleanup(() => node2.kill());
      await app.waitFor(/Received ACK from 127\.0\.0\.1:5001\n/, 15000);
      await node2.waitFor(/Received ACK from 127\.0\.0\.1:5000\n/, 15000);
      return "both nodes received each other's ACK";
    },
  },
  {
    name: "example ping-stats",
    what: "examples/ping-stats as shipped: on lin (no ICMP) it prints the reason",
    modules: { "*": [js("examples/ping-stats/main")] },
    async drive(app) {
      const m = await app.waitFor(/(Invalid IP address.*|\d+ bytes from .*)\n/, 30000);
      expect(m[1].startsWith("Invalid IP address ("), m[1]);
      return m[1];
    },
  },
];
