#!/usr/bin/env node
// Builds the simulator (hosts/sim + the XS engine sources from the npm package @agoric/xsnap) with the
// machine's C compiler and make. Incremental: make rebuilds only what changed. Run by `npm install`
// (postinstall), `npm test` and `xsnet run`.
// `--sanitize` (or XSNET_SANITIZE=1) builds the sanitizer variant instead, into build/sim-asan: AddressSanitizer
// on everything, UndefinedBehaviorSanitizer on the host's own files (hosts/sim/Makefile says why not on XS's).
// tools/sim.js runs that binary when XSNET_SANITIZE=1 is set. `--debug` builds XS with its debugger (mxDebug) into
// build/sim-debug, for `xsnet run --debug` (xsbug; stack traces with file and line). `--lwip` builds the simulator
// with the lwIP backend too (hosts/sim/net/lwip) into build/sim-lwip, after lwIP itself (tools/lwip-slirp.js: Debian's
// lwIP source and libslirp): run with XSNET_SIM_STACK=lwip (`xsnet run --stack lwip`). The default build needs none of it.
// `--lwip --sanitize thread` builds it with ThreadSanitizer into build/sim-lwip-tsan (XSNET_SIM_TSAN=1 runs it).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { root, xsPackageDir } from "./sim.js";
import { build as buildLwip, includeDirs as lwipIncludeDirs } from "./lwip-slirp.js";

/**
 * Build the simulator (build/sim/xsnet-sim), when make says it is out of date. `sanitize` (default: XSNET_SANITIZE=1
 * is set): the AddressSanitizer + UBSan variant (build/sim-asan/xsnet-sim); else `debug`: XS with its debugger
 * (build/sim-debug/xsnet-sim, for xsbug). `quiet`: make's output only in the error; otherwise each step is printed.
 * @throws Error when make or the compiler is missing, or the build fails.
 */
export function buildSim({ quiet = false, sanitize = process.env.XSNET_SANITIZE === "1", debug = false, lwip = false } = {}) {
  const jobs = String(Math.max(1, os.cpus().length));
  const tsan = lwip && sanitize === "thread";
  const out = path.join(root, "build", lwip ? (tsan ? "sim-lwip-tsan" : "sim-lwip") : sanitize ? "sim-asan" : debug ? "sim-debug" : "sim");
  let lwipArgs = [];
  if (lwip) {
    sanitize = debug = false;
    const built = buildLwip(tsan ? { sanitize: "thread" } : {});
    lwipArgs = ["LWIP=1", `LWIP_LIB=${built.archive}`, `LWIP_INC=${lwipIncludeDirs(built.lwip).map((d) => `-I${d}`).join(" ")}`,
      ...(tsan ? ["TSAN=1"] : [])];
  }
  const xs = xsPackageDir();
  const make = (...targets) => {
    const r = spawnSync("make", ["-s", "-C", path.join(root, "hosts", "sim"), "-j", jobs,
      `XS=${xs}`, `OUT=${out}`, ...(sanitize ? ["SANITIZE=1"] : []), ...(debug && !sanitize ? ["DEBUG=1"] : []), ...lwipArgs, ...targets],
      { stdio: quiet ? "pipe" : "inherit", encoding: "utf8" });
    if (r.error) throw new Error(`cannot run make (${r.error.message}): the simulator needs make and a C compiler (gcc)`);
    return r;
  };
  const binary = path.relative(process.cwd(), path.join(out, "xsnet-sim")) || "xsnet-sim";
  if (quiet) {
    const r = make();
    if (r.status !== 0) throw new Error(`building the simulator failed:\n${r.stdout}${r.stderr}`);
    return;
  }
  if (make("-q").status === 0) {
    console.log(`xsnet: the simulator ${binary} is up to date`);
    return;
  }
  const count = (dir, recursive = false) => fs.readdirSync(dir, { recursive }).filter((f) => f.endsWith(".c")).length;
  const { version } = JSON.parse(fs.readFileSync(path.join(xs, "..", "package.json"), "utf8"));
  console.log(`xsnet: building the simulator ${binary}${sanitize ? " (AddressSanitizer, UBSan)" : debug ? " (with XS's debugger, for xsbug)" : ""} with ${jobs} jobs:`);
  const steps = [
    ["engine", `the XS engine: ${count(path.join(xs, "xs", "sources"))} C files of @agoric/xsnap ${version}, and Moddable's text modules (the first build takes a few minutes)`],
    ["host", `the host: ${count(path.join(root, "hosts", "sim"), true)} C files of hosts/sim`],
    [undefined, "linking"],
  ];
  for (const [target, what] of steps) {
    const start = Date.now();
    console.log(`xsnet:   ${what}`);
    const r = make(...(target ? [target] : []));
    if (r.status !== 0) throw new Error("building the simulator failed");
    if (Date.now() - start > 1000) console.log(`xsnet:   ... ${((Date.now() - start) / 1000).toFixed(0)} s`);
  }
  console.log(`xsnet: built ${binary}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const lwip = process.argv.includes("--lwip");
    const i = process.argv.indexOf("--sanitize");
    // --lwip --sanitize thread: ThreadSanitizer (build/sim-lwip-tsan); --sanitize alone: AddressSanitizer + UBSan
    const sanitize = lwip ? (process.argv[i + 1] === "thread" ? "thread" : false) : (i > 0 || undefined);
    buildSim({ sanitize, debug: process.argv.includes("--debug"), lwip });
  } catch (e) {
    console.error(`xsnet: ${e.message}`);
    process.exit(1);
  }
}
