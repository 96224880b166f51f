#!/usr/bin/env node
// xsnet command line: run an app in the simulator (with xsbug), make a project, a console on the simulator,
// flash a board, run the benchmarks.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { buildSim } from "./build-sim.js";
import { fileURLToPath } from "node:url";
import { compileApp, compileLibrary, CompileError, typescript } from "./compile.js";
import { simCommand, debugSimBinary, lwipSimBinary, loopbackOnly } from "./sim.js";

/** True when this network namespace has no interface but loopback (the lwIP backend may run here). */

const usage = `usage:
  xsnet run <app.ts|app.js> [--debug] [--timeout <seconds>] [--dns <ip[:port]>]... [--heap <KiB>] [--stack <slots>]
            [--netif <name>] [--report-heap] [--linker-warnings] [--stack lwip [--outside-namespace]] [-- app arguments]
      Compile (TypeScript) and run an app in the simulator. The modules manifest.json preloads run first,
      as a board build preloads them (--linker-warnings prints the XS linker's warnings about them).
      Exits with the app's status: 0 when nothing is left pending, 1 on an uncaught exception, 124 on timeout.
      It runs the simulator built with XS's debugger: stack traces name file and line (of the TypeScript).
      --debug: connect to xsbug on localhost:5002 (XSBUG_HOST, XSBUG_PORT) for breakpoints, stepping and
      trace() in its log.
      --stack lwip: the network is lwIP 2.1.3 in its own thread over libslirp, as on a board (build/sim-lwip, built
      on first use; no xsbug). Slirp forwards to the real network, so it runs only in a network namespace with
      nothing but loopback: run inside one (\`unshare --net\`, with your peers), or xsnet starts the app in a new one
      (root); --outside-namespace lets it run anywhere. The host's 127.0.0.1 is slirp's 10.0.2.2 (shown as
      127.0.0.1); a listener's port P is forwarded from the host's 127.0.0.1:P. (--stack <number>: XS stack slots.)
  xsnet init [folder]   make a project there (default: here): main.ts, manifest.json (includes xsnet's),
      tsconfig.json (strict, xsnet's typings), package.json (npm start: the simulator; npm run build:esp32)
  xsnet repl [--dns <ip[:port]>]... [--netif <name>]
      An interactive console on the simulator: net, socket, sys, libnet, zbuff and print() in scope; a line or a
      block at a time, events printed as they happen, history (~/.xsnet_repl_history), Ctrl-D leaves.
  xsnet flash ...        flash a board with esptool-js (xsnet flash --help)
  xsnet bench [--json] [--stack lwip]   run the benchmarks (--stack lwip: on lwIP over libslirp against POSIX, in a network namespace of their own)`;

/**
 * The module to run for `app`: a .js file as it is; a .ts file compiled alone (tools/compile.js compileApp)
 * against the library, which is compiled once and reused. Exits with status 2 and the compiler's
 * `file:line:column` messages when something does not compile.
 */
async function prepareApp(app, { lwip = false } = {}) {
  try {
    if (lwip) {
      if (!fs.existsSync(lwipSimBinary)) console.error("xsnet: building lwIP and the simulator with it (once; a few minutes)");
      buildSim({ quiet: true, lwip: true });
    }
    else if (!fs.existsSync(debugSimBinary) && process.env.XSNET_SANITIZE !== "1") console.error("xsnet: building the simulator with XS's debugger (once; a few minutes)");
    else buildSim({ quiet: true, debug: true });
    await compileLibrary();
    if (/\.m?js$/.test(app)) return path.resolve(app);
    return (await compileApp(app)).js;
  } catch (e) {
    console.error(e instanceof CompileError ? e.message : `xsnet: ${e.message}`);
    process.exit(2);
  }
}

async function run(argv) {
  const opts = { args: [], dns: [], timeout: 0 };
  let app;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") { opts.args = argv.slice(i + 1); break; }
    else if (a === "--timeout") opts.timeout = Number(argv[++i]);
    else if (a === "--dns") opts.dns.push(argv[++i]);
    else if (a === "--heap") opts.heap = Number(argv[++i]);
    else if (a === "--stack" && /^(lwip|posix)$/.test(argv[i + 1] ?? "")) opts.net = argv[++i];
    else if (a === "--stack") opts.stack = Number(argv[++i]);
    else if (a === "--outside-namespace") opts.outsideNamespace = true;
    else if (a === "--report-heap") opts.reportHeap = true;
    else if (a === "--linker-warnings") opts.linkerWarnings = true;
    else if (a === "--netif") opts.netif = argv[++i];
    else if (a === "--debug") opts.debug = true;
    else if (a === "-h" || a === "--help") { console.log(usage); return 0; }
    else if (!app && !a.startsWith("-")) app = a;
    else { console.error(usage); return 2; }
  }
  if (!app) { console.error(usage); return 2; }
  if (!fs.existsSync(app)) { console.error(`xsnet: no such file: ${app}`); return 2; }
  const lwip = opts.net === "lwip";
  if (lwip && opts.debug) { console.error("xsnet: --debug (xsbug) is not available with --stack lwip"); return 2; }
  const compiled = await prepareApp(app, { lwip });
  // the build with XS's debugger (stack traces with file and line), connecting to xsbug with --debug
  let { file, argv: simArgv } = simCommand(compiled, { ...opts, debug: !lwip });
  const env = { ...process.env, XSNET_XSBUG: opts.debug ? "1" : "" };
  if (lwip) {
    env.XSNET_SIM_STACK = "lwip";
    file = lwipSimBinary;
    if (opts.outsideNamespace) simArgv.unshift("--outside-namespace");
    else if (!loopbackOnly()) {
      // a network namespace of its own, loopback up: nothing slirp forwards leaves the machine
      simArgv = ["--net", "sh", "-c", 'ip link set lo up && exec "$0" "$@"', file, ...simArgv];
      file = "unshare";
    }
  }
  const child = spawn(file, simArgv, { stdio: "inherit", env });
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
  return new Promise((resolve) => child.on("close", (code, signal) => resolve(code ?? (signal ? 128 : 1))));
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case "run": return run(rest);
    case "init": {
      if (rest.length > 1 || rest[0]?.startsWith("-")) { console.error(usage); return 2; }
      const { init } = await import("./init.js");
      const written = init(rest[0]);
      const where = rest[0] && rest[0] !== "." ? rest[0] : "this folder";
      console.log(written.length ? `xsnet: wrote ${written.join(", ")} in ${where}` : `xsnet: ${where} has a project already`);
      if (written.length) console.log(`next: ${rest[0] && rest[0] !== "." ? `cd ${rest[0]} && ` : ""}npm install && npm start`);
      return 0;
    }
    case "repl": {
      const opts = { dns: [] };
      for (let i = 0; i < rest.length; i++) {
        if (rest[i] === "--dns") opts.dns.push(rest[++i]);
        else if (rest[i] === "--netif") opts.netif = rest[++i];
        else { console.error(usage); return 2; }
      }
      const app = await prepareApp(fileURLToPath(new URL("./repl/app.ts", import.meta.url)));
      return (await import("./repl.js")).repl(app, await typescript(), opts);
    }
    case "flash": return (await import("./flash/cli.js")).main(rest);
    case "bench": return (await import("./bench.js")).main(rest);
    case undefined: case "-h": case "--help": console.log(usage); return command ? 0 : 2;
    default: console.error(`xsnet: unknown command ${command}\n${usage}`); return 2;
  }
}

main().then((code) => process.exit(code), (e) => { console.error(`xsnet: ${e.message}`); process.exit(1); });
