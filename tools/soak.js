#!/usr/bin/env node
// Soak (`npm run soak [-- --cycles N] [--clients M] [--seconds S] [--luatos] [--json]`), not part of `npm test`: bounded in
// time and count, loopback only. One simulator process runs tools/soak/apps/soak.ts under Node's control:
//   1. N connect/send/close cycles with nodemcu/net as the client (to a Node server that checks every byte),
//      then N with nodemcu/net as the echo server (Node clients, one at a time); N = --cycles, default 10,000.
//   2. M concurrent Node clients (--clients, default 200) for S seconds (--seconds, default 60) exchanging random
//      blocks with the nodemcu/net echo server, SHA-256 compared both ways; one session in five is a hostile
//      peer: it resets mid-transfer, half-closes, stalls (never reads) or never sends.
// --luatos: the client cycles use luatos/socket (create, connect, tx, close, release) and the echo server of the
// server cycles and of step 2 is a luatos/socket one (listen(ctrl, 8), accept).
// JS heap (after gc, xsnet-sim/heap) and the simulator's open descriptors (/proc/<pid>/fd) are taken at the
// start and at the end, and every SAMPLE_MS with the process's RSS (`samples` in --json: during the client and
// server cycles the heap is not sampled, a command is in flight). Exit status 1 when a byte was lost, a connection failed unexpectedly, or the heap or
// the descriptors did not come back to their baseline (tolerances: HEAP_TOLERANCE, FD_TOLERANCE).
import { buildSim } from "./build-sim.js";
import { compile } from "./compile.js";
import { startSim } from "./soak/control.js";
import { newTally, cycleServer, serverCycles, concurrentClients } from "./soak/peers.js";
import net from "node:net";

/** The heap may end this much above its start: 5% or 64 KiB, whichever is larger (XS grows in chunks). */
export const HEAP_TOLERANCE = { fraction: 0.05, bytes: 64 * 1024 };
/** Descriptors open at the end beyond those at the start. */
export const FD_TOLERANCE = 0;

/** Interval of the heap / RSS / descriptor samples, ms. */
export const SAMPLE_MS = 5000;

