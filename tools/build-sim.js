#!/usr/bin/env node
// Builds the simulator (hosts/sim + the XS engine sources from the npm package @agoric/xsnap) with the
// machine's C compiler and make. Incremental: make rebuilds only what changed. Run by `npm install`
// (postinstall), `npm test` and `xsnet run`.
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { root, xsPackageDir } from "./sim.js";

export function buildSim({ quiet = false } = {}) {
  const jobs = String(Math.max(1, os.cpus().length));
  const r = spawnSync("make", ["-s", "-C", path.join(root, "hosts", "sim"), "-j", jobs,
    `XS=${xsPackageDir()}`, `OUT=${path.join(root, "build", "sim")}`], { stdio: quiet ? "pipe" : "inherit", encoding: "utf8" });
  if (r.error) throw new Error(`cannot run make (${r.error.message}): the simulator needs make and a C compiler (gcc)`);
  if (r.status !== 0) throw new Error(`building the simulator failed${quiet ? ":\n" + r.stdout + r.stderr : ""}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    buildSim();
  } catch (e) {
    console.error(`xsnet: ${e.message}`);
    process.exit(1);
  }
}
