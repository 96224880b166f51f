// The simulator seen from Node: where its binary is, its module map (the simulator's equivalent of a
// Moddable manifest's "modules" section), and the command line that runs an app.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** The sanitizer build (`node tools/build-sim.js --sanitize`): AddressSanitizer, UBSan on the host's files. */
export const sanitizedSimBinary = path.join(root, "build", "sim-asan", "xsnet-sim");
/** The build with the lwIP backend (`node tools/build-sim.js --lwip`), run when XSNET_SIM_STACK=lwip is set; with
 * XSNET_SIM_TSAN=1 its ThreadSanitizer build (`node tools/build-sim.js --lwip --sanitize thread`). */
export const lwipSimBinary = path.join(root, "build", process.env.XSNET_SIM_TSAN === "1" ? "sim-lwip-tsan" : "sim-lwip", "xsnet-sim");
/** The simulator every command line runs: the lwIP build when XSNET_SIM_STACK=lwip is set, the sanitizer build when
 * XSNET_SANITIZE=1 is set, else the normal one. */
export const simBinary = process.env.XSNET_SIM_STACK === "lwip" ? lwipSimBinary
  : process.env.XSNET_SANITIZE === "1" ? sanitizedSimBinary : path.join(root, "build", "sim", "xsnet-sim");
export const jsRoot = path.join(root, "build", "js");
/** The debug build (`node tools/build-sim.js --debug`): XS with its debugger, connected to xsbug (hosts/sim/debug/xsbug.c). */
export const debugSimBinary = path.join(root, "build", "sim-debug", "xsnet-sim");

/** Directory of the XS sources and modules inside the npm package @agoric/xsnap. */
export function xsPackageDir() {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve("@agoric/xsnap/package.json")), "moddable");
}

/** The board whose manifest section the simulator follows (its modules and its preload list). */
export const simPlatform = "esp32";

/**
 * The manifest of a simulator build, parsed: manifest.json, and with `tls` (the default) manifest_tls.json's modules
 * and preloads merged in, as a board app whose manifest includes manifest_tls.json gets them (TLS is opt-in on a
 * board; the simulator has it unless asked for a build without it). `xsnetTls` says which.
 */
export function readManifest({ tls = true } = {}) {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, "manifest.json"), "utf8"));
  if (!tls) return { ...manifest, xsnetTls: false };
  const extra = JSON.parse(fs.readFileSync(path.join(root, "manifest_tls.json"), "utf8"));
  return {
    ...manifest,
    modules: { ...manifest.modules, ...extra.modules },
    preload: [...(manifest.preload || []), ...(extra.preload || [])],
    xsnetTls: true,
  };
}

/**
 * The manifest's modules for `platform`: {specifier: [paths]} (base "modules" then the platform's), with each
 * entry as a list of manifest paths (the first names the JavaScript module; the others are C files).
 */
export function manifestModules(manifest = readManifest(), platform = simPlatform) {
  const out = {};
  for (const section of [manifest.modules || {}, manifest.platforms?.[platform]?.modules || {}]) {
    for (const [specifier, value] of Object.entries(section)) out[specifier] = [].concat(value);
  }
  return out;
}

/** The manifest's preload list for `platform` (base, then the platform's), as written (wildcards kept). */
export function manifestPreloads(manifest = readManifest(), platform = simPlatform) {
  return [...(manifest.preload || []), ...(manifest.platforms?.[platform]?.preload || [])];
}

/** A manifest path ("./build/js/src/nodemcu/*") as an absolute .js path ("<root>/build/js/src/nodemcu/*.js"). */
function jsPath(manifestPath) {
  const abs = path.resolve(root, manifestPath.replace(/^\.\//, ""));
  return abs.endsWith(".js") ? abs : abs + ".js";
}

/**
 * The simulator's module map, generated from manifest.json (the one source of the module map): the modules of
 * the board the simulator follows (simPlatform), plus the host modules a board gets from the Moddable SDK,
 * which the simulator implements itself, plus simulator-only modules.
 * Entries: [specifier, absolute path, "host" when the module binds native functions].
 * A specifier ending in "*" maps a prefix; the path's "*" receives the rest of the specifier.
 */
export function moduleMap(manifest = readManifest()) {
  const hostJs = path.join(root, "hosts", "sim", "js");
  const text = path.join(xsPackageDir(), "modules", "data", "text");
  const entries = Object.entries(manifestModules(manifest)).map(([specifier, paths]) => {
    const js = jsPath(paths[0]);
    return paths.length > 1 ? [specifier, js, "host"] : [specifier, js];
  });
  return [
    ...entries,
    // what a board gets from the Moddable SDK's own manifests ($(MODDABLE)/modules/io, text, timer)
    ["embedded:io/socket/tcp", path.join(hostJs, "tcp.js"), "host"],
    ["embedded:io/socket/udp", path.join(hostJs, "udp.js"), "host"],
    ["embedded:io/socket/listener", path.join(hostJs, "listener.js"), "host"],
    // a board gets it from modules/tls (xsnet's, over the SDK's ssl/session; manifest_tls.json includes it); here
    // over OpenSSL (hosts/sim/tls), in a build with TLS only
    ...(manifest.xsnetTls === false ? [] : [["embedded:io/socket/tcp/tls", path.join(hostJs, "tls.js"), "host"]]),
    // $(MODDABLE)/modules/base/modules (xsnet's manifest includes it): what the build holds, at run time
    ["modules", path.join(hostJs, "modules.js"), "host"],
    ["timer", path.join(hostJs, "timer.js"), "host"],
    ["text/decoder", path.join(text, "decoder", "textdecoder.js"), "host"],
    ["text/encoder", path.join(text, "encoder", "textencoder.js"), "host"],
    // the simulator's own, for tests and tools
    ["xsnet-sim/args", path.join(hostJs, "args.js"), "host"],
    ["xsnet-sim/heap", path.join(hostJs, "heap.js"), "host"],
    ["xsnet-sim/clock", path.join(hostJs, "clock.js"), "host"],
  ];
}

/**
 * The specifiers the simulator preloads, in the manifest's order, wildcards expanded to every module the map
 * gives them (as mcconfig does): "nodemcu/*" -> "nodemcu/net", "nodemcu/socket", ...
 */
export function preloadList(manifest = readManifest()) {
  const modules = manifestModules(manifest);
  const out = [];
  for (const p of manifestPreloads(manifest)) {
    if (!p.endsWith("*")) {
      if (!modules[p]) throw new Error(`manifest.json preloads "${p}", which its modules do not map`);
      out.push(p);
      continue;
    }
    const target = modules[p];
    if (!target) throw new Error(`manifest.json preloads "${p}", which its modules do not map`);
    const pattern = jsPath(target[0]);
    const [head, tail] = pattern.split("*");
    const dir = head.slice(0, head.lastIndexOf(path.sep));
    const prefix = head.slice(head.lastIndexOf(path.sep) + 1);
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir).sort()) {
      if (f.startsWith(prefix) && f.endsWith(tail) && f.length > prefix.length + tail.length)
        out.push(p.slice(0, -1) + f.slice(prefix.length, f.length - tail.length));
    }
  }
  return out;
}

