// `npm run bench -- --stack lwip` (tools/bench/lwip.js), one short run: the bench re-executes itself in a network
// namespace of its own (loopback only), runs the echo case on lwIP over libslirp and on POSIX, and reports the
// layers' ratios on lwIP, raw ECMA-419 on lwIP against POSIX, and each case it does not run on lwIP with its reason.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { lwipUnavailable } from "./support/netns.js";
import { root } from "./support/sim.js";

const exec = promisify(execFile);

describe("npm run bench -- --stack lwip", function () {
  this.timeout(600_000);   // the first run builds lwIP and the simulator with it

  before(function () {
    if (process.env.XSNET_SIM_STACK === "lwip") {
      console.log("      skipped: this run is the lwIP suites' (tests/sim-lwip.test.js); the bench test runs in the outer one");
      this.skip();
    }
    const unavailable = lwipUnavailable();
    if (unavailable) {
      console.log(`      skipped: ${unavailable}`);
      this.skip();
    }
  });

  it("measures echo round trips on lwIP and on POSIX in one run and names what it does not measure on lwIP", async () => {
    const { stdout } = await exec(process.execPath, [path.join(root, "tools", "bench.js"), "--stack", "lwip", "--json",
      "--runs", "1", "--only", "echo32,bytecode"], { cwd: root, timeout: 540_000, maxBuffer: 1 << 20 });
    const out = JSON.parse(stdout);
    assert.equal(out.stack, "lwip");
    assert.deepEqual(Object.keys(out.results), ["echo32"]);
    const e = out.results.echo32;
    for (const stack of ["lwip", "posix"]) {
      for (const layer of ["raw", "nodemcu", "luatos"]) {
        assert.ok(e[stack][layer] > 0 && Number.isFinite(e[stack][layer]), `${stack} ${layer}: ${e[stack][layer]}`);
        assert.ok(e[stack].cpu[layer] > 0, `${stack} ${layer} cpu: ${e[stack].cpu[layer]}`);
      }
    }
    for (const key of ["echo32 lwip: nodemcu/raw419", "echo32 lwip cpu: nodemcu/raw419", "echo32 lwip: luatos/raw419",
      "echo32 lwip cpu: luatos/raw419", "echo32 posix: nodemcu/raw419", "echo32: raw419 lwip/posix", "echo32 cpu: raw419 lwip/posix"]) {
      assert.ok(out.ratios[key] > 0 && Number.isFinite(out.ratios[key]), `${key}: ${out.ratios[key]}`);
    }
    assert.equal(out.ratios["echo32 lwip: nodemcu/raw419"], e.lwip.nodemcu / e.lwip.raw);
    assert.equal(out.ratios["echo32: raw419 lwip/posix"], e.lwip.raw / e.posix.raw);
    const f = out.figures.raw419.echo32;
    assert.equal(f.unit, "us/round trip");
    assert.equal(f.lwip, 1e6 / e.lwip.raw);
    assert.equal(f.posix, 1e6 / e.posix.raw);
    assert.match(out.notOnLwip.bytecode, /not a network figure.*without --stack/);
    assert.equal(out.notOnLwip.tls, undefined);
  });

  it("refuses an unknown stack by name", async () => {
    await assert.rejects(exec(process.execPath, [path.join(root, "tools", "bench.js"), "--stack", "lwlp", "--runs", "1"],
      { cwd: root, timeout: 60_000 }), (e) => e.code === 1 && /--stack lwlp: posix \(the default\) or lwip/.test(e.stderr));
  });
});
