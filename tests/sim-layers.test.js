// The simulator's host in layers (docs/simulator-host.md), checked by tools/check-host-layers.js: no POSIX socket
// call outside the backend folder hosts/sim/net/posix, no lwIP call outside hosts/sim/net/lwip, and dependency arrows one way (by #include lines and by the
// symbols the built object files take from each other).
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { checkHostLayers } from "../tools/check-host-layers.js";
import { root } from "../tools/sim.js";

describe("simulator host layers", function () {
  it("has no socket call outside net/posix and no dependency against the arrows", () => {
    assert.deepEqual(checkHostLayers(), []);
  });

  it("would report a socket call in a binding, an engine file that includes a binding, lwIP calls outside net/lwip", () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "xsnet-layers-"));
    try {
      fs.cpSync(path.join(root, "hosts", "sim"), copy, { recursive: true });
      fs.appendFileSync(path.join(copy, "bindings", "udp.c"), "\nstatic void bad(int fd) { char b[1]; recv(fd, b, 1, 0); }\n");
      fs.appendFileSync(path.join(copy, "modules.c"), '\n#include "bindings/bindings.h"\n');
      // lwIP's raw API outside net/lwip (its calls belong on the tcpip thread, which only that backend knows)
      fs.appendFileSync(path.join(copy, "bindings", "tcp.c"), '\n#include "lwip/tcp.h"\nstatic void bad2(void* p) { tcp_recved(p, 1); }\n');
      // and the lwIP backend reaching into the POSIX one
      fs.appendFileSync(path.join(copy, "net", "lwip", "udp.c"), '\n#include "net/posix/posix.h"\n');
      const problems = checkHostLayers({ hostDir: copy, objectsDir: null });
      assert.ok(problems.includes("bindings/udp.c: calls recv() outside hosts/sim/net/posix"), problems.join("\n"));
      assert.ok(problems.includes("bindings/tcp.c: calls tcp_recved() outside hosts/sim/net/lwip"), problems.join("\n"));
      assert.ok(problems.includes("bindings/tcp.c: includes lwip/tcp.h outside hosts/sim/net/lwip"), problems.join("\n"));
      assert.ok(problems.some((p) => p.startsWith("lwip -> posix is not allowed")), problems.join("\n"));
      assert.ok(problems.some((p) => p.startsWith("engine -> bindings is not allowed")), problems.join("\n"));
    }
    finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
});
