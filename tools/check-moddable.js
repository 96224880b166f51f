#!/usr/bin/env node
// `npm run check:moddable`: build xsnet apps with the real Moddable SDK for its desktop simulator (mcconfig
// -m -p lin), run each one headless in mcsim (xvfb-run) against real peers, and report PASS/FAIL per app.
// The apps and their peers are in tests/moddable (scenarios.js). Needs MODDABLE set and mcconfig, mcsim and
// xvfb-run on PATH; without them it prints what it needs and exits 0.
//
//   npm run check:moddable [-- --only server,dns] [--debug] [--verbose]
//     --only    run only these apps (names as printed, without "example ")
//     --debug   build with -d (an abort then names the throwing line; debug builds print "instruments")
//     --verbose print every app's full output
//
// Each app folder gets a manifest that includes $(MODDABLE)/examples/manifest_base.json, manifest_net.json and
// xsnet's manifest.json, and nothing else a user would not write: TypeScript settings come from xsnet's
// manifest (tsc is the project's own, TypeScript 5.9, first on PATH). Builds share one folder name and output
// directory under build/moddable-check/<SDK commit> (one for the TLS apps, one for the others) so that the C is
// compiled once; the JavaScript modules are rebuilt for every app.
import fs from "node:fs";
import path from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { root } from "./sim.js";
import { compile } from "./compile.js";
import { buildSim } from "./build-sim.js";

const APP_DIR_NAME = "xsnetcheck";
const RUN_LIMIT_S = 120;   // mcsim's own limit (timeout --foreground); the scenario's waits are shorter
// What an abort or an uncaught exception looks like in mcsim's output ("XS abort: unhandled exception"; a debug
// build prints "file:line: exception: ..." before it). mcsim keeps running after an abort.
const ABORT = /XS abort[^\n]*|xsnet: uncaught exception[^\n]*|[^\n]*\b(?:Type|Range|Reference|Syntax)Error\b[^\n]*/;

function which(cmd) {
  for (const dir of (process.env.PATH || "").split(path.delimiter)) {
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // next
    }
  }
  return undefined;
}

/** One line saying what is missing, or undefined when everything is there. */
function missingRequirements() {
  const moddable = process.env.MODDABLE;
  if (!moddable || !fs.existsSync(path.join(moddable, "examples", "manifest_base.json")))
    return "needs the Moddable SDK: MODDABLE set to its folder, its tools (mcconfig, mcsim) on PATH, and xvfb-run";
  const missing = ["mcconfig", "mcsim", "xvfb-run", "stdbuf", "timeout"].filter((c) => !which(c));
  if (missing.length)
    return `needs ${missing.join(", ")} on PATH (Moddable's tools: $MODDABLE/build/bin/lin/release; xvfb-run: Debian package xvfb)`;
  return undefined;
}

