// The simulator on its second network backend: lwIP 2.1.3 in its own tcpip thread over libslirp (hosts/sim/net/lwip,
// build/sim-lwip, XSNET_SIM_STACK=lwip). Slirp forwards to the real network, so all of it runs in a network namespace
// of its own with nothing but loopback: this file, run by mocha as usual, starts a second mocha inside
// `unshare --net` (loopback up) with XSNET_SIM_STACK=lwip, over the nodemcu/net and luatos/socket suites below and
// this file again, whose inner part holds the checks only lwIP makes meaningful (receive events of at most one MSS,
// hold() closing the 5,760-byte window, the DHCP lease, ping of slirp's host). Node peers run in that namespace too
// and reach the app through slirp: the host's 127.0.0.1 is slirp's 10.0.2.2.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { buildSim } from "../tools/build-sim.js";
import { lwipSimBinary } from "../tools/sim.js";
import { app, cleanup, exitsCleanly, lines, tcpServer } from "./support/net-peers.js";
import { lwipUnavailable, runInNetns, simArgv } from "./support/netns.js";
import { root } from "./support/sim.js";

/** The suites that run on lwIP too: nodemcu/net and luatos/socket, and the ported programs over them. Not here:
 * those that build their own namespace or take the loopback interface down (net-ping, net-native, net-regress's
 * unsendable DNS), luatos/sntp (its servers listen on loopback addresses other than 127.0.0.1, which slirp cannot
 * reach), and the ECMA-419 class tests, which state the POSIX classes' sizes and codes (64 KiB, onError(code)) where
 * lwIP's are a board's (5,760 bytes, onError() without a code). */
export const LWIP_SUITES = [
  "tests/net-tcp-client.test.js", "tests/net-tcp-server.test.js", "tests/net-udp.test.js", "tests/net-dns.test.js",
  "tests/net-flow.test.js", "tests/net-errors.test.js", "tests/net-reliability.test.js", "tests/net-server-forms.test.js",
  "tests/net-coercion.test.js",
  "tests/luatos-socket.test.js", "tests/luatos-udp.test.js", "tests/luatos-server.test.js", "tests/luatos-libnet.test.js",
  "tests/luatos-api.test.js",
  "tests/ported-telnet.test.js", "tests/ported-http-server.test.js", "tests/ported-fifosock.test.js",
  "tests/ported-luatos.test.js", "tests/ported-mains.test.js",
];
const MSS = 1440;          // tools/lwip/lwipopts.h TCP_MSS, as ESP-IDF's

