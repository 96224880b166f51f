// `npm run bench -- --stack lwip`: the benchmarks on the boards' own stack, lwIP 2.1.3 in its own tcpip thread over
// libslirp (build/sim-lwip, XSNET_SIM_STACK=lwip; docs/simulator-host.md), against the same apps on POSIX in the same
// run. Slirp forwards to the real network, so this runs only in a network namespace with nothing but loopback:
// bench.js re-executes itself in a new one (`unshare --net`, loopback up) unless it is in one already. The Node
// peers are in that namespace too; the app reaches them at 127.0.0.1 (slirp's 10.0.2.2) and they reach an lwIP
// listener's port P at 127.0.0.1:P (slirp's host forwarding). Every case runs raw ECMA-419, nodemcu/net and
// luatos/socket on both stacks, interleaved (raw POSIX, raw lwIP, nodemcu POSIX, nodemcu lwIP, ...), medians of
// `runs`. Reported: the layers' cost on lwIP (nodemcu/raw419, luatos/raw419, wall and CPU) beside the same ratios on
// POSIX, and raw ECMA-419 on lwIP against POSIX (MB/s, µs per echo round trip).
import { loopbackOnly } from "../sim.js";
import { spawn, spawnSync } from "node:child_process";
import { median, measureSend, measureReceive, measureEcho, measureIdle, measureAccept, measureCycles } from "./measure.js";

const MiB = 1024 * 1024;
const STACKS = ["posix", "lwip"];
const LAYERS = ["raw", "nodemcu", "luatos"];

/**
 * Run `script` with `argv` again in a new network namespace with loopback up; resolves with its exit code. Throws
 * when namespaces cannot be made here (not root, no user namespaces) or when already re-executed (the marker
 * XSNET_BENCH_NETNS) and still not in a loopback-only namespace.
 */
export function reexecInNamespace(script, argv) {
  if (process.env.XSNET_BENCH_NETNS === "1") throw new Error("--stack lwip: still not in a loopback-only network namespace after unshare --net");
  if (spawnSync("unshare", ["--net", "true"], { stdio: "ignore" }).status !== 0) {
    throw new Error("--stack lwip runs lwIP over libslirp, which forwards to the real network, so only in a network " +
      "namespace with nothing but loopback, and `unshare --net` is not possible here (run as root, or inside such a namespace)");
  }
  const child = spawn("unshare", ["--net", "sh", "-c", 'ip link set lo up && exec "$0" "$@"', process.execPath, script, ...argv],
    { stdio: "inherit", env: { ...process.env, XSNET_BENCH_NETNS: "1" } });
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
  return new Promise((resolve) => child.on("close", (code, signal) => resolve(code ?? (signal ? 128 : 1))));
}

/** Why a case of the POSIX bench is not run with --stack lwip. */
export const NOT_ON_LWIP = {
  modules: "not a network figure (what the manifest's preloaded modules cost an app that does not use them, the same on both stacks): run it without --stack",
  bytecode: "not a network figure (the XS byte code of the modules, the same on both stacks): run it without --stack",
  tls: "not measured on lwIP: the TLS case (tools/bench/tls.js) runs on POSIX only",
};

const apps = {
  send: (layer) => `tools/bench/apps/${layer}-send.ts`,
  receive: (layer) => `tools/bench/apps/${layer}-receive.ts`,
  receiveString: (layer) => `tools/bench/apps/${layer}-receive.ts`,
  echo32: (layer) => `tools/bench/apps/${layer}-echo.ts`,
};

/**
 * The cases on lwIP and POSIX. `want(name)` picks cases; `log(text)` prints. Returns {results, ratios, figures,
 * notOnLwip}: results[case] = {posix: {raw, nodemcu, luatos, cpu: {...}}, lwip: {...}, unit, cpuUnit};
 * ratios "<case> lwip: nodemcu/raw419", "<case> lwip cpu: nodemcu/raw419" (raw CPU / layer CPU, higher is
 * better), the same for luatos and for posix, and "<case>: raw419 lwip/posix", "<case> cpu: raw419 lwip/posix"
 * (POSIX CPU / lwIP CPU); figures.raw419[case] = {posix, lwip, unit} (MB/s; µs per round trip for echo32).
 */
