// The device half of xsnet/native (modules/native/lwip) must compile against lwIP's real headers (Debian's
// liblwip-dev, 2.1.3) and the XS headers, warnings as errors: on this machine, and with the boards' compilers,
// nothing linked or flashed: ESP8266 (xtensa-lx106, lwIP in XS's task: NO_SYS=1) and a 32-bit RISC-V core like
// ESP32-C3's (rv32imc, lwIP in its own tcpip thread: NO_SYS=0, every lwIP call posted there through lwipcall.h).
// Boards build it with their SDK's lwipopts.h; modules/native/check/lwipopts.h stands in for it here.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { root, xsPackageDir } from "../tools/sim.js";
import { toolPath } from "../tools/prereqs.js";

const lwipHeaders = "/usr/include/lwip";
const check = path.join(root, "modules", "native", "check");
const lwip = path.join(root, "modules", "native", "lwip");

/** The compilers: this machine's gcc (and XS's desktop platform header), then the boards' (picolibc, no POSIX). */
const targets = [
  { name: "host gcc, NO_SYS=1", cc: "gcc", flags: [] },
  {
    name: "ESP8266 (xtensa-lx106), NO_SYS=1", cc: "xtensa-lx106-elf-gcc", device: true,
    flags: ["--specs=/usr/lib/xtensa-lx106-elf/picolibc.specs", "-mlongcalls", "-mtext-section-literals", "-Os",
      "-std=gnu99", "-D__ets__"],
  },
  {
    name: "ESP32-C3-like (rv32imc), NO_SYS=0", cc: "riscv64-unknown-elf-gcc", device: true,
    flags: ["--specs=/usr/lib/picolibc/riscv64-unknown-elf/picolibc.specs", "-march=rv32imc", "-mabi=ilp32", "-Os",
      "-std=gnu99", "-DXSNET_CHECK_ESP32"],
  },
];

describe("device native module (modules/native)", function () {
  const xs = path.join(xsPackageDir(), "xs");
  const xsIncludes = [`-I${path.join(xs, "includes")}`, `-I${path.join(xs, "platforms")}`, `-I${path.join(xs, "sources")}`];
  const common = ["-fsyntax-only", "-Wall", "-Werror", ...xsIncludes, `-I${path.join(root, "hosts", "sim")}`,
    "-DINCLUDE_XSPLATFORM", '-DXSPLATFORM="xsnet_platform.h"'];

  for (const target of targets) {
    for (const file of fs.readdirSync(lwip).filter((f) => f.endsWith(".c"))) {
      it(`lwip/${file} compiles against lwIP 2.x headers: ${target.name}`, function () {
        if (!fs.existsSync(`${lwipHeaders}/lwip/dns.h`) || !toolPath(target.cc)) this.skip(); // tools/prereqs.js installs them
        const platform = target.device
          ? ["-fsyntax-only", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Werror", ...xsIncludes, `-I${check}`,
            "-DINCLUDE_XSPLATFORM", '-DXSPLATFORM="xsnet_device_platform.h"']
          : common;
        const r = spawnSync(target.cc, [...target.flags, ...platform, "-include", path.join(check, "moddable_device.h"),
          `-I${check}`, `-I${lwipHeaders}`, path.join(lwip, file)], { encoding: "utf8" });
        assert.equal(r.status, 0, r.stderr || r.error?.message);
      });
    }
  }

  // modules/native/common: the portable C every platform builds (manifest.json), over xs.h and the C library alone
  const portable = path.join(root, "modules", "native", "common");
  for (const target of targets) {
    for (const file of fs.readdirSync(portable).filter((f) => f.endsWith(".c"))) {
      it(`common/${file} compiles with xs.h alone, -Wextra: ${target.name}`, function () {
        if (!toolPath(target.cc)) this.skip(); // tools/prereqs.js installs the boards' compilers
        const platform = target.device ? [`-I${check}`, '-DXSPLATFORM="xsnet_device_platform.h"']
          : [`-I${path.join(root, "hosts", "sim")}`, '-DXSPLATFORM="xsnet_platform.h"'];
        const r = spawnSync(target.cc, [...target.flags, "-fsyntax-only", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Werror",
          ...xsIncludes, "-DINCLUDE_XSPLATFORM", ...platform, path.join(portable, file)], { encoding: "utf8" });
        assert.equal(r.status, 0, r.stderr || r.error?.message);
      });
    }
  }

  it("lwipcall.h posts lwIP calls with tcpip_api_call for NO_SYS=0 (ESP32), calls them directly for ESP8266", function () {
    // icmp.c's open, and pcb.c's read of a socket's pcb for local() (getaddr()) and ttl()
    for (const [file, call] of [["icmp.c", "xsnetICMPOpenInLwip"], ["pcb.c", "xsnetLocalInLwip"], ["pcb.c", "xsnetTTLInLwip"]]) {
      for (const [target, posted] of [[targets[2], true], [targets[1], false]]) {
        if (!fs.existsSync(`${lwipHeaders}/lwip/dns.h`) || !toolPath(target.cc)) this.skip();
        const r = spawnSync(target.cc, [...target.flags, "-E", ...xsIncludes, `-I${check}`, "-DINCLUDE_XSPLATFORM",
          '-DXSPLATFORM="xsnet_device_platform.h"', "-include", path.join(check, "moddable_device.h"), `-I${lwipHeaders}`,
          path.join(lwip, file)], { encoding: "utf8", maxBuffer: 64 << 20 });
        assert.equal(r.status, 0, r.stderr);
        const expanded = new RegExp(`\\btcpip_api_call\\s*\\(\\s*\\(?${call}\\b`).test(r.stdout);
        const direct = new RegExp(`\\(\\s*${call}\\s*\\)\\s*\\(`).test(r.stdout);
        assert.equal(expanded, posted, `${file} ${call}, ${target.name}: posted ${posted}`);
        assert.equal(direct, !posted, `${file} ${call}, ${target.name}: called directly ${!posted}`);
      }
    }
  });

  it("lin/native.c compiles", function () {
    const r = spawnSync("gcc", [...common, path.join(root, "modules", "native", "lin", "native.c")], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
  });
});
