#!/usr/bin/env node
// Checks the layers of the simulator's host (docs/simulator-host.md) and prints what breaks them:
//  1. no POSIX socket or epoll call, and no socket header, outside the backend folder hosts/sim/net/posix
//     (epoll: only the loop, hosts/sim/loop.c; the xsbug debugger's own connection, hosts/sim/debug/, is not the
//     app's network and may use a socket);
//  2. no lwIP or libslirp call or header outside the lwIP backend hosts/sim/net/lwip (lwIP's raw API runs on its
//     tcpip thread, which only that backend knows); the lwIP backend may read its namespace's interfaces (<net/if.h>,
//     to refuse to start outside a private network namespace) but makes no socket call;
//  3. the dependency arrows between the host's units run one way, as allowed below, both by #include "..." lines
//     and, when the host is built (build/sim/obj/host), by the symbols each object file takes from the others
//     (nm): so no circle among the host's files.
// Usage: node tools/check-host-layers.js   (exit 1 when a rule is broken). tests/sim-layers.test.js runs it.
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const host = path.join(root, "hosts", "sim");

/** The unit of a host file (path relative to hosts/sim). */
export function unitOf(file) {
  if (file.startsWith("bindings/") || file.startsWith("tls/")) return "bindings";   // tls/: a host class too
  if (file.startsWith("debug/")) return "debug";
  if (file.startsWith("net/posix/")) return "posix";
  if (file.startsWith("net/fault/")) return "fault";
  if (file.startsWith("net/lwip/")) return "lwip";
  if (file.startsWith("net/")) return "seam";
  if (file === "loop.c" || file === "loop.h") return "loop";
  if (file === "main.c") return "main";
  return "engine";
}

/** Who may use whom (a one-way graph: bindings -> seam <- backends, everything -> loop). */
export const allowed = {
  main: ["engine", "bindings", "seam", "posix", "fault", "lwip", "loop", "debug"],
  debug: ["engine", "loop"],      // the connection to the xsbug debugger: not the app's network, its own socket
  engine: ["loop"],
  bindings: ["engine", "seam", "loop"],
  seam: [],
  posix: ["seam", "loop"],
  fault: ["seam", "loop"],
  lwip: ["seam", "loop"],
  loop: [],
};

const SOCKET_CALLS = /(?<![\w>.])(socket|connect|bind|listen|accept4?|setsockopt|getsockopt|send|sendto|sendmsg|recv|recvfrom|recvmsg|shutdown|getsockname|getpeername|getifaddrs|ioctl|epoll_create1?|epoll_ctl|epoll_wait)\s*\(/g;
const LWIP_CALLS = /(?<![\w>.])(tcpip_\w+|tcp_\w+|udp_\w+|raw_\w+|pbuf_\w+|igmp_\w+|dhcp_\w+|dns_\w+|netif_\w+|slirp_\w+|xsnetSlirp\w+)\s*\(/g;
const LWIP_HEADERS = /#include\s*[<"](lwip\/[\w./]+|netif\/[\w./]+|slirp\/[\w./]+|slirpif\.h)[>"]/g;
const SOCKET_HEADERS = /#include\s*<(sys\/socket\.h|sys\/epoll\.h|netinet\/[\w.]+|ifaddrs\.h|net\/if\.h|sys\/ioctl\.h)>/g;

function hostFiles(dir, prefix = "") {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix + e.name;
    if (e.isDirectory()) {
      if (e.name !== "js") out.push(...hostFiles(path.join(dir, e.name), rel + "/"));
    }
    else if (/\.[ch]$/.test(e.name)) out.push(rel);
  }
  return out;
}

/** C text without comments and string literals (so that a comment naming recv() is no call). */
function code(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "").replace(/"(?:[^"\\\n]|\\.)*"/g, '""');
}

/**
 * The problems found, as lines; none: the layers hold.
 * @param {{hostDir?: string, objectsDir?: string | string[]}} [where] the host's sources (hosts/sim) and its object files
 *   (build/sim/obj/host, and build/sim-lwip/obj/host for the lwIP backend's; each skipped when missing).
 *   (build/sim/obj/host; skipped when missing).
 */
export function checkHostLayers({ hostDir = host, objectsDir = [path.join(root, "build", "sim", "obj", "host"),
  path.join(root, "build", "sim-lwip", "obj", "host")] } = {}) {
  const problems = [];
  const edges = new Map();   // "from -> to" -> an example
  const addEdge = (from, to, why) => {
    if (from !== to && !edges.has(`${from} -> ${to}`)) edges.set(`${from} -> ${to}`, why);
  };
  const files = hostFiles(hostDir);
  for (const file of files) {
    const text = fs.readFileSync(path.join(hostDir, file), "utf8");
    const unit = unitOf(file);
    if (unit !== "lwip") {
      for (const m of code(text).matchAll(LWIP_CALLS)) problems.push(`${file}: calls ${m[1]}() outside hosts/sim/net/lwip`);
      for (const m of text.matchAll(LWIP_HEADERS)) problems.push(`${file}: includes ${m[1]} outside hosts/sim/net/lwip`);
    }
    if (unit !== "posix" && unit !== "debug") {
      for (const m of code(text).matchAll(SOCKET_CALLS)) {
        if (unit === "loop" && m[1].startsWith("epoll")) continue;
        problems.push(`${file}: calls ${m[1]}() outside hosts/sim/net/posix`);
      }
      for (const m of text.matchAll(SOCKET_HEADERS)) {
        if (unit === "loop" && m[1] === "sys/epoll.h") continue;
        if (unit === "lwip" && m[1] === "net/if.h") continue;   // if_nameindex: the namespace check
        problems.push(`${file}: includes <${m[1]}> outside hosts/sim/net/posix`);
      }
    }
    for (const m of text.matchAll(/#include\s*"([^"]+)"/g)) {
      const candidates = [path.join(path.dirname(file), m[1]), m[1]].map((p) => path.normalize(p));
      const target = candidates.find((c) => files.includes(c));
      if (target) addEdge(unit, unitOf(target), `${file} includes "${m[1]}"`);
    }
  }
  // symbols, when the host is built
  for (const objects of [].concat(objectsDir)) {
    if (!objects || !fs.existsSync(objects)) continue;
    const defined = new Map(), used = [];
    for (const file of files.filter((f) => f.endsWith(".c"))) {
      const o = path.join(objects, file.replace(/\.c$/, ".o"));
      if (!fs.existsSync(o)) continue;
      const r = spawnSync("nm", ["-P", o], { encoding: "utf8" });
      if (r.status !== 0) throw new Error(`nm ${o}: ${r.stderr || r.error}`);
      for (const line of r.stdout.split("\n")) {
        const [name, type] = line.split(" ");
        if (!name) continue;
        if (type === "U") used.push([file, name]);
        else if (/[TDBRC]/.test(type)) defined.set(name, file);
      }
    }
    for (const [file, name] of used) {
      const by = defined.get(name);
      if (by) addEdge(unitOf(file), unitOf(by), `${file} uses ${name} (${by})`);
    }
  }
  for (const [edge, why] of edges) {
    const [from, to] = edge.split(" -> ");
    if (!allowed[from].includes(to)) problems.push(`${from} -> ${to} is not allowed: ${why}`);
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = checkHostLayers();
  for (const p of problems) console.error(p);
  if (problems.length) process.exit(1);
  console.log("hosts/sim: no socket call outside net/posix, no lwIP call outside net/lwip, dependency arrows one way");
}
