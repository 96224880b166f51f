// net.ping (ICMP echo) and the ping-stats example (apps: tests/apps/net-ping.ts, examples/ping-stats/main.ts).
// Echoes go to 127.0.0.0/8, answered by the kernel, or inside a network namespace the test creates, answered
// (or not, or wrongly) by tests/support/icmp-responder.py while the namespace's kernel ignores echo requests.
// Names resolve through a dnsmasq on a loopback address of these tests only.
import assert from "node:assert/strict";
import { app, cleanup, exitsCleanly, lines, onCleanup, startDnsmasq } from "./support/net-peers.js";
import { startApp } from "./support/sim.js";
import { canUnshare, hasPython, runInNetns, simArgv, supportFile } from "./support/netns.js";

const DNSMASQ = "127.0.31.53";
const LO_UP = "ip link set lo up";
const ECHO_IGNORED = `${LO_UP} && sysctl -qw net.ipv4.icmp_echo_ignore_all=1`;

/** Parse the app's lines: {replies: {label: [[bytes, ip, seq, rtt, reason?]]}, done: {label: [ip, n, lost, bytes, ms]}} */
function parse(stdout) {
  const replies = {}, done = {};
  for (const line of lines(stdout)) {
    const [label, kind, ...rest] = line.split(" ");
    if (kind === "reply") (replies[label] ??= []).push(rest);
    else if (kind === "done") done[label] = rest;
    else assert.fail(`unexpected line: ${line}\n${stdout}`);
  }
  return { replies, done };
}

/** Assert a summary: ip, count, lost, 32 x received bytes, and a total time of about count seconds. */
function assertDone(d, ip, count, lost) {
  assert.ok(d, "no summary");
  assert.deepEqual(d.slice(0, 4), [ip, String(count), String(lost), String(32 * (count - lost))]);
  const ms = Number(d[4]);
  assert.ok(ms >= count * 1000 - 20 && ms < count * 1000 + 800, `total time ${ms} ms for ${count} requests`);
}

/** A reply line [bytes, ip, seq, rtt]: 32 bytes from ip, rtt within [min, max] ms; returns the seq. */
function assertReply(r, ip, min, max) {
  assert.equal(r.length, 4, `reply ${r.join(" ")}`);
  assert.equal(r[0], "32");
  assert.equal(r[1], ip);
  const rtt = Number(r[3]);
  assert.ok(rtt >= min && rtt <= max, `rtt ${rtt} not in [${min}, ${max}]`);
  return Number(r[2]);
}