/** Run mocha over `files` in a new network namespace (loopback up) with XSNET_SIM_STACK=lwip and `env`. */
async function mochaInNamespace(files, env = {}) {
  const child = spawn("unshare", ["--net", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", "node_modules/.bin/mocha", ...files],
    { cwd: root, env: { ...process.env, ...env, XSNET_SIM_STACK: "lwip" }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d) => { out += d; });
  child.stderr.on("data", (d) => { out += d; });
  const code = await new Promise((resolve) => child.on("close", resolve));
  const count = (what) => Number(out.match(new RegExp(`(\\d+) ${what}`))?.[1] ?? 0);
  // on failure: mocha's report of the failures (after its summary), else the end of the output
  const summary = out.search(/\d+ passing/);
  const failures = summary >= 0 ? out.slice(summary) : out.slice(-6000);
  return { code, out, failures, passing: count("passing"), failing: count("failing") };
}

if (process.env.XSNET_SIM_STACK !== "lwip") {
  describe("the simulator on lwIP + libslirp (XSNET_SIM_STACK=lwip, inside unshare --net)", function () {
    this.timeout(600_000);   // the first run fetches Debian's lwIP source and builds lwIP and the simulator again

    before(function () {
      const unavailable = lwipUnavailable();
      if (unavailable) {
        console.log(`      skipped: ${unavailable}`);
        this.skip();
      }
      buildSim({ quiet: true, lwip: true });
    });

    it("refuses to start where an interface besides loopback exists, unless --outside-namespace is given", async () => {
      // a namespace with a veth pair: interfaces besides loopback, as on the machine, but nothing leaves through them
      const setup = "ip link add xsnet0 type veth peer name xsnet1 && ip link set lo up";
      const argv = simArgv("tests/apps/net-native.ts", { args: ["ifinfo"], timeout: 10 });
      let r = await runInNetns(`${setup} && export XSNET_SIM_STACK=lwip`, [lwipSimBinary, ...argv.slice(1)]);
      await cleanup();
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /--stack lwip refused: slirp forwards to the real network.*unshare --net.*--outside-namespace/s);
      assert.equal(r.stdout, "");
      r = await runInNetns(`${setup} && export XSNET_SIM_STACK=lwip`, [lwipSimBinary, "--outside-namespace", ...argv.slice(1)]);
      await cleanup();
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^0 \{"ip":"10\.0\.2\.15"/m);
    });

    it("`xsnet run --stack lwip` starts the app in a network namespace of its own, with its DHCP lease", () => {
      const r = spawnSync("node", ["tools/xsnet.js", "run", "--stack", "lwip", "--timeout", "20", "tests/apps/net-native.ts", "--", "ifinfo"],
        { cwd: root, encoding: "utf8", timeout: 120_000, env: { ...process.env, XSNET_SIM_STACK: "" } });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^0 \{"ip":"10\.0\.2\.15","netmask":"255\.255\.255\.0","gateway":"10\.0\.2\.2"/m);
    });

    it("passes the nodemcu/net and luatos/socket suites and the lwIP-only checks in a namespace of its own", async () => {
      const { code, out, failures, passing, failing } = await mochaInNamespace(["tests/sim-lwip.test.js", ...LWIP_SUITES]);
      assert.equal(code, 0, `the lwIP run failed (${failing} failing):\n${failures}`);
      assert.equal(failing, 0);
      assert.ok(passing >= 100, `only ${passing} tests passed on lwIP:\n${out.slice(-3000)}`);
    });

    it("runs the TCP suites and the lwIP-only checks under ThreadSanitizer without a report (XSNET_SIM_TSAN=0 skips)", async function () {
      // on by default, so that `npm test` (and with it CI) runs the lwIP backend once under ThreadSanitizer
      if (process.env.XSNET_SIM_TSAN === "0") {
        console.log("      skipped: XSNET_SIM_TSAN=0");
        this.skip();
      }
      buildSim({ quiet: true, lwip: true, sanitize: "thread" });
      const { code, out, failures, failing } = await mochaInNamespace(["tests/sim-lwip.test.js", "tests/net-tcp-client.test.js",
        "tests/net-tcp-server.test.js", "tests/luatos-socket.test.js", "tests/net-udp.test.js"], {
        XSNET_SIM_TSAN: "1", TSAN_OPTIONS: `suppressions=${path.join(root, "tools", "lwip", "tsan.supp")}`,
      });
      assert.doesNotMatch(out, /ThreadSanitizer/, out.slice(-6000));
      assert.equal(code, 0, `the ThreadSanitizer run failed (${failing} failing):\n${failures}`);
    });
  });
}
else {
  describe("lwIP-only checks (XSNET_SIM_STACK=lwip)", function () {
    this.timeout(60_000);
    afterEach(cleanup);

    before(function () {
      assert.ok(fs.existsSync(lwipSimBinary), "build/sim-lwip/xsnet-sim is missing: node tools/build-sim.js --lwip");
      const ifaces = fs.readFileSync("/proc/net/dev", "utf8").split("\n").slice(2).filter(Boolean).map((l) => l.split(":")[0].trim());
      assert.deepEqual(ifaces, ["lo"], "the lwIP run must be inside a network namespace with loopback only");
    });

    it("net.ifinfo(0) shows the DHCP lease from slirp: 10.0.2.15/24, gateway and DHCP server 10.0.2.2, QEMU's guest MAC", async () => {
      const r = await exitsCleanly(app("net-native", ["ifinfo"], { timeout: 10 }));
      const info = '{"ip":"10.0.2.15","netmask":"255.255.255.0","gateway":"10.0.2.2","hwaddr":"52:54:00:12:34:56",' +
        '"dhcp":{"server_ip":"10.0.2.2","client_ip":"10.0.2.15"}}';
      assert.equal(lines(r.stdout)[1], `0 ${info}`);
    });

    it("net.ping of slirp's host address 10.0.2.2 gets its replies (a raw ICMP pcb on the tcpip thread)", async () => {
      const r = await exitsCleanly(app("net-ping", ["run", "a:10.0.2.2:3:0"], { timeout: 20 }));
      const out = lines(r.stdout);
      assert.equal(out.filter((l) => /^a reply \d+ 10\.0\.2\.2 [123] \d+$/.test(l)).length, 3, r.stdout);
      assert.match(out.at(-1), /^a done 10\.0\.2\.2 3 0 /);
    });

    it("a 100 KiB transfer arrives in receive events of at most one MSS (1440 bytes) each", async () => {
      const total = 100 * 1024;
      const { port } = await tcpServer((s) => s.end(Buffer.alloc(total, "x")));
      const r = await exitsCleanly(app("lwip-checks", ["bulk", port]));
      const m = r.stdout.match(/^bulk (\d+) (\d+) (\d+)$/m);
      assert.ok(m, r.stdout + r.stderr);
      const [events, largest, bytes] = m.slice(1).map(Number);
      assert.equal(bytes, total);
      assert.ok(largest <= MSS && largest > 0, `largest receive event ${largest} bytes`);
      assert.ok(events >= Math.ceil(total / MSS), `${events} events`);
    });

    it("hold() closes lwIP's window: the peer stalls while held and sends the rest after unhold()", async () => {
      const total = 16 * 1024 * 1024;
      let backlog = -1, finished = false;
      const { port } = await tcpServer((s) => {
        s.once("data", () => {
          s.end(Buffer.alloc(total, "y"), () => { finished = true; });
          // while the app holds (1500 ms): what lwIP's closed window, slirp and both kernels cannot take stays in Node
          setTimeout(() => { backlog = s.writableLength; }, 1000);
        });
      });
      const a = app("lwip-checks", ["stall", port, 1500], { timeout: 50 });
      await a.waitFor(/^held (\d+)$/m, 20_000);
      assert.ok(backlog > 0, `the peer was not stalled: ${backlog} bytes waiting in Node after 1 s`);
      assert.equal(finished, false);
      const r = await exitsCleanly(a);
      assert.match(r.stdout, /^held 0$/m);
      assert.match(r.stdout, new RegExp(`^total ${total}$`, "m"));
      assert.equal(finished, true);
    });
  });
}
