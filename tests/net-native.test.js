// sock:ttl(), net.multicastJoin/Leave and net.ifinfo (app: tests/apps/net-native.ts). The TTL is checked where it
// matters, in the IP headers a real peer receives (tests/support/ttl-peer.py on 127.0.0.1); multicast and ifinfo
// run in network namespaces the test creates, with a route to 224.0.0.0/4 on lo, or a veth interface whose
// address, gateway and MAC address the test chose.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { app, cleanup, exitsCleanly, lines, onCleanup } from "./support/net-peers.js";
import { canUnshare, hasPython, runInNetns, simArgv, supportFile } from "./support/netns.js";

const MULTICAST = "ip link set lo up && ip route add 224.0.0.0/4 dev lo src 127.0.0.1";
const VETH = "ip link set lo up && ip link add v0 address 02:11:22:33:44:5a type veth peer name v1 && " +
  "ip addr add 10.77.0.2/24 dev v0 && ip link set v0 up && ip link set v1 up";

/** Start tests/support/ttl-peer.py; resolves {udpPort, tcpPort, output()} once it is ready. */
function ttlPeer() {
  const proc = spawn("python3", [supportFile("ttl-peer.py"), "20"], { stdio: ["ignore", "pipe", "inherit"] });
  onCleanup(() => proc.kill("SIGKILL"));
  let out = "";
  proc.stdout.setEncoding("utf8");
  return new Promise((resolve, reject) => {
    proc.on("close", (code) => reject(new Error(`ttl-peer exited (${code}): ${out}`)));
    proc.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/^ready (\d+) (\d+)\n/);
      if (m) resolve({ udpPort: Number(m[1]), tcpPort: Number(m[2]), output: () => out.slice(m[0].length) });
    });
  });
}

describe("sock:ttl(), net.multicastJoin/Leave, net.ifinfo", function () {
  this.timeout(20000);
  afterEach(cleanup);

  it("ttl() of UDP and TCP sockets: NodeMCU's errors and modulo 256; the value reaches the IP header", async function () {
    if (!hasPython() || process.getuid?.() !== 0) this.skip();   // the peer's raw socket needs root
    const peer = await ttlPeer();
    const r = await exitsCleanly(app("net-native", ["ttl", peer.udpPort, peer.tcpPort], { timeout: 10 }));
    assert.deepEqual(lines(r.stdout), [
      "udp-unbound socket is not open/bound yet",
      "udp-default ok 64",                     // the host's default (Linux)
      "udp-set-7 ok 7", "udp-get ok 7", "udp-minus-1 ok 7",
      "udp-300 ok 44", "udp-minus-2 ok 254", "udp-string ok 9",
      "udp-256 ttl out of range [1-255]", "udp-0 ttl out of range [1-255]",
      "udp-fraction wrong arg type", "udp-text wrong arg type", "udp-object wrong arg type",
      "udp host 7", "udp host 200",            // read back from the host socket
      "udp-send-bound ok true",
      "udp-closed socket is not open/bound yet",
      "tcp-unconnected socket is not open/bound yet",
      "tcp-default ok 64", "tcp-set-33 ok 33", "tcp host 33", "tcp-set-99 ok 99",
      "tcp-closed socket is not open/bound yet",
      "server ttl undefined",
      "tcp-resolving socket is not open/bound yet",
      "resolving disconnection -6",
      "accepted-set-5 ok 5", "accepted host 5",
      "accepted getaddr true", "client getaddr true",   // the local ends, as the other side sees them
    ]);
    // what the peer saw in the IP headers
    const deadline = Date.now() + 3000;
    while (lines(peer.output()).length < 5 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
    assert.deepEqual(lines(peer.output()).sort(), [
      "tcp tcp-33 ttl 33", "tcp tcp-99 ttl 99", "udp udp-200 ttl 200", "udp udp-7 ttl 7", "udp udp-default ttl 64",
    ]);
  });

  describe("in a network namespace", function () {
    before(function () {
      if (!canUnshare()) this.skip();   // needs root
    });

    for (const form of ["any", "", "ANY", "0.0.0.0", "127.0.0.1"]) {
      it(`multicastJoin("${form}", group): a UDP socket receives the group's datagrams, not after multicastLeave`, async () => {
        const r = await runInNetns(MULTICAST, simArgv("tests/apps/net-native.ts", { args: ["multicast", form], timeout: 10 }));
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(lines(r.stdout), [
          "join-if-number wrong arg type", "join-if-both-bad invalid if ip", "join-if-text invalid if ip",
          "join-if-short invalid if ip", "join-group-number wrong arg type", "join-group-missing wrong arg type",
          "join-group-unicast invalid multicast ip", "join-group-short invalid multicast ip",
          "join-group-class-e invalid multicast ip", "leave-if-text invalid if ip",
          "leave-group-unicast invalid multicast ip", "leave-not-joined ok undefined",
          "join ok undefined", "join-again ok undefined",
          "received to the group from 127.0.0.1",
          "leave ok undefined",
          "received marker from 127.0.0.1",      // and not "after leave", sent to the group before it
        ]);
      });
    }

    it("ifinfo(0) describes the station interface: ip, netmask, gateway, MAC as text; other indexes: undefined", async () => {
      const r = await runInNetns(`${VETH} && ip route add default via 10.77.0.1`,
        simArgv("tests/apps/net-native.ts", { args: ["ifinfo"], timeout: 10 }));
      assert.equal(r.code, 0, r.stderr);
      const info = '{"ip":"10.77.0.2","netmask":"255.255.255.0","gateway":"10.77.0.1","hwaddr":"02:11:22:33:44:5a"}';
      assert.deepEqual(lines(r.stdout), [
        `default ${info}`, `0 ${info}`, "0 gateway 10.77.0.1 hwaddr string dhcp undefined", `null ${info}`, `"0" ${info}`,
        "1 undefined", "2 undefined", "-1 undefined", "4294967296 undefined",
        "fraction wrong arg type", "string wrong arg type", "object wrong arg type", "nan wrong arg type",
      ]);
    });

    it("ifinfo(0).gateway is undefined when the interface has no gateway", async () => {
      const r = await runInNetns(VETH, simArgv("tests/apps/net-native.ts", { args: ["ifinfo"], timeout: 10 }));
      assert.equal(r.code, 0, r.stderr);
      const out = lines(r.stdout);
      assert.equal(out[1], '0 {"ip":"10.77.0.2","netmask":"255.255.255.0","hwaddr":"02:11:22:33:44:5a"}');
      assert.equal(out[2], "0 gateway undefined hwaddr string dhcp undefined");
    });
  });
});