function parseArgs(argv) {
  const opts = { only: [], debug: false, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--only") opts.only.push(...argv[++i].split(","));
    else if (argv[i] === "--debug") opts.debug = true;
    else if (argv[i] === "--verbose") opts.verbose = true;
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return opts;
}

function sdkCommit() {
  const r = spawnSync("git", ["-C", process.env.MODDABLE, "rev-parse", "HEAD"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : "unknown";
}

function tail(text, n = 15) {
  return text.trimEnd().split("\n").slice(-n).map((l) => `      | ${l}`).join("\n");
}

/** Write the app folder: manifest.json (and main.ts for a TypeScript app). */
function writeApp(appDir, app, config) {
  fs.rmSync(appDir, { recursive: true, force: true });
  fs.mkdirSync(appDir, { recursive: true });
  const manifest = {
    include: [
      "$(MODDABLE)/examples/manifest_base.json",
      "$(MODDABLE)/examples/manifest_net.json",
      path.join(root, app.tls ? "manifest_tls.json" : "manifest.json"),   // TLS is opt-in
    ],
    modules: {},
  };
  if (app.source) {
    fs.copyFileSync(path.join(root, app.source), path.join(appDir, "main.ts"));   // a fresh mtime for make
    manifest.modules["*"] = "./main";
  } else {
    manifest.modules = JSON.parse(JSON.stringify(app.modules).replaceAll("$(XSNET)", root));
  }
  if (config) manifest.config = { xsnetCheck: config };
  fs.writeFileSync(path.join(appDir, "manifest.json"), JSON.stringify(manifest, null, "\t") + "\n");
}

/** mcconfig -m -p lin -t build: resolves {ok, so, log, warnings}. */
function buildApp(appDir, outDir, debug) {
  const variant = debug ? "debug" : "release";
  // the modules of the previous app: rebuilt every time (make would keep a module whose source is older)
  const tmp = path.join(outDir, "tmp", "lin", "mc", variant, APP_DIR_NAME);
  fs.rmSync(path.join(tmp, "modules"), { recursive: true, force: true });
  fs.rmSync(path.join(tmp, "tsc"), { recursive: true, force: true });
  const so = path.join(outDir, "bin", "lin", "mc", variant, APP_DIR_NAME, "mc.so");
  fs.rmSync(so, { force: true });
  const args = [...(debug ? ["-d"] : []), "-m", "-p", "lin", "-t", "build", "-o", outDir];
  const r = spawnSync("mcconfig", args, { cwd: appDir, encoding: "utf8", maxBuffer: 64 << 20 });
  const log = `${r.stdout}${r.stderr}`;
  const warnings = log.split("\n").filter((l) => l.startsWith("### warning"));
  // the JavaScript modules in the build ("ssl/session", "nodemcu/net", ...) and their bytecode sizes, from
  // mcconfig's .xsb files
  const modules = [], sizes = {};
  const walk = (dir, prefix) => {
    for (const e of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      if (e.isDirectory()) walk(path.join(dir, e.name), `${prefix}${e.name}/`);
      else if (e.name.endsWith(".xsb")) {
        const name = prefix + e.name.slice(0, -4);
        modules.push(name);
        sizes[name] = fs.statSync(path.join(dir, e.name)).size;
      }
    }
  };
  walk(path.join(tmp, "modules"), "");
  return { ok: r.status === 0 && fs.existsSync(so), status: r.status, so, log, warnings, modules, sizes };
}

/** Start mcsim on `so` headless; returns {waitFor(re, ms), output, aborted, stop()}. */
function runApp(so, debug) {
  const config = fs.mkdtempSync(path.join(process.env.TMPDIR || "/tmp", "xsnet-mcsim-"));
  const proc = spawn("xvfb-run", ["-a", "timeout", "--foreground", String(RUN_LIMIT_S), "stdbuf", "-oL", "mcsim", so], {
    env: { ...process.env, XDG_CONFIG_HOME: config },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,   // its own process group: xvfb-run, Xvfb, timeout and mcsim stop together
  });
  let output = "";      // complete lines only (and without debug builds' "instruments" lines)
  let pending = "";
  let aborted;
  let exit;
  const waiters = new Set();
  const settle = () => {
    for (const w of waiters) {
      const m = output.slice(w.from).match(w.re);
      if (m) {
        waiters.delete(w);
        clearTimeout(w.timer);
        w.resolve(m);
      } else if (aborted || exit) {
        waiters.delete(w);
        clearTimeout(w.timer);
        w.reject(new Error(aborted ? `abort: ${aborted.trim()}` : `mcsim ended (${exit}) before ${w.re}`));
      }
    }
  };
  const onData = (d) => {
    pending += d;
    const end = pending.lastIndexOf("\n") + 1;
    if (!end) return;
    const lines = pending.slice(0, end);
    pending = pending.slice(end);
    output += debug ? lines.replace(/^instruments[^\n]*\n/gm, "") : lines;
    const m = output.match(ABORT);
    if (m && !aborted) aborted = m[0];
    settle();
  };
  proc.stdout.setEncoding("utf8").on("data", onData);
  proc.stderr.setEncoding("utf8").on("data", onData);
  const closed = new Promise((resolve) => proc.on("close", (code, signal) => {
    exit = signal ? `signal ${signal}` : `status ${code}`;
    settle();
    resolve();
  }));
  let mark = 0;
  return {
    get output() { return output; },
    get aborted() { return aborted; },
    /** The match of `re` in output after the previous match; rejects on an abort, mcsim's exit or after ms. */
    waitFor(re, ms = 10000) {
      return new Promise((resolve, reject) => {
        const w = { re, from: mark, resolve: (m) => { mark = w.from + m.index + m[0].length; resolve(m); }, reject };
        w.timer = setTimeout(() => { waiters.delete(w); reject(new Error(`timed out after ${ms} ms waiting for ${re}`)); }, ms);
        waiters.add(w);
        settle();
      });
    },
    async stop() {
      if (exit === undefined) {
        try {
          process.kill(-proc.pid, "SIGTERM");
        } catch {
          // already gone
        }
        const killer = setTimeout(() => { try { process.kill(-proc.pid, "SIGKILL"); } catch { /* gone */ } }, 3000);
        await closed;
        clearTimeout(killer);
      }
      fs.rmSync(config, { recursive: true, force: true });
    },
  };
}

async function portsFree({ tcp = [], udp = [] } = {}) {
  const net = await import("node:net");
  const dgram = await import("node:dgram");
  const busy = [];
  for (const port of tcp) {
    const free = await new Promise((resolve) => {
      const s = net.createServer();
      s.once("error", () => resolve(false));
      s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
    });
    if (!free) busy.push(`tcp ${port}`);
  }
  for (const port of udp) {
    const free = await new Promise((resolve) => {
      const s = dgram.createSocket("udp4");
      s.once("error", () => { s.close(); resolve(false); });
      s.bind(port, "127.0.0.1", () => s.close(() => resolve(true)));
    });
    if (!free) busy.push(`udp ${port}`);
  }
  return busy;
}

let current;   // the running app, stopped on Ctrl-C with the peers

/** Build, run and drive one app; returns {result: "PASS"|"FAIL"|"SKIP", detail, output?, warnings}. */
async function checkApp(app, { appDir, outDir, debug, cleanup }) {
  let running;
  try {
    const busy = await portsFree(app.ports);
    const config = app.config ? await app.config() : undefined;
    writeApp(appDir, app, config);
    const t0 = Date.now();
    const build = buildApp(appDir, outDir, debug);
    const buildTime = ((Date.now() - t0) / 1000).toFixed(0);
    if (!build.ok)
      return { result: "FAIL", detail: `mcconfig failed (status ${build.status})`, output: build.log, warnings: build.warnings };
    if (busy.length)
      return { result: "SKIP", detail: `built in ${buildTime} s; not run: ${busy.join(", ")} in use`, warnings: build.warnings };
    running = current = runApp(build.so, debug);
    const summary = await app.drive(running, build);
    await new Promise((resolve) => setTimeout(resolve, 300));   // a late abort still counts
    if (running.aborted) throw new Error(`abort: ${running.aborted.trim()}`);
    return { result: "PASS", detail: `${summary} (built in ${buildTime} s)`, output: running.output, warnings: build.warnings };
  } catch (e) {
    const reason = e.message.split("\n")[0];
    // what the peer saw (a refused or reset connection) is usually the consequence of an abort: name the abort
    const detail = running?.aborted && !reason.startsWith("abort") ? `abort: ${running.aborted.trim()} (then: ${reason})` : reason;
    return { result: "FAIL", detail, aborted: Boolean(running?.aborted), output: running?.output, warnings: [] };
  } finally {
    current = undefined;
    await running?.stop();
    await cleanup();
  }
}

async function main() {
  const missing = missingRequirements();
  if (missing) {
    console.log(`check:moddable skipped: ${missing}`);
    return 0;
  }
  const opts = parseArgs(process.argv.slice(2));
  // mcconfig runs the first tsc on PATH: the project's own (TypeScript 5.9), as a user of xsnet would have it
  process.env.PATH = `${path.join(root, "node_modules", ".bin")}${path.delimiter}${process.env.PATH}`;
  const tsc = spawnSync("tsc", ["--version"], { encoding: "utf8" }).stdout.trim();
  const commit = sdkCommit();
  console.log(`check:moddable: Moddable SDK ${process.env.MODDABLE} at ${commit}; mcconfig's tsc: ${tsc}`);

  buildSim({ quiet: true });   // the gossip check runs its second node in xsnet's simulator
  compile();                   // build/js: the compiled modules xsnet's manifest maps
  const check = spawnSync(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p",
    path.join(root, "tests", "moddable")], { encoding: "utf8" });
  if (check.status !== 0) {
    console.log(`FAIL type check of tests/moddable:\n${check.stdout}${check.stderr}`);
    return 1;
  }

  const { apps } = await import("../tests/moddable/scenarios.js");
  const { cleanup } = await import("../tests/support/net-peers.js");
  const short = (a) => a.name.replace(/^example /, "");
  const selected = opts.only.length ? apps.filter((a) => opts.only.some((w) => w === a.name || w === short(a))) : apps;
  if (selected.length < opts.only.length) throw new Error(`--only: the apps are ${apps.map(short).join(", ")}`);
  const work = path.join(root, "build", "moddable-check", commit.slice(0, 12));
  const appDir = path.join(work, APP_DIR_NAME);
  // TLS apps (manifest_tls.json) in their own output directory: make does not rebuild C objects when the module set
  // changes the build's generated symbol IDs (mc.xs.h), so a non-TLS build after a TLS one in the same directory
  // ran with stale IDs ("not a function")
  const outDirOf = (app) => path.join(work, app.tls ? "out-tls" : "out");

  const counts = { PASS: 0, FAIL: 0, SKIP: 0 };
  let aborts = 0;
  const warnings = new Set();
  for (const app of selected) {
    const outDir = outDirOf(app);
    fs.mkdirSync(outDir, { recursive: true });
    const r = await checkApp(app, { appDir, outDir, debug: opts.debug, cleanup });
    counts[r.result]++;
    if (r.aborted) aborts++;
    for (const w of r.warnings) warnings.add(w);
    console.log(`${r.result} ${app.name}: ${app.what}\n      ${r.detail}`);
    if (r.output && (r.result === "FAIL" || opts.verbose)) console.log(tail(r.output, opts.verbose ? 1000 : 15));
  }
  if (warnings.size) {
    console.log(`xsl linker warnings (preloaded modules; not failures):`);
    for (const w of [...warnings].sort()) console.log(`  ${w}`);
  }
  console.log(`check:moddable: ${counts.PASS} passed, ${counts.FAIL} failed, ${counts.SKIP} skipped ` +
    `(Moddable SDK ${commit.slice(0, 8)}, lin${opts.debug ? ", debug" : ""}, ${tsc})`);
  if (aborts && !opts.debug) console.log("An abort in a release build names no line: rerun the app with --debug --only <name>.");
  return counts.FAIL ? 1 : 0;
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, async () => {
    await current?.stop();
    const { cleanup } = await import("../tests/support/net-peers.js");
    await cleanup();   // the peers: servers, dnsmasq, the gossip node in xsnet's simulator
    process.exit(130);
  });
}

main().then((code) => process.exit(code), (e) => {
  console.error(`check:moddable: ${e.stack ?? e}`);
  process.exit(1);
});
