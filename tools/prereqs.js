#!/usr/bin/env node
// The one list of system tools xsnet needs beyond Node and npm: which Debian package brings each, and who needs
// it. `npm install` (postinstall) runs `node tools/prereqs.js build`, `npm test` runs `node tools/prereqs.js test`,
// and .ci/run gets both through them. What is missing is installed with apt-get when we are root on Debian (one
// line says what); otherwise the command stops at once with one line naming what to install.
//
//   node tools/prereqs.js [build|test] [--dry-run]      ("test", the default, includes "build")
//
// --dry-run prints what would be installed (or the stop line) and installs nothing; exit status as without it.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/**
 * What the build and the tests need. `command`: an executable looked up on PATH (then the sbin directories, where
 * Debian puts dnsmasq); `file`: a file that must exist. `deb`: the Debian package. `group`: "build" (npm install
 * builds the simulator) or "test" (npm test, which also builds). `for`: who uses it, for the messages.
 * Node itself plays every other peer (TCP/UDP clients and servers, a scriptable DNS server).
 */
export const PREREQS = [
  { command: "make", deb: "make", group: "build", for: "building the simulator" },
  { command: "gcc", deb: "gcc", group: "build", for: "building the simulator, tests/native-lwip.test.js" },
  { name: "OpenSSL's libssl headers", file: "/usr/include/openssl/ssl.h", deb: "libssl-dev", group: "build", for: "the simulator's TLS (hosts/sim/tls)" },
  { command: "openssl", deb: "openssl", group: "test", for: "certificates generated at run time by tests/tls-*.test.js" },
  { command: "dnsmasq", deb: "dnsmasq-base", group: "test", for: "the DNS server of tests/net-dns.test.js, tests/net-ping.test.js" },
  { command: "curl", deb: "curl", group: "test", for: "the HTTP client of tests/net-tcp-server, ported-http-server, examples" },
  { command: "python3", deb: "python3", group: "test", for: "tests/net-native, net-ping (ICMP and TTL peers), net-reliability (a small-window peer), flash-e2e (pty pair), xsnet-repl (a terminal: support/pty-run.py)" },
  { command: "ip", deb: "iproute2", group: "test", for: "network namespaces of tests/net-native, net-ping, net-regress, native-sim" },
  { command: "unshare", deb: "util-linux", group: "test", for: "network namespaces of tests/net-native, net-ping, net-regress, native-sim" },
  { name: "lwIP headers", file: "/usr/include/lwip/lwip/dns.h", deb: "liblwip-dev", group: "test", for: "lwIP's headers for tests/native-lwip.test.js" },
  { command: "xtensa-lx106-elf-gcc", deb: "gcc-xtensa-lx106", group: "test", for: "the ESP8266 compile check of tests/native-lwip.test.js" },
  { name: "picolibc for xtensa-lx106", file: "/usr/lib/xtensa-lx106-elf/picolibc.specs", deb: "picolibc-xtensa-lx106-elf", group: "test", for: "the ESP8266 compile check of tests/native-lwip.test.js" },
  { name: "libslirp headers", file: "/usr/include/slirp/libslirp.h", deb: "libslirp-dev", group: "test", for: "the lwIP + libslirp build of tools/lwip-slirp.js (tests/native-lwip-slirp.test.js)" },
  { command: "dpkg-source", deb: "dpkg-dev", group: "test", for: "`apt-get source lwip` in tools/lwip-slirp.js (unpacks Debian's source package)" },
  { command: "riscv64-unknown-elf-gcc", deb: "gcc-riscv64-unknown-elf", group: "test", for: "the ESP32-C3 (rv32imc) compile check of tests/native-lwip.test.js" },
  { name: "picolibc for riscv64-unknown-elf", file: "/usr/lib/picolibc/riscv64-unknown-elf/picolibc.specs", deb: "picolibc-riscv64-unknown-elf", group: "test", for: "the ESP32-C3 (rv32imc) compile check of tests/native-lwip.test.js" },
];

