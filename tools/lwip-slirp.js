#!/usr/bin/env node
// The standalone lwIP + libslirp build that the simulator's lwIP backend (issue 15) will stand on: lwIP 2.1.3 from
// Debian's source package (fetched here, never committed), built with xsnet's tools/lwip/lwipopts.h (close to
// ESP-IDF's defaults, NO_SYS=0: lwIP in its own tcpip thread), Debian's unix port for threads, a netif glued to
// libslirp (tools/lwip/slirpif.c), and the check program tools/lwip/slirp-ping.c (DHCP lease from slirp, ping of
// slirp's host address; run it only inside `unshare --net`).
//
//   node tools/lwip-slirp.js [--out DIR] [--sanitize thread|address]
//     builds DIR/slirp-ping (default build/lwip-slirp[-SANITIZER]) and DIR/liblwip-slirp.a (lwIP and the slirp
//     netif, for tests/native-lwip-threads.test.js); prints the program's path. --sanitize builds all of it with
//     that sanitizer.
//
// The source: `apt-get source lwip` with Debian's deb-src lines enabled for that command alone (a private apt
// state under DIR/apt: the machine's sources.list and package lists stay as they are). Needs dpkg-dev (which
// unpacks the source package), gcc and libslirp-dev: tools/prereqs.js lists them.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const here = path.join(root, "tools", "lwip");
export const LWIP_VERSION = "2.1.3";

/** lwIP's files the raw API over IPv4 and Ethernet needs (src/Filelists.cmake: core, core4, netif's ethernet),
 * the tcpip thread (api/tcpip.c, err.c) and Debian's unix port (port/sys_arch.c). */
const LWIP_SOURCES = [
  "src/core/init.c", "src/core/def.c", "src/core/dns.c", "src/core/inet_chksum.c", "src/core/ip.c",
  "src/core/mem.c", "src/core/memp.c", "src/core/netif.c", "src/core/pbuf.c", "src/core/raw.c", "src/core/stats.c",
  "src/core/sys.c", "src/core/tcp.c", "src/core/tcp_in.c", "src/core/tcp_out.c", "src/core/timeouts.c",
  "src/core/udp.c", "src/core/ipv4/autoip.c", "src/core/ipv4/dhcp.c", "src/core/ipv4/etharp.c",
  "src/core/ipv4/icmp.c", "src/core/ipv4/igmp.c", "src/core/ipv4/ip4_frag.c", "src/core/ipv4/ip4.c",
  "src/core/ipv4/ip4_addr.c", "src/netif/ethernet.c", "src/api/tcpip.c", "src/api/err.c", "port/sys_arch.c",
];

function run(command, args, options = {}) {
  const r = spawnSync(command, args, { encoding: "utf8", ...options });
  if (r.status !== 0) {
    const text = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim().split("\n").slice(-15).join("\n");
    throw new Error(`lwip-slirp: ${command} ${args.slice(0, 6).join(" ")}... failed (${r.error?.message ?? `status ${r.status}`})\n${text}`);
  }
  return r;
}

/** Debian's deb.debian.org entries of /etc/apt/sources.list.d/debian.sources, as deb-src (deb822 stanzas). */
export function debSrcStanzas(text) {
  return text.split(/\n\s*\n/).filter((s) => /^Types:.*\bdeb\b/m.test(s) && /deb\.debian\.org/.test(s))
    .map((s) => s.replace(/^Types:.*$/m, "Types: deb-src")).join("\n\n") + "\n";
}

