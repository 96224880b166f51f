#!/usr/bin/env node
// Benchmarks (`npm run bench [-- --json]`): nodemcu/net and luatos/socket against raw ECMA-419 sockets in the
// same simulator, and both against Node's `net` (a client in its own process, as the simulator is), all in one
// run on loopback so that the ratios compare like with like on a noisy machine. Peers are Node servers on
// 127.0.0.1; each figure is the median of `--runs` interleaved runs (default 5). `--only
// send,receive,receiveString,echo32,modules,idle,accept,cycles,bytecode,tls` picks cases (tls: tools/bench/tls.js). `--json`
// prints one object: {runs, results, ratios, figures: {idleHeapBytes, bytecodeBytes, ...}}. `--stack lwip`: the same
// cases on lwIP over libslirp against POSIX, in a network namespace of their own (tools/bench/lwip.js).
import { spawnSync } from "node:child_process";
import { buildSim } from "./build-sim.js";
import { compile } from "./compile.js";
import path from "node:path";
import { simCommand, root } from "./sim.js";
import { tlsBench } from "./bench/tls.js";
import { lwipBench, loopbackOnly, reexecInNamespace } from "./bench/lwip.js";
import { fileURLToPath } from "node:url";
import { median, runApp, measureSend, measureReceive, measureEcho, measureIdle, measureAccept, measureCycles, cpuOf }
  from "./bench/measure.js";

const MiB = 1024 * 1024;

/**
 * XS byte code of the modules a NodeMCU app loads (`nodemcu/*`, `xsnet/core/*`, `xsnet/dns/*`) and a LuatOS one
 * (`luatos/*`, `xsnet/core/*`, `xsnet/dns/*`), as the simulator's own compiler makes it for a device (without the
 * line-number instructions it adds for its stack traces): the simulator reports each module it compiles when
 * XSNET_REPORT_BYTECODE is set (hosts/sim/bytecode.c). It preloads every module of the manifest, as a board does,
 * so one run of an app that does nothing reports them all.
 */
