#!/usr/bin/env node
// Instruction counts of the bench apps (docs/performance.md, "Which figure to trust"): each app runs twice under
// valgrind's callgrind, a short and a long run, against a Node peer on 127.0.0.1; the difference divided by the
// extra work cancels start-up, so the figure is the same run after run even on a loaded machine.
//   node tools/bench/count.js [echo|send|receiveString] [raw,nodemcu,luatos] [--heap KiB]
// echo: instructions per 32-byte round trip (1,000 and 6,000); send: per 16 KiB send (4 and 12 MiB);
// receiveString: per MiB of text received (4 and 12 MiB). Needs valgrind (Debian package `valgrind`); run
// `node tools/build-sim.js && node tools/compile.js` first. `--heap 4096` starts the simulator with a 4 MiB chunk
// heap: no collection and no walk over the 64 KiB chunk blocks the heap otherwise grows by, so the figure moves less
// with the size of unrelated modules (they are all preloaded) and shows the JS layer's own cost.
import net from "node:net";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { simCommand } from "../sim.js";

const MiB = 1024 * 1024;

/** A Node peer for one connection: "echo" writes back what it reads, "sink" reads, "source" sends `total` bytes. */
function peer(mode, total) {
  return new Promise((resolve) => {
    const srv = net.createServer((c) => {
      c.setNoDelay(true);
      c.on("error", () => {});
      if (mode === "echo") c.on("data", (d) => c.write(d));
      else if (mode === "sink") c.resume();
      else {
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
      c.on("close", () => srv.close());
    });
    srv.listen(0, "127.0.0.1", () => resolve(srv.address().port));
  });
}

/** Instructions (callgrind's total) of one run of `app` with `args` after the peer's port. */
async function instructions(app, mode, args, total, heap) {
  const port = await peer(mode, total);
  const out = path.join(os.tmpdir(), `xsnet-count-${process.pid}-${Date.now()}.out`);
  const { file, argv } = simCommand(app, { args: [port, ...args], timeout: 600, heap });
  await new Promise((resolve, reject) => {
    const p = spawn("valgrind", ["--tool=callgrind", `--callgrind-out-file=${out}`, file, ...argv], { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    p.stderr.on("data", (d) => (err += d));
    p.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${app} exited ${code}: ${err.slice(-2000)}`))));
  });
  const text = fs.readFileSync(out, "utf8");
  fs.unlinkSync(out);
  const m = /^(?:summary|totals): (\d+)/m.exec(text);
  if (!m) throw new Error(`no total in callgrind's output of ${app}`);
  return Number(m[1]);
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
  const name = argv[0] ?? "echo";
  const c = cases[name];
  if (!c) throw new Error(`unknown case ${name} (echo, send, receiveString)`);
  for (const layer of (argv[1] ?? "raw,nodemcu,luatos").split(",")) {
    const app = `tools/bench/apps/${layer}-${apps[name]}.ts`;
    if (!fs.existsSync(app)) continue;
    const a = await instructions(app, c.mode, c.short, c.total ? c.short[0] : 0, heap);
    const b = await instructions(app, c.mode, c.long, c.total ? c.long[0] : 0, heap);
    console.log(`${name} ${layer}: ${Math.round((b - a) / c.per).toLocaleString("en")} instructions per ${c.unit}`);
  }
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