/** The unpacked lwIP source tree under `out`, fetched with `apt-get source lwip` when missing (once for all builds). */
export function lwipSource(out) {
  const srcRoot = path.join(out, "src");
  const existing = fs.existsSync(srcRoot) && fs.readdirSync(srcRoot).find((d) => d.startsWith(`lwip-${LWIP_VERSION}`) &&
    fs.existsSync(path.join(srcRoot, d, "src", "core", "init.c")));
  if (existing) return path.join(srcRoot, existing);
  const apt = path.join(out, "apt");
  fs.rmSync(apt, { recursive: true, force: true });
  for (const d of ["parts", "lists/partial", "cache/archives/partial"]) fs.mkdirSync(path.join(apt, d), { recursive: true });
  const sources = "/etc/apt/sources.list.d/debian.sources";
  if (!fs.existsSync(sources)) throw new Error(`lwip-slirp: ${sources} not found (a Debian 12 system is needed)`);
  fs.writeFileSync(path.join(apt, "parts", "debian-src.sources"), debSrcStanzas(fs.readFileSync(sources, "utf8")));
  const options = ["-o", "Dir::Etc::SourceList=/dev/null", "-o", `Dir::Etc::SourceParts=${path.join(apt, "parts")}`,
    "-o", `Dir::State::Lists=${path.join(apt, "lists")}`, "-o", `Dir::Cache=${path.join(apt, "cache")}`];
  run("apt-get", ["-qq", ...options, "update"]);
  fs.mkdirSync(srcRoot, { recursive: true });
  run("apt-get", ["-qq", ...options, "source", "lwip"], { cwd: srcRoot });
  if (!fs.readdirSync(srcRoot).some((d) => d.startsWith(`lwip-${LWIP_VERSION}`))) {
    throw new Error(`lwip-slirp: Debian's source package is not lwIP ${LWIP_VERSION}: ${fs.readdirSync(srcRoot).join(", ")}`);
  }
  return lwipSource(out);
}

/** Compile `source` to `object` unless the object is newer than the source and every file in `deps`. */
function compile(source, object, flags, deps) {
  const newest = Math.max(...[source, ...deps].map((f) => fs.statSync(f).mtimeMs));
  if (fs.existsSync(object) && fs.statSync(object).mtimeMs > newest) return;
  fs.mkdirSync(path.dirname(object), { recursive: true });
  run("gcc", [...flags, "-c", "-o", object, source]);
}

/** The include directories of a program built against this lwIP: our lwipopts.h and slirpif.h, lwIP's, its port's. */
export function includeDirs(lwip) {
  return [here, path.join(lwip, "src", "include"), path.join(lwip, "port", "include")];
}

/**
 * Build lwIP, the slirp netif and slirp-ping into `out` (with `sanitize`: -fsanitize=<it> throughout).
 * Returns {program, archive, lwip}: slirp-ping's path, liblwip-slirp.a's path, the lwIP source tree.
 */
export function build({ sanitize, out = path.join(root, "build", sanitize ? `lwip-slirp-${sanitize}` : "lwip-slirp"),
  source = path.join(root, "build", "lwip-source") } = {}) {
  const lwip = lwipSource(source);
  const includes = includeDirs(lwip).map((d) => `-I${d}`);
  const san = sanitize ? [`-fsanitize=${sanitize}`, "-fno-omit-frame-pointer"] : [];
  const opts = path.join(here, "lwipopts.h");
  const objects = [];
  for (const file of LWIP_SOURCES) {
    const object = path.join(out, "obj", "lwip", file.replace(/\//g, "_").replace(/\.c$/, ".o"));
    compile(path.join(lwip, file), object, ["-O2", "-g", ...san, "-w", "-D_GNU_SOURCE", ...includes], [opts]);
    objects.push(object);
  }
  for (const file of ["slirpif.c", "slirp-ping.c"]) {
    const object = path.join(out, "obj", file.replace(/\.c$/, ".o"));
    compile(path.join(here, file), object, ["-O2", "-g", ...san, "-Wall", "-Werror", ...includes],
      [opts, path.join(here, "slirpif.h")]);
    objects.push(object);
  }
  const program = path.join(out, "slirp-ping");
  run("gcc", [...san, "-o", program, ...objects, "-lslirp", "-lpthread"]);
  const archive = path.join(out, "liblwip-slirp.a");
  fs.rmSync(archive, { force: true });
  run("ar", ["rcs", archive, ...objects.filter((o) => !o.endsWith("slirp-ping.o"))]);
  return { program, archive, lwip };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const option = (name) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
  try {
    const out = option("--out");
    console.log(build({ sanitize: option("--sanitize"), ...(out ? { out: path.resolve(out) } : {}) }).program);
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
