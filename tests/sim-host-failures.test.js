// The simulator's host calls that the system refuses give the documented error, at the call or as the event
// the docs name, and nothing else (no stray message on stderr): multicast joins on interfaces that do not exist
// (with or without a UDP socket open), and connections that fail at once (no route). App:
// tests/apps/host-failures.ts.
import assert from "node:assert/strict";
import { runApp } from "./support/sim.js";
import { canUnshare, runInNetns, simArgv } from "./support/netns.js";
import { lines } from "./support/net-peers.js";

describe("simulator: host calls that fail", function () {
  it("multicastJoin raises when no interface has the address, whether or not a UDP socket is open", async () => {
    const r = await runApp("tests/apps/host-failures.ts", { args: ["multicast"] });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    assert.deepEqual(lines(r.stdout), [
      "no-socket bad-if Error: multicast join failed: no such interface",
      "no-socket lo ok",
      "socket bad-if Error: multicast join failed: no such interface",
      "socket lo ok",
      "socket lo again ok",
      "leave lo ok",
      "leave never joined ok",
      "closed bad-if Error: multicast join failed: no such interface",
    ]);
  });

  it("multicastJoin on any interface raises where no route carries multicast (network namespace)", async function () {
    if (!canUnshare()) this.skip();
    const argv = simArgv("tests/apps/host-failures.ts", { args: ["multicast-any"], timeout: 10 });
    const none = await runInNetns("ip link set lo up", argv);
    assert.equal(none.code, 0, none.stderr);
    assert.equal(none.stdout, "any Error: multicast join failed: no such interface\n");
    const routed = await runInNetns("ip link set lo up && ip route add 224.0.0.0/4 dev lo", argv);
    assert.equal(routed.code, 0, routed.stderr);
    assert.equal(routed.stdout, "any ok\n");
  });

  it("a connect that fails at once (no route) gives -4 (ERR_RTE) and prints nothing (network namespace, lo down)", async function () {
    if (!canUnshare()) this.skip();
    const r = await runInNetns("true", simArgv("tests/apps/host-failures.ts", { args: ["unreachable", 9], timeout: 10 }));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    assert.deepEqual(lines(r.stdout), ["nodemcu disconnection -4", "raw onError -4"]);
  });
});