export async function lwipBench({ runs, want, log, total = 32 * MiB, chunk = 16 * 1024, echoes = 5000 }) {
  const cases = {
    // the raw app writes what the socket takes ("fit"): a 16 KiB chunk never fits lwIP's 5,760-byte send buffer
    send: (layer, stack) => measureSend(apps.send(layer), total, chunk, { stack, fit: layer === "raw" }),
    receive: (layer, stack) => measureReceive(apps.receive(layer), total, layer === "nodemcu" ? "buffer" : "", false, stack),
    receiveString: (layer, stack) => measureReceive(apps.receiveString(layer), total, layer === "raw" ? "" : "string", false, stack),
    echo32: (layer, stack) => measureEcho(apps.echo32(layer), echoes, false, stack),
  };
  const units = { send: ["MB/s", "ms/MiB"], receive: ["MB/s", "ms/MiB"], receiveString: ["MB/s", "ms/MiB"], echo32: ["round trips/s", "us/round trip"] };
  const results = {}, ratios = {}, figures = { raw419: {} }, notOnLwip = {};
  log(`xsnet benchmarks on lwIP 2.1.3 + libslirp (build/sim-lwip) and POSIX (build/sim), both in this network namespace ` +
    `(loopback only): median of ${runs} interleaved runs, ${total / MiB} MiB bulk in ${chunk / 1024} KiB sends (raw 419: ` +
    `writes of what the socket takes), ${echoes} echo round trips\n`);
  for (const [name, run] of Object.entries(cases)) {
    if (!want(name)) continue;
    const samples = {};
    for (const s of STACKS) for (const l of LAYERS) samples[`${s} ${l}`] = [];
    for (let i = 0; i < runs; i++) {
      for (const l of LAYERS) for (const s of STACKS) samples[`${s} ${l}`].push(await run(l, s));
    }
    const [unit, cpuUnit] = units[name];
    const r = { unit, cpuUnit };
    for (const s of STACKS) {
      r[s] = { cpu: {} };
      for (const l of LAYERS) {
        r[s][l] = median(samples[`${s} ${l}`].map((x) => x.rate));
        r[s].cpu[l] = median(samples[`${s} ${l}`].map((x) => x.cpu));
      }
      for (const l of ["nodemcu", "luatos"]) {
        ratios[`${name} ${s}: ${l}/raw419`] = r[s][l] / r[s].raw;
        ratios[`${name} ${s} cpu: ${l}/raw419`] = r[s].cpu.raw / r[s].cpu[l];
      }
    }
    for (const l of LAYERS) {
      const label = l === "raw" ? "raw419" : l;
      ratios[`${name}: ${label} lwip/posix`] = r.lwip[l] / r.posix[l];
      ratios[`${name} cpu: ${label} lwip/posix`] = r.posix.cpu[l] / r.lwip.cpu[l];
    }
    results[name] = r;
    const echo = name === "echo32";
    const shown = (rate) => (echo ? 1e6 / rate : rate);
    figures.raw419[name] = { posix: shown(r.posix.raw), lwip: shown(r.lwip.raw), unit: echo ? "us/round trip" : "MB/s" };
    const scale = echo ? 1e6 : 1e3;
    const x = (v) => `${v.toFixed(2)}x`;
    const layer = (s, l) => `${l === "nodemcu" ? "nodemcu/net" : "luatos/socket"} ${x(r[s][l] / r[s].raw)} wall, ${x(r[s].cpu.raw / r[s].cpu[l])} cpu`;
    log(`${name.padEnd(14)} raw 419: lwip ${shown(r.lwip.raw).toFixed(1)}  posix ${shown(r.posix.raw).toFixed(1)} ${figures.raw419[name].unit}` +
      `   lwip/posix ${x(r.lwip.raw / r.posix.raw)} wall${echo ? " (rate)" : ""}, cpu ${(r.lwip.cpu.raw * scale).toFixed(1)} vs ${(r.posix.cpu.raw * scale).toFixed(1)} ${cpuUnit}\n` +
      `${"".padEnd(14)} on lwip, against raw 419: ${layer("lwip", "nodemcu")};  ${layer("lwip", "luatos")}` +
      `   (nodemcu ${shown(r.lwip.nodemcu).toFixed(1)}, luatos ${shown(r.lwip.luatos).toFixed(1)} ${figures.raw419[name].unit})\n` +
      `${"".padEnd(14)} on posix, same run:       ${layer("posix", "nodemcu")};  ${layer("posix", "luatos")}\n`);
  }
  // Accept: 2 clients at a time. With 8 or 16 at a time some connections that slirp's host forwarding accepted never
  // reach the lwIP listener (its accept callback never runs for them) and the app waits for them until its timeout
  // (seen with 2 of 300 at 8, 12 of 200 at 16; docs/performance.md "On lwIP").
  if (want("accept")) {
    const acceptN = 2000, concurrency = 2, s = {};
    for (const st of STACKS) for (const l of ["raw", "nodemcu"]) s[`${st} ${l}`] = [];
    for (let i = 0; i < runs; i++) {
      for (const l of ["raw", "nodemcu"]) for (const st of STACKS) {
        s[`${st} ${l}`].push(await measureAccept(`tools/bench/apps/${l}-accept.ts`, acceptN, concurrency, st));
      }
    }
    const r = { unit: "connections/s", clientsAtATime: concurrency };
    for (const st of STACKS) r[st] = { raw: median(s[`${st} raw`]), nodemcu: median(s[`${st} nodemcu`]) };
    results.accept = r;
    ratios["accept lwip: nodemcu/raw419"] = r.lwip.nodemcu / r.lwip.raw;
    ratios["accept posix: nodemcu/raw419"] = r.posix.nodemcu / r.posix.raw;
    ratios["accept: raw419 lwip/posix"] = r.lwip.raw / r.posix.raw;
    log(`${"accept".padEnd(14)} raw 419: lwip ${r.lwip.raw.toFixed(0)}  posix ${r.posix.raw.toFixed(0)} connections/s   lwip/posix ${(r.lwip.raw / r.posix.raw).toFixed(2)}x` +
      `   nodemcu/raw: lwip ${(r.lwip.nodemcu / r.lwip.raw).toFixed(2)}x, posix ${(r.posix.nodemcu / r.posix.raw).toFixed(2)}x` +
      ` (${concurrency} clients at a time, not the POSIX bench's 16: with 8 or more slirp loses some connections)\n`);
  }
  if (want("idle")) {
    const idle = 1000, r = { sockets: idle, unit: "bytes per idle connection" };
    for (const l of LAYERS) r[l] = await measureIdle(`tools/bench/apps/${l}-idle.ts`, idle, "lwip");
    results.idleHeap = r;
    log(`${"idle heap".padEnd(14)} on lwip: raw 419 ${r.raw.toFixed(0)}  nodemcu/net ${r.nodemcu.toFixed(0)}  luatos/socket ${r.luatos.toFixed(0)} bytes of JS heap per open idle connection (${idle} open)\n`);
  }
  if (want("cycles")) {
    const cycles = 10000, growth = await measureCycles("tools/bench/apps/nodemcu-cycles.ts", cycles, "lwip");
    results.cycles = { count: cycles, endOverBaseline: growth };
    log(`${"cycles".padEnd(14)} on lwip: heap after ${cycles} connect/close cycles: ${(growth * 100).toFixed(2)}% of the baseline\n`);
  }
  for (const [name, why] of Object.entries(NOT_ON_LWIP)) {
    if (!want(name)) continue;
    notOnLwip[name] = why;
    log(`${name.padEnd(14)} ${why}\n`);
  }
  return { results, ratios, figures, notOnLwip };
}

export { loopbackOnly };
