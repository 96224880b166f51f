// The measurements of `npm run bench` (tools/bench.js, tools/bench/lwip.js): each runs one bench app
// (tools/bench/apps) in the simulator, or the Node peer (tools/bench/node-peer.js) when `app` is null, against a
// Node server or clients on 127.0.0.1, and returns its rate and the CPU time per unit of work the app reported.
// `stack` picks the simulator's network: undefined runs the build tools/sim.js picks (XSNET_SIM_STACK,
// XSNET_SANITIZE), "posix" the POSIX build, "lwip" the lwIP build (build/sim-lwip, XSNET_SIM_STACK=lwip; only in a
// network namespace with nothing but loopback, tools/bench/lwip.js).
import net from "node:net";
import path from "node:path";
import { spawn } from "node:child_process";
import { simCommand, lwipSimBinary, root } from "../sim.js";
import { bare } from "./bare.js";

const MiB = 1024 * 1024;
const posixSimBinary = path.join(root, "build", "sim", "xsnet-sim");

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The simulator's {file, argv, env} for `app` on `stack` (undefined, "posix" or "lwip"). */
function command(app, { args, timeout, noPreload = false, stack } = {}) {
  const c = simCommand(app, { args, timeout });
  const { file, argv } = noPreload ? bare(c) : c;
  if (!stack) return { file, argv, env: process.env };
  const env = { ...process.env, XSNET_SIM_STACK: stack === "lwip" ? "lwip" : "" };
  return { file: stack === "lwip" ? lwipSimBinary : posixSimBinary, argv, env };
}

/**
 * Run a compiled bench app; resolves with its stdout. `noPreload`: without the manifest's preloads (bench/bare.js).
 * `stack`: see above.
 */
export function runApp(app, args, timeout = 120, noPreload = false, stack = undefined) {
  const { file, argv, env } = command(app, { args, timeout, noPreload, stack });
  return new Promise((resolve, reject) => {
    const p = spawn(file, argv, { stdio: ["ignore", "pipe", "pipe"], env });
    let out = "", err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    p.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`${app}${stack ? ` (${stack})` : ""} exited ${code}: ${err}`))));
  });
}

/** A server on 127.0.0.1 handling one connection with `handler`; resolves {port, done} */
function server(handler) {
  return new Promise((resolve) => {
    let finish;
    const done = new Promise((r) => (finish = r));
    const srv = net.createServer((c) => handler(c, (v) => { srv.close(); finish(v); }));
    srv.listen(0, "127.0.0.1", () => resolve({ port: srv.address().port, done }));
  });
}

/**
 * MB/s of `total` bytes sent by `app` to a Node sink, timed by the sink (accept to FIN), and CPU s per MiB.
 * `fit`: the raw app writes what the socket takes instead of whole chunks (tools/bench/apps/raw-send.ts).
 */
export async function measureSend(app, total, chunk, { stack, fit = false } = {}) {
  const { port, done } = await server((c, finish) => {
    const start = process.hrtime.bigint();
    let n = 0;
    c.on("data", (d) => (n += d.length));
    c.on("end", () => finish({ n, seconds: Number(process.hrtime.bigint() - start) / 1e9 }));
  });
  const ran = app ? runApp(app, [port, total, chunk, ...(fit ? ["fit"] : [])], 120, false, stack) : nodeSend(port, total, chunk);
  const [{ n, seconds }, out] = await Promise.all([done, ran]);
  if (n !== total) throw new Error(`${app || "node"}: sink got ${n} of ${total} bytes`);
  return { rate: total / MiB / seconds, cpu: cpuOf(out) / (total / MiB) };
}

/** Write `total` bytes of "a" to the Node socket `c` in 64 KiB blocks as it drains, then end it. */
export function sendBytes(c, total) {
  const block = Buffer.alloc(64 * 1024, 0x61);
  let left = total;
  const pump = () => {
    while (left > 0) {
      const n = Math.min(block.length, left);
      left -= n;
      if (!c.write(n === block.length ? block : block.subarray(0, n))) return c.once("drain", pump);
    }
    c.end();
  };
  pump();
}

/** MB/s of `total` bytes a Node source sends to `app`, timed by the source (accept to the app's close). */
export async function measureReceive(app, total, mode, noPreload, stack) {
  const { port, done } = await server((c, finish) => {
    const start = process.hrtime.bigint();
    c.on("error", () => {});
    c.on("close", () => finish(Number(process.hrtime.bigint() - start) / 1e9));
    sendBytes(c, total);
  });
  const ran = app ? runApp(app, [port, total, mode || ""], 120, noPreload, stack) : nodeReceive(port, total);
  const [seconds, out] = await Promise.all([done, ran]);
  return { rate: total / MiB / seconds, cpu: cpuOf(out) / (total / MiB) };
}

