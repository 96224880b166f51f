// The standalone lwIP + libslirp build (tools/lwip-slirp.js) that the simulator's lwIP backend will stand on: lwIP
// 2.1.3 from Debian's source package with xsnet's lwipopts.h, its tcpip thread (NO_SYS=0), a netif over libslirp.
// In a network namespace of its own (loopback only, so nothing slirp forwards can leave the machine), the check
// program gets a DHCP lease from slirp and pings slirp's host address.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { build } from "../tools/lwip-slirp.js";

describe("standalone lwIP 2.1.3 + libslirp (tools/lwip-slirp.js)", function () {
  this.timeout(300_000); // the first run fetches Debian's source package and compiles lwIP (about 20 s of CPU)
  let program;

  before(function () {
    if (!fs.existsSync("/usr/include/slirp/libslirp.h")) this.skip(); // tools/prereqs.js installs libslirp-dev
    if (process.getuid?.() !== 0) this.skip(); // `unshare --net` and apt-get source need root
    program = build().program;
  });

  it("gets a DHCP lease from slirp and pings slirp's host address, inside `unshare --net`", function () {
    const r = spawnSync("unshare", ["--net", "sh", "-c", `ip link set lo up && exec "$0"`, program],
      { encoding: "utf8", timeout: 60_000 });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /^lease bound ip 10\.0\.2\.15 netmask 255\.255\.255\.0 gateway 10\.0\.2\.2 server 10\.0\.2\.2$/m);
    assert.match(r.stdout, /^ping 10\.0\.2\.2 3\/3$/m);
  });

  it("refuses to start outside a namespace of its own (slirp would forward to the real network)", function () {
    const r = spawnSync(program, [], { encoding: "utf8", timeout: 10_000 });
    if (r.status === 0 && /lease/.test(r.stdout)) assert.fail("ran outside a namespace");
    assert.equal(r.status, 2, `${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /refused: slirp forwards to the real network; run inside `unshare --net`/);
  });
});
