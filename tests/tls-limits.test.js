// The simulator's TLS refuses what a board's refuses (hosts/sim/tls/tls.c): the cases of app tls-limits, whose
// outcomes on Moddable's own build (`npm run check:moddable`, the SDK's ssl/session) are LIMITS_ON_BOARDS, run
// here against the same Node TLS servers. XSNET_TLS_BEYOND_BOARDS=1 (a simulator-only option) lifts the limits.
// And a build without TLS (a module map without manifest_tls.json) names what to include.
import assert from "node:assert/strict";
import { app, cleanup, exitsCleanly, lines } from "./support/net-peers.js";
import { certificates } from "./support/tls-peers.js";
import { limitCases, LIMITS_ON_BOARDS } from "./moddable/scenarios.js";

/** Run the cases; {outcomes: {name: "connected" | "refused <err>"}, stderr}. */
async function runCases(cases, opts = {}) {
  const args = cases.flatMap((c) => [c.name, c.port, c.ca === false ? "-" : c.ca]);
  const r = await exitsCleanly(app("tls-limits", args, opts));
  const outcomes = Object.fromEntries(lines(r.stdout).map((l) => [l.slice(0, l.indexOf(" ")), l.slice(l.indexOf(" ") + 1)]));
  return { outcomes, stderr: r.stderr };
}

describe("simulator TLS: the boards' limits by default", function () {
  this.timeout(60000);
  let pki;
  before(function () {
    pki = certificates();
  });
  afterEach(cleanup);

  it("every case ends as on Moddable's build: TLS 1.3-only server, second CA, leaf alone refused with -28", async () => {
    const { outcomes, stderr } = await runCases(await limitCases(pki));
    assert.deepEqual(outcomes, LIMITS_ON_BOARDS);
    // each refusal that only the boards' limits make says so
    assert.match(stderr, /refused as on a board: .*boards speak TLS 1\.2 only .*XSNET_TLS_BEYOND_BOARDS=1/);
    assert.match(stderr, /refused as on a board: .*boards trust one CA, the first given .*2 were given/);
    assert.match(stderr, /refused as on a board: the server sent its certificate without its issuer/);
  });

  it("XSNET_TLS_BEYOND_BOARDS=1 lifts them: OpenSSL's TLS 1.3, every CA given, a leaf alone", async () => {
    const { outcomes, stderr } = await runCases(await limitCases(pki), { env: { XSNET_TLS_BEYOND_BOARDS: "1" } });
    assert.deepEqual(outcomes, Object.fromEntries(Object.keys(LIMITS_ON_BOARDS).map((k) => [k, "connected"])));
    assert.doesNotMatch(stderr, /refused as on a board/);
  });
});

describe("a build without TLS (no manifest_tls.json)", function () {
  this.timeout(30000);
  afterEach(cleanup);

  it("net.createConnection(net.TCP, 1) throws and luatos config(isTls) returns false, both naming manifest_tls.json", async () => {
    const r = await exitsCleanly(app("notls", [], { tls: false }));
    assert.deepEqual(lines(r.stdout).filter((l) => l.startsWith("check:")), [
      "check: nodemcu TLS is not in this build: include xsnet's manifest_tls.json in the app's manifest",
      "check: luatos config false",
      "check: plain ok",
      "check: done",
    ]);
    assert.match(r.stdout + r.stderr, /E\/socket config: TLS is not in this build: include xsnet's manifest_tls\.json/);
  });

  it("nodemcu/tls is not there (import fails), as NodeMCU's tls module without it in the firmware", async () => {
    const r = await app("tls-nodemcu", ["args", 1, "x", "-", "-"], { tls: false }).exited;
    assert.notEqual(r.code, 0);
    assert.match(r.stderr + r.stdout, /module "nodemcu\/tls" not found/);
  });
});
