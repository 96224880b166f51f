// Moddable's own conformance tests of its ECMA-419 sockets (tests/modules/io/socket/{tcp,udp,listener} in the
// Moddable SDK), run in our simulator: they are the public reading of the spec, so the simulator must pass them
// as Moddable's classes do on a board. Set MODDABLE to a Moddable SDK checkout to run them (skipped otherwise);
// their files are read from there, never copied here. Each runs alone in a network namespace with our harness
// (tests/support/moddable-harness/main.js) and our loopback peers standing in for www.example.com (HTTP) and
// pool.ntp.org (SNTP).
import assert from "node:assert/strict";
import path from "node:path";
import { root } from "./support/sim.js";
import { NOT_ON_LOOPBACK, frontMatterFlags, runSocketTest, socketTestDir, socketTests } from "./support/moddable-harness/index.js";
import fs from "node:fs";

function explain(r) {
  return `${r.reason ?? ""}\nstdout:\n${r.stdout ?? ""}\nstderr:\n${r.stderr ?? ""}`;
}

function fixture(name) {
  const file = path.join(root, "tests", "support", "moddable-harness", "fixtures", name);
  return { name, file, async: frontMatterFlags(fs.readFileSync(file, "utf8")).includes("async") };
}

describe("harness for Moddable's tests (tests/support/moddable-harness)", function () {
  this.timeout(30000);

  for (const name of ["pass-sync.js", "pass-async.js", "pass-host-objects.js"]) {
    it(`passes ${name}`, async () => {
      const r = await runSocketTest(fixture(name));
      assert.equal(r.verdict, "pass", explain(r));
    });
  }

  const failures = {
    "fail-subclass.js": /expected Error, got TypeError: a subclass of Error/,
    "fail-no-throw.js": /expected SyntaxError to be thrown, nothing was/,
    "fail-first-done.js": /the first verdict is a failure/,
    "fail-timeout.js": /timed out as expected/,
    "fail-uncaught.js": /before \$DONE/,
  };
  for (const [name, reason] of Object.entries(failures)) {
    it(`fails ${name} with its reason`, async () => {
      const r = await runSocketTest(fixture(name));
      assert.equal(r.verdict, "fail", explain(r));
      assert.match(r.reason, reason);
    });
  }
});

describe("Moddable SDK socket tests (tests/modules/io/socket) in the simulator", function () {
  const dir = socketTestDir(process.env.MODDABLE);
  if (!dir) {
    it("runs Moddable's tcp, udp and listener tests (set MODDABLE to a Moddable SDK checkout)", function () {
      this.skip();
    });
    return;
  }
  this.timeout(30000);
  for (const test of socketTests(dir)) {
    const reason = NOT_ON_LOOPBACK[test.name];
    it(`${test.name}${reason ? ` (not on loopback: ${reason})` : ""}`, async function () {
      if (reason) this.skip();
      const r = await runSocketTest(test);
      if (r.verdict === "skip") {
        console.log(`      skipped ${test.name}: ${r.reason}`);
        this.skip();
      }
      assert.equal(r.verdict, "pass", explain(r));
    });
  }
});