/**
 * Write the module map file the simulator reads (--map); returns its path. "!preload" lines list the preloads.
 * `tls: false`: the map of a build without TLS (an app whose manifest does not include manifest_tls.json).
 */
export function writeModuleMap({ tls = true } = {}) {
  const file = path.join(root, "build", tls ? "modules.map" : "modules-notls.map");
  const manifest = readManifest({ tls });
  const lines = moduleMap(manifest).map((e) => e.join("\t"));
  for (const p of preloadList(manifest)) lines.push(`!preload\t${p}`);
  const text = lines.join("\n") + "\n";
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) fs.writeFileSync(file, text);
  return file;
}

/** Path of the compiled module for an app given as .ts/.js source relative to the root (or absolute). */
export function compiledPath(app) {
  const abs = path.resolve(root, app);
  // compiled already: under build/ (build/js, xsnet run's build/apps), or any existing JavaScript file
  if (abs.startsWith(path.join(root, "build") + path.sep) || (/\.m?js$/.test(abs) && fs.existsSync(abs))) return abs;
  const rel = path.relative(root, abs);
  if (rel.startsWith("..")) {
    if (abs.endsWith(".js")) return abs;
    throw new Error(`${app} is outside the project: compile it with tsc and pass the .js file`);
  }
  return path.join(jsRoot, rel.replace(/\.(ts|mts|js)$/, ".js"));
}

/**
 * The simulator command line for an app.
 * @param {string} app TypeScript source (relative to the root) or compiled .js path
 * @param {{args?: string[], dns?: string[], heap?: number, slots?: number, stack?: number, netif?: string,
 *   timeout?: number, reportHeap?: boolean, debug?: boolean, tls?: boolean}} [opts] timeout in seconds (default 30;
 *   0 = none); netif: the host interface net.ifinfo(0) reports; debug: the debug build, which connects to xsbug;
 *   tls: false runs the app as a board build without TLS
 * @returns {{file: string, argv: string[]}}
 */
export function simCommand(app, opts = {}) {
  const argv = ["--map", writeModuleMap({ tls: opts.tls !== false })];
  if (opts.heap) argv.push("--heap", String(opts.heap));
  if (opts.slots) argv.push("--slots", String(opts.slots));
  if (opts.stack) argv.push("--stack", String(opts.stack));
  for (const d of opts.dns || []) argv.push("--dns", d);
  if (opts.netif) argv.push("--netif", opts.netif);
  const timeout = opts.timeout ?? 30;
  if (timeout) argv.push("--timeout", String(timeout));
  if (opts.reportHeap) argv.push("--report-heap");
  if (opts.reportCpu) argv.push("--report-cpu");
  if (opts.linkerWarnings) argv.push("--linker-warnings");
  argv.push(compiledPath(app));
  if (opts.args && opts.args.length) argv.push("--", ...opts.args.map(String));
  // XSNET_SANITIZE=1 wins: the sanitizer build, without XS's debugger
  return { file: opts.debug && process.env.XSNET_SANITIZE !== "1" ? debugSimBinary : simBinary, argv };
}

/** True inside a network namespace whose only interface is loopback (the lwIP backend's safety check). */
export function loopbackOnly() {
  // /proc/net/dev lists this namespace's interfaces (sysfs may show the machine's)
  return fs.readFileSync("/proc/net/dev", "utf8").split("\n").slice(2).filter(Boolean)
    .every((line) => line.split(":")[0].trim() === "lo");
}