/** A TCP port of 127.0.0.1 free right now (for the luatos/socket server, which listens on a given port). */
function freePort() {
  const s = net.createServer();
  return new Promise((resolve) => s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => resolve(port)); }));
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function option(argv, name, fallback) {
  const at = argv.indexOf(name);
  if (at < 0) return fallback;
  const v = Number(argv[at + 1]);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} needs a positive integer`);
  return v;
}

/** Heap and descriptors once the simulator has settled: polls up to 10 s for the descriptors to come back. */
async function measure(sim, fdTarget = Infinity) {
  let fds = sim.fds();
  for (let i = 0; i < 100 && fds > fdTarget; i++) { await sleep(100); fds = sim.fds(); }
  const heap = Number((await sim.command("heap")).split(" ")[1]);
  return { heap, fds: sim.fds() };
}

export async function main(argv = process.argv.slice(2)) {
  const json = argv.includes("--json");
  const luatos = argv.includes("--luatos");
  // the echo server: nodemcu/net, or luatos/socket on a port found free here
  const serve = async () => Number((await sim.command(luatos ? `serve-luatos ${await freePort()}` : "serve")).split(" ")[1]);
  const cycles = option(argv, "--cycles", 10000);
  const clients = option(argv, "--clients", 200);
  const seconds = option(argv, "--seconds", 60);
  const log = json ? () => {} : (s) => process.stdout.write(s);
  buildSim({ quiet: true });
  compile();
  const budget = 120 + seconds + Math.ceil(cycles / 50); // the simulator's own time limit, seconds
  const sim = await startSim({ timeout: budget });
  const t0 = Date.now();
  let sampler;
  try {
    log(`xsnet soak: loopback, ${luatos ? "luatos/socket" : "nodemcu/net"} echo server, ${cycles} cycles as client and as server, ${clients} clients for ${seconds} s (time limit ${budget} s)\n`);
    const start = await measure(sim);
    log(`start: heap ${start.heap} bytes, ${start.fds} descriptors, RSS ${sim.rss()} bytes\n`);
    // Samples over time: heap only while no command of the cycles is in flight (replies come in order of completion).
    const samples = [];
    let heapSampling = false;
    const sample = async () => {
      const s = { t: Math.round((Date.now() - t0) / 1000), rss: sim.rss(), fds: sim.fds() };
      if (heapSampling) s.heap = Number((await sim.command("heap")).split(" ")[1]);
      samples.push(s);
      log(`  t=${s.t}s rss ${s.rss} fds ${s.fds}${s.heap === undefined ? "" : ` heap ${s.heap}`}\n`);
    };
    sampler = setInterval(() => { sample().catch(() => {}); }, SAMPLE_MS);

    const asClient = newTally();
    const sink = await cycleServer(asClient);
    const reply = await sim.command(`${luatos ? "cycles-luatos" : "cycles"} ${sink.port} ${cycles}`);
    const [, , , failedAsClient, , slowestAsClient] = reply.split(" ");
    await sink.settled(cycles - Number(failedAsClient));
    sink.close();
    asClient.failures += Number(failedAsClient);
    if (asClient.sessions !== cycles) asClient.failures++, asClient.reasons.push(`the sink saw ${asClient.sessions} of ${cycles} cycles`);
    log(`client cycles: ${asClient.sessions} connections, ${failedAsClient} failed, slowest ${slowestAsClient} ms\n`);

    const asServer = newTally();
    let port = await serve();
    const slowestAsServer = await serverCycles(port, cycles, asServer);
    await sim.command("stop");
    log(`server cycles: ${asServer.sessions} connections, ${asServer.failures} failed, slowest ${slowestAsServer.toFixed(1)} ms\n`);

    const mixed = newTally();
    port = await serve();
    heapSampling = true;
    await concurrentClients(port, clients, Date.now() + seconds * 1000, mixed);
    clearInterval(sampler);
    await sleep(100);   // a sample's heap command still in flight
    const stopped = (await sim.command("stop")).split(" ");
    const server = {};
    for (let i = 1; i < stopped.length; i += 2) server[stopped[i]] = Number(stopped[i + 1]);
    log(`concurrent: ${mixed.sessions} sessions, ${(mixed.echoed / 1048576).toFixed(1)} MiB echoed intact, ` +
      `${mixed.lost} bytes lost, ${mixed.failures} failed; hostile peers: ${JSON.stringify(mixed.hostile)}\n` +
      `  server side: ${JSON.stringify(server)}\n`);

    const end = await measure(sim, start.fds + FD_TOLERANCE);
    const endRss = sim.rss();
    log(`end: heap ${end.heap} bytes, ${end.fds} descriptors, RSS ${endRss} bytes\n`);
    await sim.command("exit").catch(() => {});
    const code = await Promise.race([sim.exited, sleep(5000).then(() => "still running")]);

    const all = [asClient, asServer, mixed];
    const bytesLost = all.reduce((n, t) => n + t.lost, 0);
    const failures = all.reduce((n, t) => n + t.failures, 0);
    const heapLimit = start.heap + Math.max(start.heap * HEAP_TOLERANCE.fraction, HEAP_TOLERANCE.bytes);
    const problems = [];
    if (bytesLost) problems.push(`${bytesLost} bytes lost`);
    if (failures) problems.push(`${failures} connections failed unexpectedly: ${all.flatMap((t) => t.reasons).slice(0, 10).join("; ")}`);
    if (end.heap > heapLimit) problems.push(`heap ${end.heap} > ${Math.round(heapLimit)} (start ${start.heap})`);
    if (end.fds > start.fds + FD_TOLERANCE) problems.push(`${end.fds} descriptors open, ${start.fds} at the start`);
    if (code !== 0) problems.push(`simulator exit: ${code}`);
    const result = {
      echoServer: luatos ? "luatos/socket" : "nodemcu/net", cycles, clients, seconds, elapsedSeconds: Math.round((Date.now() - t0) / 100) / 10,
      bytesLost, unexpectedFailures: failures,
      bytesExchanged: all.reduce((n, t) => n + t.sent + t.echoed, 0),
      heap: { start: start.heap, end: end.heap, tolerance: HEAP_TOLERANCE },
      fds: { start: start.fds, end: end.fds, tolerance: FD_TOLERANCE },
      rss: { end: endRss, max: Math.max(endRss, ...samples.map((x) => x.rss)) },
      samples,
      slowestCycleMs: { asClient: Number(slowestAsClient), asServer: Math.round(slowestAsServer * 10) / 10 },
      sessions: { asClient: asClient.sessions, asServer: asServer.sessions, concurrent: mixed.sessions },
      hostile: mixed.hostile, server, problems, ok: problems.length === 0,
    };
    log(problems.length ? `FAIL: ${problems.join("; ")}\n` : `OK: no byte lost, no unexpected failure, heap and descriptors back to baseline (${result.elapsedSeconds} s)\n`);
    if (json) process.stdout.write(JSON.stringify(result) + "\n");
    return result.ok ? 0 : 1;
  } finally {
    clearInterval(sampler);
    sim.kill();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then((code) => process.exit(code), (e) => { console.error(`soak: ${e.message}`); process.exit(1); });
}
