// Runs the socket tests of a Moddable SDK checkout (tests/modules/io/socket/{tcp,udp,listener}) in the xsnet
// simulator: our harness (main.js) provides the globals they use, our peers (peers.js) play the Internet hosts
// they talk to on loopback addresses, and each test runs alone in a network namespace (run-one.js). Their test
// files are read from the checkout, never copied into this repository.
import fs from "node:fs";
import path from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const SOCKET_DIRS = ["tcp", "udp", "listener"];

/**
 * Moddable's socket tests that cannot run against loopback peers, with the reason (test name -> reason).
 * Every other test of tests/modules/io/socket must pass.
 */
export const NOT_ON_LOOPBACK = Object.freeze({});

/** The directory of Moddable's socket tests in the checkout `moddable`, or undefined when it has none. */
export function socketTestDir(moddable) {
  if (!moddable) return undefined;
  const dir = path.join(moddable, "tests", "modules", "io", "socket");
  return fs.existsSync(dir) ? dir : undefined;
}

/** Test262-style front matter flags of a test source ("async", "module", ...). */
export function frontMatterFlags(source) {
  const m = source.match(/\/\*---([\s\S]*?)---\*\//);
  const flags = m?.[1].match(/^\s*flags:\s*\[([^\]]*)\]/m);
  return flags ? flags[1].split(",").map((f) => f.trim()).filter(Boolean) : [];
}

/** Every socket test: [{name: "tcp/from.js", file, async}], sorted by name. */
export function socketTests(dir) {
  const tests = [];
  for (const kind of SOCKET_DIRS) {
    const sub = path.join(dir, kind);
    if (!fs.existsSync(sub)) continue;
    for (const entry of fs.readdirSync(sub).sort()) {
      if (!entry.endsWith(".js")) continue;
      const file = path.join(sub, entry);
      tests.push({ name: `${kind}/${entry}`, file, async: frontMatterFlags(fs.readFileSync(file, "utf8")).includes("async") });
    }
  }
  return tests;
}

let unshareWorks;
function canUnshare() {
  unshareWorks ??= spawnSync("unshare", ["--net", "true"], { stdio: "ignore" }).status === 0;
  return unshareWorks;
}

/**
 * Run one test (from socketTests); resolves {verdict: "pass" | "fail" | "skip", reason, stdout, stderr}.
 * In a network namespace of its own when this process may create one; else on the machine's loopback, where
 * the peers on ports 80 and 123 need root and the tests' fixed ports may be taken (then "skip" or "fail").
 */
export function runSocketTest(test) {
  const runner = [path.join(here, "run-one.js"), test.file, test.async ? "async" : "sync"];
  const [file, argv] = canUnshare()
    ? ["unshare", ["--net", process.execPath, ...runner, "--lo-up"]]
    : [process.execPath, runner];
  return new Promise((resolve) => {
    const proc = spawn(file, argv, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "";
    proc.stdout.setEncoding("utf8");
    proc.stderr.setEncoding("utf8");
    proc.stdout.on("data", (d) => { out += d; });
    proc.stderr.on("data", (d) => { err += d; });
    proc.on("close", (code) => {
      try {
        resolve(JSON.parse(out.trim().split("\n").pop()));
      }
      catch {
        resolve({ verdict: "fail", reason: `run-one.js ended (${code}) without a result`, stdout: out, stderr: err });
      }
    });
  });
}