describe("net.ping", function () {
  this.timeout(30000);
  let dnsmasq;
  before(async () => { dnsmasq = await startDnsmasq(DNSMASQ); });
  after(async () => { await dnsmasq?.stop(); });
  afterEach(cleanup);

  it("pings 127.0.0.1: one reply per request, a summary a second after the last, then the app exits", async () => {
    const r = await exitsCleanly(app("net-ping", ["run", "a:127.0.0.1:2:0"], { timeout: 15 }));
    const { replies, done } = parse(r.stdout);
    assert.equal(replies.a.length, 2);
    assert.deepEqual(replies.a.map((x) => assertReply(x, "127.0.0.1", 0, 200)), [1, 2]);
    assertDone(done.a, "127.0.0.1", 2, 0);
    assert.doesNotMatch(r.stdout, /SYNC/);
  });

  it("accepts every call form (count default 4, 0 = 4, numeric string) and concurrent pings keep their own replies", async () => {
    const r = await exitsCleanly(app("net-ping", ["run",
      "a:127.0.0.1:-:0", "b:127.0.0.1:u:0", "c:127.0.0.1:0:250", "d:127.0.0.1:s2:500", "e:127.0.0.1:n:750"], { timeout: 15 }));
    const { replies, done } = parse(r.stdout);
    const seqs = [];
    for (const [label, count] of [["a", 4], ["b", 4], ["c", 4], ["d", 2], ["e", 4]]) {
      assert.equal(replies[label]?.length, count, `${label}: ${r.stdout}`);
      for (const x of replies[label]) seqs.push(assertReply(x, "127.0.0.1", 0, 200));
    }
    assert.deepEqual(seqs.sort((x, y) => x - y), Array.from({ length: 18 }, (_, i) => i + 1));   // each request its own
    for (const [label, count] of [["a", 4], ["b", 4], ["c", 4], ["d", 2]]) assertDone(done[label], "127.0.0.1", count, 0);
    assert.equal(done.e, undefined);   // ping(host, onReply): no summary callback
    assert.doesNotMatch(r.stdout, /SYNC|returned/);
  });

  it("resolves names through the DNS servers; an unresolvable name gives onReply(0) and no summary", async () => {
    const r = await exitsCleanly(app("net-ping", ["run", "a:example.test:1:0", "b:target.test:1:0", "c:missing.test:1:0"],
      { dns: [DNSMASQ], timeout: 15 }));
    const { replies, done } = parse(r.stdout);
    assertReply(replies.a[0], "127.0.0.1", 0, 200);
    assertReply(replies.b[0], "127.0.0.7", 0, 200);
    assert.deepEqual(replies.c, [["0", "undefined", "undefined", "undefined", "host", "not", "found"]]);
    assertDone(done.a, "127.0.0.1", 1, 0);
    assertDone(done.b, "127.0.0.7", 1, 0);
    assert.equal(done.c, undefined);
    // no DNS server at all, and the broadcast address (NodeMCU treats both as a failed lookup)
    const n = await exitsCleanly(app("net-ping", ["run", "a:example.test:1:0", "b:255.255.255.255:1:0"], { timeout: 15 }));
    assert.deepEqual(lines(n.stdout).sort(), [
      "a reply 0 undefined undefined undefined host not found",
      "b reply 0 undefined undefined undefined broadcast address",
    ]);
  });

  it("checks its arguments with NodeMCU's messages and starts nothing on an error", async () => {
    const r = await exitsCleanly(app("net-ping", ["errors"], { timeout: 5 }));
    assert.deepEqual(lines(r.stdout), [
      "no-args wrong arg type", "host-number wrong arg type", "host-empty illegal argument",
      "host-long illegal argument", "no-callback no received callback specified",
      "count-no-callback no received callback specified", "callback-string no received callback specified",
      "count-object wrong arg type", "count-negative wrong arg type", "count-fraction wrong arg type",
      "count-text wrong arg type", "sent-number invalid sent callback, function expected",
      "sent-object invalid sent callback, function expected",
    ]);
  });

  it("a callback that throws is reported; that ping and the others go on", async () => {
    const r = await exitsCleanly(app("net-ping", ["throws"], { timeout: 15 }));
    const out = lines(r.stdout);
    assert.equal(out.filter((l) => l === "xsnet: uncaught exception: Error: boom in reply").length, 2);
    assert.equal(out.filter((l) => l === "xsnet: uncaught exception: Error: boom in done").length, 1);
    assert.equal(out.filter((l) => /^a reply 32 127\.0\.0\.1 \d+$/.test(l)).length, 2);
    assert.equal(out.filter((l) => /^b reply 32 127\.0\.0\.1 \d+$/.test(l)).length, 2);
    assert.ok(out.includes("a done 127.0.0.1 2"), r.stdout);
    assert.ok(out.includes("b done 127.0.0.1 2 0"), r.stdout);
  });

  describe("in a network namespace", function () {
    before(function () {
      if (!canUnshare()) this.skip();   // needs root
    });

    it("requests without reply time out after 1 s: onReply(0, ip, 0, -1), counted as lost", async () => {
      const r = await runInNetns(ECHO_IGNORED, simArgv("tests/apps/net-ping.ts", { args: ["run", "a:127.0.0.1:2:0"], timeout: 15 }));
      assert.equal(r.code, 0, r.stderr);
      const { replies, done } = parse(r.stdout);
      assert.deepEqual(replies.a, [["0", "127.0.0.1", "0", "-1"], ["0", "127.0.0.1", "0", "-1"]]);
      assertDone(done.a, "127.0.0.1", 2, 2);
    });

    it("counts a reply only once, only with its request's payload, and only within the timeout", async function () {
      if (!hasPython()) this.skip();
      const r = await runInNetns(ECHO_IGNORED, ["python3", supportFile("icmp-responder.py"), "dup:20,forge,late,reply:50",
        ...simArgv("tests/apps/net-ping.ts", { args: ["run", "a:127.0.0.1:4:0"], timeout: 15 })]);
      assert.equal(r.code, 0, r.stderr);
      const requests = r.stderr.match(/^request \d+ seq \d+ to \S+ \S+$/gm);
      assert.equal(requests?.length, 4, r.stderr);
      const seq = requests.map((l) => Number(l.split(" ")[3]));
      const { replies, done } = parse(r.stdout);
      assert.equal(replies.a.length, 4, r.stdout);
      assert.equal(assertReply(replies.a[0], "127.0.0.1", 15, 300), seq[0]);      // answered twice: one reply
      assert.deepEqual(replies.a[1], ["0", "127.0.0.1", "0", "-1"]);                // another payload: ignored
      assert.deepEqual(replies.a[2], ["0", "127.0.0.1", "0", "-1"]);                // answered after 1.3 s: lost
      assert.equal(assertReply(replies.a[3], "127.0.0.1", 45, 300), seq[3]);      // not the late reply of seq[2]
      assertDone(done.a, "127.0.0.1", 4, 2);
    });

    it("overlapping pings, to one address and to two, each get every reply of their own requests", async function () {
      if (!hasPython()) this.skip();
      // every reply comes 700 ms after its request, when another ping has sent a newer request since
      const r = await runInNetns(ECHO_IGNORED, ["python3", supportFile("icmp-responder.py"), "reply:700",
        ...simArgv("tests/apps/net-ping.ts", { args: ["run", "a:127.0.0.1:3:0", "b:127.0.0.1:3:300", "c:127.0.0.7:3:600"], timeout: 15 })]);
      assert.equal(r.code, 0, r.stderr);
      const { replies, done } = parse(r.stdout);
      const requested = {};
      for (const m of r.stderr.matchAll(/^request \d+ seq (\d+) to (\S+) /gm)) requested[m[1]] = m[2];
      const seen = [];
      for (const [label, ip] of [["a", "127.0.0.1"], ["b", "127.0.0.1"], ["c", "127.0.0.7"]]) {
        assert.equal(replies[label]?.length, 3, r.stdout);
        for (const x of replies[label]) {
          const s = assertReply(x, ip, 680, 1000);
          assert.equal(requested[s], ip);
          seen.push(s);
        }
        assertDone(done[label], ip, 3, 0);
      }
      assert.equal(new Set(seen).size, 9);
    });

    it("works over an unprivileged ICMP socket (net.ipv4.ping_group_range, no CAP_NET_RAW), whose identifier the kernel sets", async () => {
      const r = await runInNetns(`${LO_UP} && sysctl -qw net.ipv4.ping_group_range="0 0"`,
        ["setpriv", "--bounding-set=-net_raw", "--inh-caps=-net_raw",
          ...simArgv("tests/apps/net-ping.ts", { args: ["run", "a:127.0.0.1:2:0", "b:127.0.0.1:2:100"], timeout: 15 })]);
      assert.equal(r.code, 0, r.stderr);
      const { replies, done } = parse(r.stdout);
      const seqs = [...replies.a, ...replies.b].map((x) => assertReply(x, "127.0.0.1", 0, 200));
      assert.deepEqual(seqs.sort(), [1, 2, 3, 4]);
      assertDone(done.a, "127.0.0.1", 2, 0);
      assertDone(done.b, "127.0.0.1", 2, 0);
    });

    it("without ICMP permission ping reports onReply(0, …, reason) and no summary; the app goes on and exits", async () => {
      const r = await runInNetns(`${LO_UP} && sysctl -qw net.ipv4.ping_group_range="1 0"`,
        ["setpriv", "--bounding-set=-net_raw", "--inh-caps=-net_raw",
          ...simArgv("tests/apps/net-ping.ts", { args: ["run", "a:127.0.0.1:2:0", "b:127.0.0.1:2:200"], timeout: 15 })]);
      assert.equal(r.code, 0, r.stderr);
      const out = lines(r.stdout);
      assert.equal(out.length, 2, r.stdout);
      for (const [i, label] of ["a", "b"].entries())
        assert.match(out[i], new RegExp(`^${label} reply 0 undefined undefined undefined ICMP .*not permitted`));
    });
  });

  describe("examples/ping-stats", function () {
    it("prints four replies from 127.0.0.1 and the statistics", async () => {
      const a = startApp("examples/ping-stats/main.ts", { timeout: 15 });
      onCleanup(() => a.kill());
      const r = await exitsCleanly(a);
      const out = lines(r.stdout);
      assert.equal(out.length, 6, r.stdout);
      for (let i = 0; i < 4; i++) assert.match(out[i], new RegExp(`^32 bytes from 127\\.0\\.0\\.1, icmp_seq=${i + 1} time=\\d+ms$`));
      assert.equal(out[4], "--- 127.0.0.1 ping statistics ---");
      const m = out[5].match(/^4 packets transmitted, 4 received, 0% packet loss, time (\d+)ms$/);
      assert.ok(m, out[5]);
      assert.ok(Number(m[1]) >= 3980 && Number(m[1]) < 4800, m[1]);
    });

    it("reports 100% packet loss when nothing answers", async function () {
      if (!canUnshare()) this.skip();
      const r = await runInNetns(ECHO_IGNORED, simArgv("examples/ping-stats/main.ts", { timeout: 15 }));
      assert.equal(r.code, 0, r.stderr);
      const out = lines(r.stdout);
      assert.deepEqual(out.slice(0, 5), Array(4).fill("0 bytes from 127.0.0.1, icmp_seq=0 time=-1ms")
        .concat("--- 127.0.0.1 ping statistics ---"));
      assert.match(out[5], /^4 packets transmitted, 0 received, 100% packet loss, time \d+ms$/);
    });
  });
});
