// The device C of modules/native/lwip on ESP32's threads, checked on this machine: compiled unchanged into a real
// XS machine that runs on the main thread while Debian's liblwip runs its tcpip thread (NO_SYS=0, as ESP-IDF runs
// lwIP in its own task), first under ThreadSanitizer, then under AddressSanitizer. modules/native/check/threads/
// host.c drives it: ICMP sockets pinging lwIP's own address over lwIP's loopback (nothing leaves the process),
// sockets closed while a reply's message is posted, ifinfo and multicast join/leave between them, then ttl() and
// local() (a socket's local end, for getaddr()) on TCP and UDP pcbs held as Moddable's socket records hold them:
// a client connected over lwIP's loopback as Moddable's class connects, the connection accepted, UDP sockets
// (check/threads/pcbs.c).
// Then the same device C over xsnet's own lwIP build (tools/lwip-slirp.js: ESP-IDF-like options, DHCP and DNS,
// no core locking, so every call is a message to the tcpip thread as on an ESP32) on libslirp, lwIP instrumented
// too, inside `unshare --net`: ifinfo shows the DHCP lease, the DNS servers come from it and take a port, the ICMP
// socket pings slirp's host address (check/threads/slirp.c).
// What fails it: a raw-API call from the XS thread without lwIP's core lock (lwIP's own assertion aborts), the
// reply queue touched by both threads without the lock (ThreadSanitizer), a record freed by close() while its
// message is in flight (AddressSanitizer: heap-use-after-free), local() or ttl() reading a pcb lwIP freed while
// Moddable's record still points at it (AddressSanitizer), a local end other than the one lwIP's pcb holds.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { root, xsPackageDir } from "../tools/sim.js";
import { build as buildLwipSlirp } from "../tools/lwip-slirp.js";

const dir = path.join(root, "modules", "native", "check", "threads");

/**
 * The "pcb" lines of check/threads/pcbs.c: local(socket, udp) beside what lwIP's pcb holds (local_ip:local_port,
 * read under lwIP's core lock) and, for the client, what the accepted end sees as its peer.
 */
function checkLocal(stdout) {
  const line = (name) => {
    const m = new RegExp(`^pcb ${name} (.*)$`, "m").exec(stdout);
    assert.ok(m, `no "pcb ${name}" line in:\n${stdout}`);
    return m[1].split(" ");
  };
  const end = /^(\d+\.\d+\.\d+\.\d+):([1-9]\d*)$/;
  // connecting: tcp_connect() has set the client's local end (the netif's address, an ephemeral port)
  const [connecting, , connectingPcb] = line("local connecting");
  assert.equal(connecting, connectingPcb);
  assert.match(connecting, /^10\.0\.0\.1:[1-9]\d*$/);
  const [client, , clientPcb, , peer] = line("local client");
  assert.equal(client, clientPcb);
  assert.equal(client, peer);        // the port the other end sees
  assert.equal(client, connecting);  // unchanged once connected
  const [accepted, , acceptedPcb, , listener] = line("local accepted");
  assert.equal(accepted, acceptedPcb);
  assert.equal(accepted, `10.0.0.1:${listener}`);
  const [udp, , udpPcb] = line("local udp");
  assert.equal(udp, udpPcb);
  assert.match(udp, end);
  assert.equal(end.exec(udp)[1], "0.0.0.0"); // Moddable's UDP binds IP_ADDR_ANY
  const [named, , namedPcb, , port] = line("local udp-named");
  assert.equal(named, namedPcb);
  assert.equal(named, `0.0.0.0:${port}`);
  // no read once the pcb is gone: freed by a reset behind a record that still points at it, cleared by the error
  // callback, host data cleared by close()
  const gone = "undefined Error: socket is not open/bound yet";
  assert.equal(line("gone reset").join(" "), `${gone} kept 1`);
  assert.equal(line("gone error").join(" "), gone);
  assert.equal(line("gone closed").join(" "), gone);
}