function measureBytecode() {
  const { file, argv } = simCommand("tools/bench/apps/load.ts", { timeout: 30 });
  const r = spawnSync(file, argv, { env: { ...process.env, XSNET_REPORT_BYTECODE: "1" }, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`load.ts exited ${r.status}: ${r.stderr}`);
  const dirs = { nodemcu: 0, luatos: 0, core: 0, dns: 0 };
  const src = path.join(root, "build", "js", "src") + path.sep;
  for (const m of r.stderr.matchAll(/^bytecode (\S+) (\d+) (\d+)$/gm)) {
    if (!m[1].startsWith(src)) continue;               // the app and the host's own modules are not counted
    const dir = m[1].slice(src.length).split(path.sep)[0];
    if (dir in dirs) dirs[dir] += Number(m[3]);
  }
  if (!dirs.core) throw new Error("the simulator reported no byte code (XSNET_REPORT_BYTECODE, hosts/sim/bytecode.c)");
  return { nodemcu: dirs.nodemcu + dirs.core + dirs.dns, luatos: dirs.luatos + dirs.core + dirs.dns, byFolder: dirs, unit: "bytes" };
}

export async function main(argv = process.argv.slice(2)) {
  const json = argv.includes("--json");
  const runsAt = argv.indexOf("--runs");
  const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : 5;
  const onlyAt = argv.indexOf("--only");
  const only = onlyAt >= 0 ? new Set(argv[onlyAt + 1].split(",")) : null;
  const want = (name) => !only || only.has(name);
  const total = 32 * MiB, chunk = 16 * 1024, echoes = 5000;
  const log = json ? () => {} : (s) => process.stdout.write(s);
  const stackAt = argv.indexOf("--stack");
  const stack = stackAt >= 0 ? argv[stackAt + 1] : "posix";
  if (stack !== "posix" && stack !== "lwip") throw new Error(`--stack ${stack}: posix (the default) or lwip`);
  if (process.env.XSNET_BENCH_NETNS !== "1") {   // built already by the bench that re-executed itself
    buildSim({ quiet: true });
    if (stack === "lwip") buildSim({ quiet: true, lwip: true });   // outside the namespace: it may fetch lwIP's source
    compile();
  }
  if (stack === "lwip") {
    if (!loopbackOnly()) return reexecInNamespace(fileURLToPath(import.meta.url), argv);
    const r = await lwipBench({ runs, want, log });
    if (json) process.stdout.write(JSON.stringify({ runs, stack, ...r }) + "\n");
    return 0;
  }

  const cases = {
    send: { raw: () => measureSend("tools/bench/apps/raw-send.ts", total, chunk), nodemcu: () => measureSend("tools/bench/apps/nodemcu-send.ts", total, chunk), luatos: () => measureSend("tools/bench/apps/luatos-send.ts", total, chunk), node: () => measureSend(null, total, chunk), unit: "MB/s", cpuUnit: "ms/MiB" },
    receive: { raw: () => measureReceive("tools/bench/apps/raw-receive.ts", total), nodemcu: () => measureReceive("tools/bench/apps/nodemcu-receive.ts", total, "buffer"), luatos: () => measureReceive("tools/bench/apps/luatos-receive.ts", total), node: () => measureReceive(null, total), unit: "MB/s", cpuUnit: "ms/MiB" },
    receiveString: { raw: () => measureReceive("tools/bench/apps/raw-receive.ts", total), nodemcu: () => measureReceive("tools/bench/apps/nodemcu-receive.ts", total, "string"), luatos: () => measureReceive("tools/bench/apps/luatos-receive.ts", total, "string"), node: () => measureReceive(null, total), unit: "MB/s", cpuUnit: "ms/MiB" },
    echo32: { raw: () => measureEcho("tools/bench/apps/raw-echo.ts", echoes), nodemcu: () => measureEcho("tools/bench/apps/nodemcu-echo.ts", echoes), luatos: () => measureEcho("tools/bench/apps/luatos-echo.ts", echoes), node: () => measureEcho(null, echoes), unit: "round trips/s", cpuUnit: "us/round trip" },
  };
  const results = {}, ratios = {}, figures = {};
  log(`xsnet benchmarks: loopback, median of ${runs} runs, ${total / MiB} MiB bulk in ${chunk / 1024} KiB sends, ${echoes} echo round trips\n`);
  for (const [name, c] of Object.entries(cases)) {
    if (!want(name)) continue;
    const variants = c.luatos ? ["raw", "nodemcu", "luatos", "node"] : ["raw", "nodemcu", "node"];
    const samples = { raw: [], nodemcu: [], luatos: [], node: [] };
    for (let i = 0; i < runs; i++) {
      // interleaved, so that a slow moment of the machine hits every variant alike
      for (const v of variants) samples[v].push(await c[v]());
    }
    const pick = (v, k) => median(samples[v].map((x) => x[k]));
    const r = { raw: pick("raw", "rate"), nodemcu: pick("nodemcu", "rate"), node: pick("node", "rate"), unit: c.unit,
      cpu: { raw: pick("raw", "cpu"), nodemcu: pick("nodemcu", "cpu"), node: pick("node", "cpu"), unit: c.cpuUnit } };
    results[name] = r;
    ratios[`${name}: nodemcu/raw419`] = r.nodemcu / r.raw;
    ratios[`${name}: nodemcu/node`] = r.nodemcu / r.node;
    ratios[`${name}: raw419/node`] = r.raw / r.node;
    // CPU time per unit of work (a MiB, a round trip): steadier than wall time on a shared machine.
    // Ratios are efficiency, higher is better: raw CPU / nodemcu CPU.
    ratios[`${name} cpu: nodemcu/raw419`] = r.cpu.raw / r.cpu.nodemcu;
    ratios[`${name} cpu: nodemcu/node`] = r.cpu.node / r.cpu.nodemcu;
    const scale = c.cpuUnit === "us/round trip" ? 1e6 : 1e3;
    if (c.luatos) {
      r.luatos = pick("luatos", "rate");
      r.cpu.luatos = pick("luatos", "cpu");
      ratios[`${name}: luatos/raw419`] = r.luatos / r.raw;
      ratios[`${name}: luatos/node`] = r.luatos / r.node;
      ratios[`${name} cpu: luatos/raw419`] = r.cpu.raw / r.cpu.luatos;
      ratios[`${name} cpu: luatos/node`] = r.cpu.node / r.cpu.luatos;
    }
    log(`${name.padEnd(14)} raw 419 ${r.raw.toFixed(1).padStart(9)}  nodemcu/net ${r.nodemcu.toFixed(1).padStart(9)}  node ${r.node.toFixed(1).padStart(9)} ${c.unit}` +
      `   nodemcu/raw ${(r.nodemcu / r.raw).toFixed(2)}x  nodemcu/node ${(r.nodemcu / r.node).toFixed(2)}x\n` +
      `${"".padEnd(14)} cpu: raw ${(r.cpu.raw * scale).toFixed(1)}  nodemcu ${(r.cpu.nodemcu * scale).toFixed(1)}  node ${(r.cpu.node * scale).toFixed(1)} ${c.cpuUnit}` +
      `   efficiency nodemcu/raw ${(r.cpu.raw / r.cpu.nodemcu).toFixed(2)}x  nodemcu/node ${(r.cpu.node / r.cpu.nodemcu).toFixed(2)}x\n` +
      (c.luatos ? `${"".padEnd(14)} luatos/socket ${r.luatos.toFixed(1)} ${c.unit}, cpu ${(r.cpu.luatos * scale).toFixed(1)} ${c.cpuUnit}` +
        `   luatos/raw ${(r.luatos / r.raw).toFixed(2)}x  efficiency luatos/raw ${(r.cpu.raw / r.cpu.luatos).toFixed(2)}x\n` : ""));
  }
  // What the manifest's modules cost an app that does not use them: a raw ECMA-419 app run as every bench app is
  // (all of the manifest's modules preloaded, as a board build does) against the same app loading only what it
  // imports. On a board the preloaded modules are in flash and cost nothing here (ratio 1).
  if (want("modules")) {
    const kinds = {
      echo32: (noPreload) => measureEcho("tools/bench/apps/raw-echo.ts", echoes, noPreload),
      receive: (noPreload) => measureReceive("tools/bench/apps/raw-receive.ts", total, "", noPreload),
    };
    results.modules = {};
    for (const [name, run] of Object.entries(kinds)) {
      const samples = { preloaded: [], bare: [] };
      for (let i = 0; i < runs; i++) {
        samples.bare.push(await run(true));
        samples.preloaded.push(await run(false));
      }
      const pick = (v, k) => median(samples[v].map((x) => x[k]));
      const r = { preloaded: pick("preloaded", "rate"), bare: pick("bare", "rate"),
        cpu: { preloaded: pick("preloaded", "cpu"), bare: pick("bare", "cpu") } };
      results.modules[name] = r;
      ratios[`${name}: raw419 preloaded/bare`] = r.preloaded / r.bare;
      ratios[`${name} cpu: raw419 preloaded/bare`] = r.cpu.bare / r.cpu.preloaded;
      log(`${("modules " + name).padEnd(14)} raw 419 with the manifest's modules preloaded / without: ${(r.preloaded / r.bare).toFixed(2)}x wall, ` +
        `${(r.cpu.bare / r.cpu.preloaded).toFixed(2)}x cpu efficiency\n`);
    }
  }
  // Memory and connection handling (issue 3's targets: <= 1 KiB per socket object, accept rate >= 0.8x raw,
  // heap back to its baseline within 1% after 10,000 cycles).
  const idle = 1000;
  if (want("idle")) {
    const raw = await measureIdle("tools/bench/apps/raw-idle.ts", idle);
    const nm = await measureIdle("tools/bench/apps/nodemcu-idle.ts", idle);
    const lt = await measureIdle("tools/bench/apps/luatos-idle.ts", idle);
    results.idleHeap = { raw, nodemcu: nm, luatos: lt, sockets: idle, unit: "bytes per idle connection" };
    figures.idleHeapBytes = nm;
    figures.idleHeapBytesLuatos = lt;
    figures.idleHeapBytesRaw = raw;
    log(`${"idle heap".padEnd(14)} raw 419 ${raw.toFixed(0).padStart(9)}  nodemcu/net ${nm.toFixed(0).padStart(9)}  luatos/socket ${lt.toFixed(0).padStart(9)} bytes per open idle connection (${idle} open)\n`);
  }
  if (want("bytecode")) {
    const b = measureBytecode();
    figures.bytecodeBytes = b.nodemcu;
    figures.bytecodeBytesLuatos = b.luatos;
    results.bytecode = b;
    log(`${"bytecode".padEnd(14)} nodemcu/net ${b.nodemcu} bytes (nodemcu/*, xsnet/core/*, xsnet/dns/*), luatos/socket ${b.luatos} bytes (luatos/*, xsnet/core/*, xsnet/dns/*): XS byte code, the simulator's compile without line numbers\n`);
  }
  const acceptN = 2000, accept = { raw: [], nodemcu: [] };
  for (let i = 0; i < runs && want("accept"); i++) {
    accept.raw.push(await measureAccept("tools/bench/apps/raw-accept.ts", acceptN));
    accept.nodemcu.push(await measureAccept("tools/bench/apps/nodemcu-accept.ts", acceptN));
  }
  if (want("accept")) {
    const ar = { raw: median(accept.raw), nodemcu: median(accept.nodemcu), unit: "connections/s" };
    results.accept = ar;
    ratios["accept: nodemcu/raw419"] = ar.nodemcu / ar.raw;
    log(`${"accept".padEnd(14)} raw 419 ${ar.raw.toFixed(0).padStart(9)}  nodemcu/net ${ar.nodemcu.toFixed(0).padStart(9)} connections/s   nodemcu/raw ${(ar.nodemcu / ar.raw).toFixed(2)}x\n`);
  }
  if (want("cycles")) {
    const cycles = 10000;
    const growth = await measureCycles("tools/bench/apps/nodemcu-cycles.ts", cycles);
    results.cycles = { count: cycles, endOverBaseline: growth };
    log(`${"cycles".padEnd(14)} heap after ${cycles} connect/close cycles: ${(growth * 100).toFixed(2)}% of the baseline\n`);
  }
  if (want("tls")) {
    const t = await tlsBench({ runs, log, runApp, cpuOf });
    Object.assign(results, t.results);
    Object.assign(ratios, t.ratios);
  }
  if (json) process.stdout.write(JSON.stringify({ runs, results, ratios, figures }) + "\n");
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then((code) => process.exit(code), (e) => { console.error(`bench: ${e.message}`); process.exit(1); });
}
