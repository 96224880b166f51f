// Test-side helpers for peers that need a network namespace or Python (tests/net-ping.test.js,
// tests/net-native.test.js): a namespace the test creates (unshare --net, root), so its interfaces, routes and
// sysctls are the test's own and nothing reaches the machine's network.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { simCommand } from "../../tools/sim.js";
import { root } from "./sim.js";
import { onCleanup } from "./net-peers.js";

let unshareWorks;
/** True when this process may create network namespaces (root, or user namespaces allowed). */
export function canUnshare() {
  unshareWorks ??= spawnSync("unshare", ["--net", "true"], { stdio: "ignore" }).status === 0;
  return unshareWorks;
}

/** Why the lwIP simulator backend cannot run here (libslirp-dev missing, no namespaces), or undefined when it can. */
export function lwipUnavailable() {
  if (!fs.existsSync("/usr/include/slirp/libslirp.h")) return "libslirp-dev is not installed (tools/prereqs.js installs it as root)";
  if (!canUnshare()) return "`unshare --net` is not possible here (root or user namespaces needed)";
  return undefined;
}

let pythonWorks;
/** True when python3 is installed (the ICMP responder and the TTL peer are Python scripts). */
export function hasPython() {
  pythonWorks ??= spawnSync("python3", ["-c", "import socket, select, struct"], { stdio: "ignore" }).status === 0;
  return pythonWorks;
}

/** Path of a file in tests/support. */
export function supportFile(name) {
  return path.join(root, "tests", "support", name);
}

/** The simulator command line of an app, as one argv array (see tools/sim.js simCommand). */
export function simArgv(app, opts = {}) {
  const { file, argv } = simCommand(app, opts);
  return [file, ...argv];
}

/**
 * Run `argv` in a new network namespace after the shell commands `setup` (e.g. "ip link set lo up"); the
 * process is killed at cleanup if still running. Resolves {code, signal, stdout, stderr}.
 */
export function runInNetns(setup, argv) {
  const proc = spawn("unshare", ["--net", "sh", "-c", `${setup} && exec "$@"`, "sh", ...argv],
    { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "", stderr = "";
  proc.stdout.setEncoding("utf8");
  proc.stderr.setEncoding("utf8");
  proc.stdout.on("data", (d) => { stdout += d; });
  proc.stderr.on("data", (d) => { stderr += d; });
  onCleanup(() => { if (proc.exitCode === null) proc.kill("SIGKILL"); });
  return new Promise((resolve) => proc.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
}
