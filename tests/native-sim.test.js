// xsnet/native in the simulator (hosts/sim/bindings/native.c, icmp.c): what ECMA-419 lacks.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { runApp } from "./support/sim.js";
import { simCommand } from "../tools/sim.js";

describe("xsnet/native in the simulator", function () {
  it("ifinfo(0) reports the station interface; ifinfo(1) (no access point) is undefined", async () => {
    const r = await runApp("tests/apps/native.ts", { args: ["ifinfo"] });
    assert.equal(r.code, 0, r.stderr);
    const m = r.stdout.match(/^ifinfo0 (\S+) (\d+\.\d+\.\d+\.\d+) (\d+\.\d+\.\d+\.\d+) (\S+) ([0-9a-f]{2}(:[0-9a-f]{2}){5})\n/);
    assert.ok(m, r.stdout);
    const ip = spawnSync("ip", ["-4", "-o", "addr", "show", "dev", m[1]], { encoding: "utf8" }).stdout;
    assert.ok(ip.includes(` ${m[2]}/`), `${m[2]} is not an address of ${m[1]}: ${ip}`);
    assert.match(r.stdout, /ifinfo1 undefined\n/);
  });

  it("ttl() sets the IP TTL that the socket then reports, for UDP and TCP", async () => {
    const r = await runApp("tests/apps/native.ts", { args: ["ttl"] });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /udp default 64 set 7 read 7\n/);
    assert.match(r.stdout, /closed: socket is not open\/bound yet\n/);
    assert.match(r.stdout, /tcp set 42 read 42\n/);
  });

  it("an ICMP echo to 127.0.0.1 is answered", async () => {
    const r = await runApp("tests/apps/native.ts", { args: ["ping", "127.0.0.1"] });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^reply from 127\.0\.0\.1 seq 1 bytes 32 rtt<1s true\n$/);
  });

  it("multicastJoin makes UDP sockets receive the group's datagrams (in a network namespace)", function () {
    const { file, argv } = simCommand("tests/apps/native.ts", { args: ["multicast"], timeout: 10 });
    const script = `ip link set lo up && ip route add 224.0.0.0/4 dev lo && exec "$0" "$@"`;
    const r = spawnSync("unshare", ["--net", "sh", "-c", script, file, ...argv], { encoding: "utf8" });
    if (r.status !== 0 && /unshare failed|Operation not permitted/.test(r.stderr)) this.skip(); // needs root
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /bad group: invalid multicast ip\n/);
    assert.match(r.stdout, /multicast got to the group\n/);
  });
});
