// Peers for the nodemcu/net tests (tests/net-*.test.js): Node TCP/UDP servers and clients, dnsmasq, a
// scriptable fake DNS server, and bookkeeping so every process and socket a test starts is cleaned up.
// All traffic stays on 127.0.0.0/8.
import net from "node:net";
import dgram from "node:dgram";
import { spawn } from "node:child_process";
import assert from "node:assert/strict";
import { startApp } from "./sim.js";
import { toolPath } from "../../tools/prereqs.js";

const cleanups = [];

/** The network backend the simulator runs on: "lwip" when XSNET_SIM_STACK=lwip (tests/sim-lwip.test.js), else "posix". */
export const simStack = process.env.XSNET_SIM_STACK === "lwip" ? "lwip" : "posix";
/** The app's own address when it talks to a peer on the host's 127.0.0.1: the same on POSIX; on lwIP, its DHCP lease
 * from slirp (the host's loopback is slirp's 10.0.2.2, which the lwIP backend shows to the app as 127.0.0.1). */
export const appLocalAddress = simStack === "lwip" ? "10.0.2.15" : "127.0.0.1";

/** Register `fn` to run at cleanup() (after each test). */
export function onCleanup(fn) {
  cleanups.push(fn);
}

/** Run every registered cleanup (mocha afterEach). */
export async function cleanup() {
  while (cleanups.length) {
    const fn = cleanups.pop();
    try {
      await fn();
    } catch {
      // best effort
    }
  }
}

/** Start tests/apps/<name>.ts in the simulator; it is killed at cleanup if still running. */
export function app(name, args = [], opts = {}) {
  const a = startApp(`tests/apps/${name}.ts`, { timeout: 30, ...opts, args: args.map(String) });
  onCleanup(() => a.kill());
  return a;
}

