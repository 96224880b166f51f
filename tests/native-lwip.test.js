// The device half of xsnet/native (modules/native/lwip) must compile against lwIP's real headers
// (Debian's liblwip-dev) and the XS headers; boards build it with their SDK's lwipopts.h.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { root, xsPackageDir } from "../tools/sim.js";

describe("device native module (modules/native)", function () {
  const xs = path.join(xsPackageDir(), "xs");
  const common = ["-fsyntax-only", "-Wall", "-Werror", `-I${path.join(xs, "includes")}`, `-I${path.join(xs, "platforms")}`,
    `-I${path.join(xs, "sources")}`, `-I${path.join(root, "hosts", "sim")}`, "-DINCLUDE_XSPLATFORM", '-DXSPLATFORM="xsnet_platform.h"'];

  const lwip = path.join(root, "modules", "native", "lwip");
  for (const file of fs.readdirSync(lwip).filter((f) => f.endsWith(".c"))) {
    it(`lwip/${file} compiles against lwIP 2.x headers`, function () {
      if (!fs.existsSync("/usr/include/lwip/lwip/dns.h")) this.skip(); // .ci/run installs liblwip-dev
      const check = path.join(root, "modules", "native", "check");
      const r = spawnSync("gcc", [...common, "-include", path.join(check, "moddable_device.h"), `-I${check}`,
        "-I/usr/include/lwip", path.join(lwip, file)], { encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
    });
  }

  it("lin/native.c compiles", function () {
    const r = spawnSync("gcc", [...common, path.join(root, "modules", "native", "lin", "native.c")], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
  });
});
