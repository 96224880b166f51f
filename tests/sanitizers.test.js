// The simulator's C host under AddressSanitizer and UndefinedBehaviorSanitizer: `npm test` builds the sanitizer
// variant (tools/build-sim.js --sanitize, into build/sim-asan; UBSan on the host's own files, hosts/sim/Makefile
// says why) and runs the socket and DNS test files against it (XSNET_SANITIZE=1 makes tools/sim.js pick that
// binary), each in its own mocha process: every test must pass and no sanitizer may write a report (reports go to
// files, so a report from a simulator that a test kills or whose exit status it ignores still counts).
// `XSNET_SANITIZE=1 npm test` runs the whole suite that way instead (this file then skips itself).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildSim } from "../tools/build-sim.js";
import { root } from "../tools/sim.js";

/** The socket, TLS and DNS test files (tests/<name>.test.js). */
const FILES = [
  "ecma419-tcp", "ecma419-udp", "ecma419-listener",
  "net-tcp-client", "net-tcp-server", "net-udp", "net-flow", "net-errors", "net-regress", "net-server-forms",
  "net-reliability", "net-reuse", "utf8-text", "luatos-socket", "luatos-server", "luatos-udp", "tls-nodemcu", "luatos-tls", "tls-limits",
  "net-dns", "dns-resolver",
  "sim-emfile", "sim-host-failures",
  "net-hostile", "net-coercion", "fuzz-api", "fuzz-parsers",
];

const mocha = path.join(root, "node_modules", "mocha", "bin", "mocha.js");

/** Run one test file in its own mocha against the sanitizer build; resolves {code, output}. */
function runFile(file, reports) {
  // With ASan linked in, UBSan prints its one-line message on stderr whatever log_path says; the host's UBSan checks
  // abort (-fno-sanitize-recover) and abort_on_error + handle_abort turn that into an ASan report, with the stack of
  // the __ubsan_handle_* call, in the log directory. (UBSan's options reset the common ones: log_path twice.)
  const log = `log_path=${path.join(reports, "sanitizer")}`;
  const env = {
    ...process.env, XSNET_SANITIZE: "1",
    ASAN_OPTIONS: `${log}:handle_abort=1`,
    UBSAN_OPTIONS: `${log}:abort_on_error=1:print_stacktrace=1`,
  };
  const child = spawn(process.execPath, [mocha, "--reporter", "dot", path.join("tests", `${file}.test.js`)],
    { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => { output += d; });
  child.stderr.on("data", (d) => { output += d; });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, output })));
}

/** Text shown on failure, indented so that CI's "N passing" count never reads the inner run's lines. */
const quote = (text) => text.trimEnd().split("\n").map((l) => `    | ${l}`).join("\n");

describe("simulator under AddressSanitizer and UBSan: socket and DNS tests", function () {
  let reports;

  before(function () {
    if (process.env.XSNET_SANITIZE === "1") this.skip();   // the whole suite runs on the sanitizer build already
    this.timeout(20 * 60 * 1000);                          // a first build compiles XS with ASan: minutes
    buildSim({ quiet: true, sanitize: true });
    reports = fs.mkdtempSync(path.join(os.tmpdir(), "xsnet-sanitizers-"));
  });

  after(() => {
    if (reports) fs.rmSync(reports, { recursive: true, force: true });
  });

  for (const file of FILES) {
    it(`${file}.test.js passes with no sanitizer report`, async function () {
      this.timeout(5 * 60 * 1000);
      const r = await runFile(file, reports);
      const written = fs.readdirSync(reports);
      const texts = written.map((f) => fs.readFileSync(path.join(reports, f), "utf8"));
      for (const f of written) fs.rmSync(path.join(reports, f));
      assert.deepEqual(written, [], `sanitizer reports:\n${quote(texts.join("\n"))}`);
      assert.equal(r.code, 0, `tests/${file}.test.js failed on the sanitizer build:\n${quote(r.output)}`);
    });
  }
});