/** Round trips per second of 32-byte messages with a Node echo server, and CPU s per round trip. */
export async function measureEcho(app, count, noPreload, stack) {
  const { port, done } = await server((c, finish) => {
    c.setNoDelay(true);
    c.on("data", (d) => c.write(d));
    c.on("error", () => {});
    c.on("close", () => finish());
  });
  const out = app ? await runApp(app, [port, count], 120, noPreload, stack) : await nodeEcho(port, count);
  const elapsed = Number(out.match(/elapsed ([\d.]+)/)[1]);
  await done;
  return { rate: count / (elapsed / 1000), cpu: cpuOf(out) / count };
}

/** A Node server on 127.0.0.1 that accepts and holds connections until closed. */
function holdServer() {
  return new Promise((resolve) => {
    const sockets = new Set();
    const srv = net.createServer((c) => { sockets.add(c); c.on("error", () => {}); c.on("close", () => sockets.delete(c)); });
    srv.listen(0, "127.0.0.1", () => resolve({ port: srv.address().port, close: () => { for (const c of sockets) c.destroy(); srv.close(); } }));
  });
}

/** JS heap bytes per open idle connection made by `app` (measured inside XS after gc). */
export async function measureIdle(app, count, stack) {
  const srv = await holdServer();
  try {
    const out = await runApp(app, [srv.port, count], 120, false, stack);
    return Number(out.match(/per-socket (-?[\d.]+)/)[1]);
  } finally { srv.close(); }
}

/** Connections per second that the server `app` accepts, answers with one byte and closes (`concurrency` clients at a time). */
export async function measureAccept(app, count, concurrency = 16, stack = undefined) {
  const { file, argv, env } = command(app, { args: [count], timeout: 120, stack });
  const p = spawn(file, argv, { stdio: ["ignore", "pipe", "inherit"], env });
  const port = await new Promise((resolve) => {
    let out = "";
    p.stdout.on("data", (d) => { out += d; const m = out.match(/port (\d+)/); if (m) resolve(Number(m[1])); });
  });
  const exited = new Promise((r) => p.on("close", r));
  const start = process.hrtime.bigint();
  let started = 0, finished = 0;
  await new Promise((resolve, reject) => {
    const one = () => {
      if (started === count) return;
      started++;
      const c = net.connect(port, "127.0.0.1");
      let got = 0;
      c.on("data", (d) => (got += d.length));
      c.on("error", reject);
      c.on("close", () => {
        if (got !== 1) return reject(new Error(`${app}: a client got ${got} bytes`));
        if (++finished === count) resolve(); else one();
      });
    };
    for (let i = 0; i < concurrency; i++) one();
    // the app exits at its timeout if connections go missing: fail rather than wait for ever
    exited.then((code) => code !== 0 && reject(new Error(`${app}${stack ? ` (${stack})` : ""} exited ${code} after ${finished} of ${count} connections`)));
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await exited;
  return count / seconds;
}

/** Heap (after gc) at the end of `count` connect/close cycles relative to the baseline after 100 cycles. */
export async function measureCycles(app, count, stack) {
  const srv = await holdServer();
  try {
    const out = await runApp(app, [srv.port, count], 300, false, stack);
    const m = out.match(/baseline (\d+) end (\d+)/);
    return Number(m[2]) / Number(m[1]);
  } finally { srv.close(); }
}

/** Run tools/bench/node-peer.js in its own process; resolves with its stdout. */
function nodePeer(...args) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [path.join(root, "tools", "bench", "node-peer.js"), ...args.map(String)],
      { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`node peer exited ${code}`))));
  });
}
const nodeSend = (port, total, chunk) => nodePeer("send", port, total, chunk);
const nodeReceive = (port, total) => nodePeer("receive", port, total);
const nodeEcho = (port, count) => nodePeer("echo", port, count);

/** CPU seconds a bench app or Node peer reported for its measured section ("cpu <s>"). */
export function cpuOf(out) {
  const m = /cpu ([\d.e-]+)/.exec(out);
  if (!m) throw new Error(`no cpu figure in: ${out}`);
  return Number(m[1]);
}