describe("device native module on two threads (lwIP's tcpip thread + XS)", function () {
  this.timeout(600_000); // the first run builds XS twice with the sanitizers (about 2 minutes of CPU each)

  for (const sanitizer of ["thread", "address"]) {
    it(`ICMP, ifinfo, multicast, ttl and local from XS while lwIP runs its thread: clean under -fsanitize=${sanitizer}`, function () {
      if (!fs.existsSync("/usr/include/lwip/lwip/tcpip.h")) this.skip(); // tools/prereqs.js installs liblwip-dev
      const out = path.join(root, "build", "lwip-threads", sanitizer);
      const make = spawnSync("make", ["-s", "-j2", "-C", dir, `SAN=${sanitizer}`, `XS=${xsPackageDir()}`, `OUT=${out}`],
        { encoding: "utf8" });
      assert.equal(make.status, 0, make.stderr.split("\n").filter((l) => !/^\s*\|/.test(l)).slice(0, 30).join("\n"));
      const r = spawnSync(path.join(out, "lwip-threads"), [], { encoding: "utf8", timeout: 120_000 });
      assert.doesNotMatch(r.stderr, /Sanitizer|Assertion/, r.stderr.slice(0, 4000));
      assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
      const counts = r.stdout.split("\n").find((l) => l.startsWith("rounds ")) ?? "";
      const n = Object.fromEntries([...counts.matchAll(/([a-z-]+) (\d+)/g)].map(([, k, v]) => [k, Number(v)]));
      assert.ok(n.replies >= n.waited && n.waited === n.rounds * 2, r.stdout); // every awaited echo reply came
      assert.equal(n.bad, 0, r.stdout);
      assert.equal(n.ifinfo, n.rounds, r.stdout);
      const ttl = /ttl (\d+)\/(\d+)/.exec(r.stdout); // ttl() through the pcb at the head of Moddable's socket records
      assert.ok(ttl && ttl[1] === ttl[2], r.stdout);
      checkLocal(r.stdout);
      // the use-count path ran: messages ran for sockets already closed
      assert.ok(n["closed-with-message-posted"] > n.rounds / 4 && n["messages-after-close"] >= n["closed-with-message-posted"], r.stdout);
    });
  }

  it("ifinfo's DHCP lease, DNS servers and ping over lwIP + libslirp, lwIP's thread and XS's: clean under -fsanitize=thread", function () {
    if (!fs.existsSync("/usr/include/slirp/libslirp.h")) this.skip(); // tools/prereqs.js installs libslirp-dev
    if (process.getuid?.() !== 0) this.skip(); // `unshare --net` and apt-get source need root
    const { archive, lwip } = buildLwipSlirp({ sanitize: "thread" });
    const out = path.join(root, "build", "lwip-threads", "thread");
    const make = spawnSync("make", ["-s", "-j2", "-C", dir, "SAN=thread", `XS=${xsPackageDir()}`, `OUT=${out}`,
      `LWIPSLIRP=${path.dirname(archive)}`, `LWIPSOURCE=${lwip}`, "slirp"], { encoding: "utf8" });
    assert.equal(make.status, 0, make.stderr.split("\n").filter((l) => !/^\s*\|/.test(l)).slice(0, 30).join("\n"));
    const r = spawnSync("unshare", ["--net", "sh", "-c", 'ip link set lo up && exec "$0"', path.join(out, "lwip-slirp-native")],
      { encoding: "utf8", timeout: 120_000 });
    assert.doesNotMatch(r.stderr, /Sanitizer|Assertion/, r.stderr.slice(0, 4000));
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /^lease bound ip 10\.0\.2\.15 netmask 255\.255\.255\.0 gateway 10\.0\.2\.2 server 10\.0\.2\.2 dns0 10\.0\.2\.3 dns1 10\.0\.2\.3:5353 cleared none ping 3\/3$/m);
  });
});