/** Where a command is looked up: PATH, then Debian's sbin directories (not on a normal user's PATH). */
export function searchDirs(env = process.env) {
  const dirs = (env.PATH ?? "").split(path.delimiter).filter(Boolean);
  for (const d of ["/usr/local/sbin", "/usr/sbin", "/sbin"]) if (!dirs.includes(d)) dirs.push(d);
  return dirs;
}

/** Absolute path of executable `name` (see searchDirs), or null when there is none. */
export function toolPath(name, dirs = searchDirs()) {
  for (const d of dirs) {
    const file = path.join(d, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return null;
}

/** True when prerequisite `p` (an entry of PREREQS) is present. */
export function present(p, dirs = searchDirs()) {
  return p.command ? toolPath(p.command, dirs) !== null : fs.existsSync(p.file);
}

/** The entries of PREREQS that `group` needs and that are missing: "build", or "test" (which builds too). */
export function missing(group = "test", dirs = searchDirs()) {
  return PREREQS.filter((p) => (group === "test" || p.group === group) && !present(p, dirs));
}

/** What an entry is called in a message: "dnsmasq". */
const nameOf = (p) => p.name ?? p.command;

/** Who runs `group`, for the messages. */
const runner = (group) => (group === "build" ? "npm install" : "npm test");

/** The one line that stops the command: what is missing, why it was not installed, and how to install it. */
export function stopLine(lacking, group, why) {
  const debs = [...new Set(lacking.map((p) => p.deb))];
  return `xsnet: ${runner(group)} needs ${lacking.map(nameOf).join(", ")}, not installed (${why}): ` +
    `run \`apt-get install ${debs.join(" ")}\` as root (Debian packages), or run ${runner(group)} as root on Debian`;
}

/** Why apt-get cannot be used here, or null when it can (root on Debian with apt-get). */
export function cannotInstall({ uid = process.getuid?.(), dirs = searchDirs() } = {}) {
  if (uid !== 0) return "not root";
  if (!fs.existsSync("/etc/debian_version") || !toolPath("apt-get", dirs)) return "not a Debian system";
  return null;
}

/** Run apt-get quietly; returns null on success or the tail of its output. */
function aptGet(args) {
  const r = spawnSync("apt-get", ["-qq", ...args], {
    encoding: "utf8", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" }, stdio: ["ignore", "pipe", "pipe"],
  });
  if (r.status === 0) return null;
  return (r.error?.message ?? `${r.stdout}${r.stderr}`).trim().split("\n").slice(-3).join(" | ");
}

/**
 * Make sure `group` is installed. Returns {status, lines}: status 0 when everything is present (installed now if
 * need be), 1 with one stop line otherwise. `dryRun` installs nothing.
 */
export function ensure(group = "test", { dryRun = false, uid = process.getuid?.() } = {}) {
  const lacking = missing(group);
  if (lacking.length === 0) return { status: 0, lines: [] };
  const debs = [...new Set(lacking.map((p) => p.deb))];
  const why = cannotInstall({ uid });
  if (why) return { status: 1, lines: [stopLine(lacking, group, why)] };
  const line = `xsnet: ${runner(group)}: installing ${debs.join(" ")} with apt-get (for ${lacking.map(nameOf).join(", ")})`;
  if (dryRun) return { status: 0, lines: [line.replace("installing", "would install")] };
  const failed = aptGet(["update"]) ?? aptGet(["install", "-y", "--no-install-recommends", ...debs]);
  const still = missing(group);
  if (failed || still.length) {
    return { status: 1, lines: [line, stopLine(still.length ? still : lacking, group, `apt-get failed${failed ? `: ${failed}` : ""}`)] };
  }
  return { status: 0, lines: [line] };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const group = args.find((a) => !a.startsWith("--")) ?? "test";
  if (!["build", "test"].includes(group)) {
    console.error(`xsnet: prereqs: unknown group "${group}" (build or test)`);
    process.exit(2);
  }
  const { status, lines } = ensure(group, { dryRun: args.includes("--dry-run") });
  for (const l of lines) (status ? console.error : console.log)(l);
  process.exit(status);
}
