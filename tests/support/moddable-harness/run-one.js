// Runs one Moddable SDK test in the simulator with our harness (main.js) and the peers (peers.js), then prints
// one JSON line: {verdict: "pass" | "fail" | "skip", reason, stdout, stderr, code, signal} (SIGKILL: ended by us
// at the verdict). Meant to run in a network
// namespace of its own (index.js starts it with `unshare --net`), so that the fixed ports the tests use (80,
// 123, 1234, 8080, 51515) are free and nothing leaves the machine; with --lo-up it first brings up loopback.
//
//   node run-one.js <test file> <async|sync> [--lo-up]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { simBinary, writeModuleMap } from "../../../tools/sim.js";
import { HOSTS, startPeers } from "./peers.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const [testFile, mode, ...flags] = process.argv.slice(2);
/** Seconds before the simulator gives up by itself (the tests' own $TESTMC.timeout is at most 5 s). */
const SIM_TIMEOUT = 20;

function finish(result) {
  process.stdout.write(JSON.stringify(result) + "\n");
  process.exit(0);
}

if (flags.includes("--lo-up")) {
  const r = spawnSync("ip", ["link", "set", "lo", "up"], { encoding: "utf8" });
  if (r.status !== 0) finish({ verdict: "skip", reason: `cannot bring up loopback: ${r.stderr || r.error}` });
}

const peers = await startPeers();
const source = fs.readFileSync(testFile, "utf8");
const needed = peers.unavailable.filter((name) => source.includes(JSON.stringify(name)));
if (needed.length) {
  peers.close();
  finish({ verdict: "skip", reason: `no peer for ${needed.join(", ")} here (ports 80/123 need root or a namespace)` });
}

// The module map: the project's, plus es2024.js preloaded (it patches a built-in, which only a preloaded module
// can do: the built-ins are frozen once the preload phase ends, on a board and in the simulator alike).
const map = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "xsnet-harness-")), "modules.map");
fs.writeFileSync(map, fs.readFileSync(writeModuleMap(), "utf8") +
  `moddable-harness/es2024\t${path.join(here, "es2024.js")}\n!preload\tmoddable-harness/es2024\n`);
const argv = ["--map", map, "--timeout", String(SIM_TIMEOUT), path.join(here, "main.js"),
  "--", testFile, JSON.stringify(HOSTS), mode];
const sim = spawn(simBinary, argv, { stdio: ["ignore", "pipe", "pipe"] });
let stdout = "", stderr = "", verdict, reason;
sim.stdout.setEncoding("utf8");
sim.stderr.setEncoding("utf8");
sim.stdout.on("data", (d) => {
  stdout += d;
  const m = !verdict && stdout.match(/\n@@moddable-harness (pass|fail)(?: (.*))?\n/);
  if (m) {
    verdict = m[1];
    reason = m[2];
    sim.kill("SIGKILL");  // the first $DONE ends the test, as in Moddable's runner
  }
});
sim.stderr.on("data", (d) => { stderr += d; });
sim.on("close", (code, signal) => {
  peers.close();
  fs.rmSync(path.dirname(map), { recursive: true, force: true });
  if (!verdict) {
    verdict = "fail";
    reason = `the simulator ended (${code ?? signal}) before $DONE`;
  }
  finish({ verdict, reason, stdout, stderr, code, signal });
});
