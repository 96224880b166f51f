// The simulator seen from Node: where its binary is, its module map (the simulator's equivalent of a
// Moddable manifest's "modules" section), and the command line that runs an app.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const simBinary = path.join(root, "build", "sim", "xsnet-sim");
export const jsRoot = path.join(root, "build", "js");

/** Directory of the XS sources and modules inside the npm package @agoric/xsnap. */
export function xsPackageDir() {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve("@agoric/xsnap/package.json")), "moddable");
}

/**
 * Module map entries: [specifier, absolute path, "host" when the module binds native functions].
 * A specifier ending in "*" maps a prefix; the path's "*" receives the rest of the specifier.
 * The device build maps the same specifiers in manifest.json.
 */
export function moduleMap() {
  const hostJs = path.join(root, "hosts", "sim", "js");
  const text = path.join(xsPackageDir(), "modules", "data", "text");
  return [
    ["nodemcu/*", path.join(jsRoot, "src", "nodemcu", "*.js")],
    ["luatos/*", path.join(jsRoot, "src", "luatos", "*.js")],
    ["xsnet/native", path.join(root, "modules", "native", "native.js"), "host"],
    ["xsnet/*", path.join(jsRoot, "src", "*.js")],
    ["embedded:network/dns/resolver/udp", path.join(root, "modules", "dns", "udp.js")],
    ["embedded:io/socket/tcp", path.join(hostJs, "tcp.js"), "host"],
    ["embedded:io/socket/udp", path.join(hostJs, "udp.js"), "host"],
    ["embedded:io/socket/listener", path.join(hostJs, "listener.js"), "host"],
    ["timer", path.join(hostJs, "timer.js"), "host"],
    ["text/decoder", path.join(text, "decoder", "textdecoder.js"), "host"],
    ["text/encoder", path.join(text, "encoder", "textencoder.js"), "host"],
    ["xsnet-sim/args", path.join(hostJs, "args.js"), "host"],
    ["xsnet-sim/heap", path.join(hostJs, "heap.js"), "host"],
    ["xsnet-sim/clock", path.join(hostJs, "clock.js"), "host"],
  ];
}

/** Write the module map file the simulator reads (--map); returns its path. */
export function writeModuleMap() {
  const file = path.join(root, "build", "modules.map");
  const text = moduleMap().map((e) => e.join("\t")).join("\n") + "\n";
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) fs.writeFileSync(file, text);
  return file;
}

/** Path of the compiled module for an app given as .ts/.js source relative to the root (or absolute). */
export function compiledPath(app) {
  const abs = path.resolve(root, app);
  if (abs.startsWith(jsRoot + path.sep)) return abs;
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
 *   timeout?: number, reportHeap?: boolean}} [opts] timeout in seconds (default 30; 0 = none); netif: the
 *   host interface net.ifinfo(0) reports
 * @returns {{file: string, argv: string[]}}
 */
export function simCommand(app, opts = {}) {
  const argv = ["--map", writeModuleMap()];
  if (opts.heap) argv.push("--heap", String(opts.heap));
  if (opts.slots) argv.push("--slots", String(opts.slots));
  if (opts.stack) argv.push("--stack", String(opts.stack));
  for (const d of opts.dns || []) argv.push("--dns", d);
  if (opts.netif) argv.push("--netif", opts.netif);
  const timeout = opts.timeout ?? 30;
  if (timeout) argv.push("--timeout", String(timeout));
  if (opts.reportHeap) argv.push("--report-heap");
  if (opts.reportCpu) argv.push("--report-cpu");
  argv.push(compiledPath(app));
  if (opts.args && opts.args.length) argv.push("--", ...opts.args.map(String));
  return { file: simBinary, argv };
}
