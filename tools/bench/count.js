#!/usr/bin/env node
// Instruction counts of the bench apps (docs/performance.md, "Which figure to trust"): each app runs twice under
// valgrind's callgrind, a short and a long run, against a Node peer on 127.0.0.1; the difference divided by the
// extra work cancels start-up, so the figure is the same run after run even on a loaded machine.
//   node tools/bench/count.js [echo|send|receiveString] [raw,nodemcu,luatos] [--heap KiB] [--bare] [--sim path]
//     [--functions N]
// echo: instructions per 32-byte round trip (1,000 and 6,000); send: per 16 KiB send (4 and 12 MiB);
// receiveString: per MiB of text received (4 and 12 MiB). Needs valgrind (Debian package `valgrind`); run
// `node tools/build-sim.js && node tools/compile.js` first. `--heap 4096` starts the app's machine with a 4 MiB chunk
// heap instead of a board's 32 KiB (hosts/sim/heap.c): fewer collections, so the figure shows the JS layer's own cost
// without the collector's share. `--functions N` also prints the N functions (self cost, callgrind_annotate) whose
// instructions grew most between the two runs, per unit: where a layer's cost goes. `--bare` runs the
// apps without the manifest's preloads (tools/bench/bare.js): with `raw`, what the preloaded modules cost an app
// that does not use them. `--sim` runs another build of the simulator (a before/after comparison).
import net from "node:net";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { simCommand } from "../sim.js";
import { bare } from "./bare.js";
import { sendBytes } from "./measure.js";

const MiB = 1024 * 1024;

/** A Node peer for one connection: "echo" writes back what it reads, "sink" reads, "source" sends `total` bytes. */
function peer(mode, total) {
  return new Promise((resolve) => {
    const srv = net.createServer((c) => {
      c.setNoDelay(true);
      c.on("error", () => {});
      if (mode === "echo") c.on("data", (d) => c.write(d));
      else if (mode === "sink") c.resume();
      else sendBytes(c, total);
      c.on("close", () => srv.close());
    });
    srv.listen(0, "127.0.0.1", () => resolve(srv.address().port));
  });
}

/** Self instructions per function of a callgrind output file (callgrind_annotate), keyed by function name. */
function functionCosts(out) {
  const r = spawnSync("callgrind_annotate", ["--inclusive=no", "--threshold=100", "--auto=no", "--show-percs=no", out], { encoding: "utf8", maxBuffer: 64 * MiB });
  const costs = new Map();
  for (const line of r.stdout.split("\n")) {
    const m = /^\s*([\d,]+)\s+(\S+?)(?: \[.*\])?$/.exec(line);
    if (!m || !m[2].includes(":")) continue;                 // (totals, headers)
    const fn = m[2].replace(/^.*\//, "");                    // file:function, without the directories
    costs.set(fn, (costs.get(fn) ?? 0) + Number(m[1].replace(/,/g, "")));
  }
  return costs;
}

/**
 * Instructions (callgrind's total) of one run of `app` with `args` after the peer's port; with `functions`, also
 * the per-function self costs (`{ total, costs }`).
 */
async function instructions(app, mode, args, total, heap, noPreload, sim, functions) {
  const port = await peer(mode, total);
  const out = path.join(os.tmpdir(), `xsnet-count-${process.pid}-${Date.now()}.out`);
  const command = simCommand(app, { args: [port, ...args], timeout: 600, heap });
  const { argv } = noPreload ? bare(command) : command;
  const file = sim ?? command.file;
  await new Promise((resolve, reject) => {
    const p = spawn("valgrind", ["--tool=callgrind", `--callgrind-out-file=${out}`, file, ...argv], { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    p.stderr.on("data", (d) => (err += d));
    p.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${app} exited ${code}: ${err.slice(-2000)}`))));
  });
  const text = fs.readFileSync(out, "utf8");
  const costs = functions ? functionCosts(out) : undefined;
  fs.unlinkSync(out);
  const m = /^(?:summary|totals): (\d+)/m.exec(text);
  if (!m) throw new Error(`no total in callgrind's output of ${app}`);
  return functions ? { total: Number(m[1]), costs } : Number(m[1]);
}

const cases = {
  echo: { mode: "echo", unit: "round trip", short: [1000], long: [6000], per: 5000 },
  send: { mode: "sink", unit: "16 KiB send", short: [4 * MiB, 16384], long: [12 * MiB, 16384], per: (8 * MiB) / 16384 },
  receiveString: { mode: "source", unit: "MiB", short: [4 * MiB, "string"], long: [12 * MiB, "string"], per: 8, total: true },
};
const apps = { echo: "echo", send: "send", receiveString: "receive" };

export async function main(argv = process.argv.slice(2)) {
  if (spawnSync("valgrind", ["--version"]).status !== 0) throw new Error("valgrind is not installed (apt-get install valgrind)");
  const at = argv.indexOf("--heap");
  const heap = at >= 0 ? Number(argv.splice(at, 2)[1]) : undefined;
  const bareAt = argv.indexOf("--bare");
  const noPreload = bareAt >= 0 && argv.splice(bareAt, 1).length > 0;
  const fnAt = argv.indexOf("--functions");
  const functions = fnAt >= 0 ? Number(argv.splice(fnAt, 2)[1]) : 0;
  const simAt = argv.indexOf("--sim");
  const sim = simAt >= 0 ? path.resolve(argv.splice(simAt, 2)[1]) : undefined;
  const name = argv[0] ?? "echo";
  const c = cases[name];
  if (!c) throw new Error(`unknown case ${name} (echo, send, receiveString)`);
  for (const layer of (argv[1] ?? "raw,nodemcu,luatos").split(",")) {
    const app = `tools/bench/apps/${layer}-${apps[name]}.ts`;
    if (!fs.existsSync(app)) continue;
    const a = await instructions(app, c.mode, c.short, c.total ? c.short[0] : 0, heap, noPreload, sim, functions);
    const b = await instructions(app, c.mode, c.long, c.total ? c.long[0] : 0, heap, noPreload, sim, functions);
    const diff = functions ? b.total - a.total : b - a;
    console.log(`${name} ${layer}${noPreload ? " (no preloads)" : ""}: ${Math.round(diff / c.per).toLocaleString("en")} instructions per ${c.unit}`);
    if (functions) {
      const rows = [...b.costs].map(([fn, n]) => [fn, (n - (a.costs.get(fn) ?? 0)) / c.per]).sort((x, y) => y[1] - x[1]);
      for (const [fn, n] of rows.slice(0, functions)) console.log(`  ${Math.round(n).toLocaleString("en").padStart(12)}  ${fn}`);
    }
  }
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