/** Wait for an app to exit and assert it exited with status 0 (nothing left pending, no uncaught error). */
export async function exitsCleanly(a) {
  const r = await a.exited;
  assert.equal(r.code, 0, `app exit status ${r.code} (${r.signal ?? ""})\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  return r;
}

/** The app's output as lines (without the trailing empty one). */
export function lines(text) {
  return text.split("\n").filter((l) => l.length);
}

/** Start a TCP server on 127.0.0.1 (ephemeral port); `onConnection(socket)`. Closed at cleanup. */
export async function tcpServer(onConnection) {
  const sockets = new Set();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => {});
    onConnection(s);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  onCleanup(() => {
    for (const s of sockets) s.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  });
  return { server, port: server.address().port, sockets };
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
export async function closedPort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Connect a TCP client to 127.0.0.1:port. Destroyed at cleanup. */
export function tcpConnect(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: "127.0.0.1" }, () => resolve(s));
    s.once("error", reject);
    onCleanup(() => s.destroy());
  });
}

/**
 * A one-shot TCP client, as `nc -N` is: connect to 127.0.0.1:port, send `data`, half-close at once (FIN), and
 * resolve to every byte received (a Buffer) when the connection closes; a reset or refusal ends it the same way.
 * Destroyed after `ms` milliseconds if still open.
 */
export function sendAndHalfClose(port, data, ms = 5000) {
  return new Promise((resolve) => {
    const chunks = [];
    const s = net.connect({ port: Number(port), host: "127.0.0.1" }, () => s.end(data));
    const timer = setTimeout(() => s.destroy(), ms);
    s.on("data", (d) => chunks.push(d));
    s.on("error", () => {});
    s.on("close", () => { clearTimeout(timer); resolve(Buffer.concat(chunks)); });
  });
}

/** Every byte a socket receives until the peer closes. */
export function readAll(socket) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    socket.on("data", (d) => chunks.push(d));
    socket.on("end", () => resolve(Buffer.concat(chunks)));
    socket.on("error", reject);
  });
}

/** Resolve when `socket` has received data that, concatenated, matches `test(buffer)`. */
export function readUntil(socket, test) {
  return new Promise((resolve, reject) => {
    let acc = Buffer.alloc(0);
    const onData = (d) => {
      acc = Buffer.concat([acc, d]);
      if (test(acc)) {
        socket.off("data", onData);
        resolve(acc);
      }
    };
    socket.on("data", onData);
    socket.once("error", reject);
  });
}

/** A UDP socket bound to 127.0.0.1 (ephemeral port). Closed at cleanup. */
export async function udpSocket() {
  const s = dgram.createSocket("udp4");
  await new Promise((resolve) => s.bind(0, "127.0.0.1", resolve));
  onCleanup(() => new Promise((resolve) => s.close(() => resolve())));
  return s;
}

/** Next datagram on `s`: {msg, rinfo}. */
export function nextDatagram(s) {
  return new Promise((resolve) => s.once("message", (msg, rinfo) => resolve({ msg, rinfo })));
}

/** The bulk pattern of tests/apps/net-client.ts: stream byte n = pattern[n % 65521]. */
export function pattern(total) {
  const PERIOD = 65521;
  const base = Buffer.alloc(PERIOD);
  for (let j = 0; j < PERIOD; j++) base[j] = (j * 31 + (j >> 8) + (j >> 13)) & 255;
  const out = Buffer.alloc(total);
  for (let o = 0; o < total; o += PERIOD) base.copy(out, o, 0, Math.min(PERIOD, total - o));
  return out;
}

/**
 * Start dnsmasq on `address`:53 (tests run as root) answering only from its command line: example.test and
 * its subdomains -> 127.0.0.1, target.test -> 127.0.0.7, alias.test -> CNAME target.test, alias2.test ->
 * CNAME alias.test; other *.test names -> NXDOMAIN; anything else -> REFUSED. Returns {proc, stop()}: the caller
 * stops it (it may serve a whole describe block).
 */
export async function startDnsmasq(address) {
  const file = toolPath("dnsmasq");
  if (!file) throw new Error("dnsmasq is not installed: npm test installs it as root (Debian package dnsmasq-base)");
  const proc = spawn(file, [
    "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--bind-interfaces",
    `--listen-address=${address}`, "--port=53",
    // lwIP's slirp reaches the host's 127.0.0.1 only: every 127.x destination of the app arrives there
    ...(simStack === "lwip" && address !== "127.0.0.1" ? ["--listen-address=127.0.0.1"] : []), "--pid-file=", "--user=root",
    "--address=/example.test/127.0.0.1", "--local=/test/", "--host-record=target.test,127.0.0.7",
    "--cname=alias.test,target.test", "--cname=alias2.test,alias.test",
  ], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  let failure = null;
  proc.stderr.on("data", (d) => { stderr += d; });
  proc.on("error", (err) => { failure = err; });
  const exited = new Promise((resolve) => proc.on("close", resolve));
  const stop = async () => {
    if (proc.exitCode === null) proc.kill("SIGTERM");
    await exited;
  };
  // ready when it answers
  const probe = dgram.createSocket("udp4");
  try {
    for (let i = 0; i < 100; i++) {
      if (failure) throw new Error(`cannot run dnsmasq (${file}): ${failure.message}`);
      if (proc.exitCode !== null) throw new Error(`dnsmasq exited (${proc.exitCode}): ${stderr}`);
      const answered = await new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), 100);
        probe.once("message", () => { clearTimeout(timer); resolve(true); });
        probe.send(dnsQuery(1, "example.test"), 53, address);
      });
      if (answered) return { proc, stop };
    }
    await stop();
    throw new Error(`dnsmasq did not answer: ${stderr}`);
  } finally {
    probe.close();
  }
}

/** An A query for `name` with message id `id`. */
export function dnsQuery(id, name) {
  const labels = name.split(".").map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)]));
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0100, 2);
  header.writeUInt16BE(1, 4);
  return Buffer.concat([header, ...labels, Buffer.from([0, 0, 1, 0, 1])]);
}

/** Parse a query: {id, name, question (the question section bytes)}. */
export function parseQuery(msg) {
  const id = msg.readUInt16BE(0);
  let o = 12;
  const labels = [];
  while (msg[o]) {
    labels.push(msg.subarray(o + 1, o + 1 + msg[o]).toString());
    o += 1 + msg[o];
  }
  o += 5;
  return { id, name: labels.join("."), question: msg.subarray(12, o) };
}

/**
 * Build a response to `query` (from parseQuery): rcode and answers [{name?, type: "A"|"CNAME", data}] where
 * name defaults to the question (compression pointer 0xC00C) and data is "a.b.c.d" or a name.
 */
export function dnsResponse(query, { id = query.id, rcode = 0, answers = [] } = {}) {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x8180 | rcode, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  const encodeName = (n) => Buffer.concat([...n.split(".").map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])), Buffer.from([0])]);
  const records = answers.map((a) => {
    const name = a.name ? encodeName(a.name) : Buffer.from([0xC0, 0x0C]);
    const rdata = a.type === "A" ? Buffer.from(a.data.split(".").map(Number)) : encodeName(a.data);
    const fixed = Buffer.alloc(10);
    fixed.writeUInt16BE(a.type === "A" ? 1 : 5, 0);
    fixed.writeUInt16BE(1, 2);
    fixed.writeUInt32BE(60, 4);
    fixed.writeUInt16BE(rdata.length, 8);
    return Buffer.concat([name, fixed, rdata]);
  });
  return Buffer.concat([header, query.question, ...records]);
}

/**
 * A scriptable DNS server on 127.0.0.1 (ephemeral port): `answer(query, rinfo, socket)` sends whatever it
 * likes (or nothing). Returns {port, queries: [{name, id}], socket}.
 */
export async function fakeDns(answer) {
  const s = await udpSocket();
  const queries = [];
  s.on("message", (msg, rinfo) => {
    const q = parseQuery(msg);
    queries.push(q);
    answer(q, rinfo, s);
  });
  return { port: s.address().port, queries, socket: s };
}
