// luatos/sntp (socket.sntp / socket.ntptm) in the simulator against NTP servers played by Node on loopback
// addresses, UDP port 123 (app: tests/apps/luatos-sntp.ts). One server answers with a shifted clock, so a client
// that ignored the answer would be caught; others stay silent, answer late, refuse (kiss-o'-death) or answer
// someone else's request.
import assert from "node:assert/strict";
import dgram from "node:dgram";
import { app, cleanup, exitsCleanly, lines, onCleanup } from "./support/net-peers.js";

const NTP_UNIX_OFFSET_S = 2208988800;          // seconds from 1900-01-01 to 1970-01-01
const SHIFT_MS = -5 * 365 * 86400 * 1000;      // the answering server's clock: five years behind
const TWO32 = 2 ** 32;

function writeStamp(buf, at, unixMs) {
  const ms = unixMs + NTP_UNIX_OFFSET_S * 1000;
  buf.writeUInt32BE(Math.floor(ms / 1000) % TWO32, at);
  buf.writeUInt32BE(Math.floor(((ms % 1000) / 1000) * TWO32), at + 4);
}

/** A random 127.x.y.0 prefix, so parallel runs of this file on one host use other addresses. */
function loopbackPrefix() {
  const r = () => 1 + Math.floor(Math.random() * 250);
  return `127.${r()}.${r()}.`;
}

/**
 * An NTP server on `address`:123. behaviour: "answer" (clock shifted by shiftMs), "silent", "kiss" (stratum 0,
 * RATE), "stranger" (answers with a wrong originate timestamp), "late" (T2 = T3 = the time of a reply sent
 * delayMs after the request: the client sees a delay). Records the requests.
 */
async function ntpServer(address, behaviour, { shiftMs = SHIFT_MS, delayMs = 0 } = {}) {
  const sock = dgram.createSocket("udp4");
  const requests = [];
  sock.on("message", (msg, rinfo) => {
    const receivedAt = Date.now();
    requests.push({ msg, rinfo, at: receivedAt });
    if (behaviour === "silent") return;
    const send = () => {
      const reply = Buffer.alloc(48);
      reply[0] = (0 << 6) | (((msg[0] >> 3) & 7) << 3) | 4;
      reply[1] = behaviour === "kiss" ? 0 : 2;
      reply[2] = msg[2];
      reply[3] = 0xEC;
      if (behaviour === "kiss") reply.write("RATE", 12, "latin1");
      else reply.write("XSNT", 12, "latin1");
      writeStamp(reply, 16, Date.now() + shiftMs - 60000);
      msg.copy(reply, 24, 40, 48);
      if (behaviour === "stranger") reply[31] ^= 0xFF;
      const now = Date.now();
      writeStamp(reply, 32, (behaviour === "late" ? now : receivedAt) + shiftMs);
      writeStamp(reply, 40, now + shiftMs);
      sock.send(reply, rinfo.port, rinfo.address);
    };
    if (delayMs) setTimeout(send, delayMs);
    else send();
  });
  sock.on("error", () => {});
  await new Promise((resolve, reject) => {
    sock.once("error", reject);
    sock.bind(123, address, () => { sock.off("error", reject); resolve(); });
  });
  onCleanup(() => new Promise((resolve) => sock.close(() => resolve())));
  return { address, requests };
}

/** The app's "event" and "tm" lines for `label`. */
function parse(out, label) {
  const ev = out.find((l) => l.startsWith(`event ${label} `));
  const tm = out.find((l) => l.startsWith(`tm ${label} `));
  assert.ok(ev && tm, `no result ${label} in:\n${out.join("\n")}`);
  const [, topic, at] = /^event \S+ (\S+) (\d+)$/.exec(ev);
  const m = /^tm \S+ (\{.*\}) (\d+)$/.exec(tm);
  return { topic: JSON.parse(topic), at: Number(at), tm: JSON.parse(m[1]), hostNow: Number(m[2]) };
}

/** Assert that ntptm() follows the answering server's (shifted) clock. */
function assertShifted(r, shiftMs = SHIFT_MS) {
  const expected = r.hostNow + shiftMs + NTP_UNIX_OFFSET_S * 1000;
  const got = r.tm.tsec * 1000 + r.tm.tms;
  assert.ok(Math.abs(got - expected) < 1000, `tsec.tms ${got} is not the server's clock ${expected} (off by ${got - expected} ms)`);
  assert.equal(r.tm.vaild, true);
  assert.equal(r.tm.ssec * 1000 + r.tm.sms + r.tm.lsec * 1000 + r.tm.lms, got);
}

describe("luatos/sntp", function () {
  this.timeout(30000);
  afterEach(cleanup);

  it("syncs from a server with a shifted clock (RFC 4330 request) and publishes NTP_UPDATE with 0", async () => {
    const p = loopbackPrefix();
    const s = await ntpServer(p + "1", "answer");
    const out = lines((await exitsCleanly(app("luatos-sntp", ["once", s.address, p + "2", p + "3"]))).stdout);
    const before = JSON.parse(out[0].slice("before ".length));
    assert.equal(before.vaild, "undef");
    assert.equal(before.ssec, 0);
    assert.equal(before.tsec, before.lsec);
    const r = parse(out, "1");
    assert.deepEqual(r.topic, ["NTP_UPDATE", 0]);
    assert.ok(r.at < 1000, `update after ${r.at} ms`);
    assertShifted(r);
    assert.equal(s.requests.length, 1);
    const req = s.requests[0].msg;
    assert.equal(req.length, 48);
    assert.equal(req[0], 0x1B);                     // LI 0, VN 3, mode 3 (client)
    assert.equal(s.requests[0].rinfo.address, "127.0.0.1");
    assert.ok(r.tm.ndelay >= 0 && r.tm.ndelay < 50, `ndelay ${r.tm.ndelay}`);
  });

  it("gives each silent server one request and 2 s, then the next; NTP_ERROR after the last", async () => {
    const p = loopbackPrefix();
    const a = await ntpServer(p + "1", "silent");
    const b = await ntpServer(p + "2", "silent");
    const c = await ntpServer(p + "3", "answer");
    const r = parse(lines((await exitsCleanly(app("luatos-sntp", ["once", a.address, b.address, c.address]))).stdout), "1");
    assert.deepEqual(r.topic, ["NTP_UPDATE", 0]);
    assert.ok(r.at >= 3900 && r.at < 5500, `update after ${r.at} ms (two 2 s timeouts expected)`);
    assert.deepEqual([a.requests.length, b.requests.length, c.requests.length], [1, 1, 1]);
    assert.ok(b.requests[0].at - a.requests[0].at >= 1900, "the second server was asked before the first's 2 s");
    assertShifted(r);

    const q = loopbackPrefix();
    const silent = [await ntpServer(q + "1", "silent"), await ntpServer(q + "2", "silent"), await ntpServer(q + "3", "silent")];
    const out = lines((await exitsCleanly(app("luatos-sntp", ["once", ...silent.map((s) => s.address)]))).stdout);
    const e = parse(out, "1");
    assert.deepEqual(e.topic, ["NTP_ERROR"]);
    assert.ok(e.at >= 5900 && e.at < 7500, `error after ${e.at} ms`);
    assert.deepEqual(silent.map((s) => s.requests.length), [1, 1, 1]);
    assert.equal(e.tm.vaild, "undef");
    assert.ok(out.includes("W/sntp all servers failed"));
  });

  it("moves on at once from an unresolvable name and a kiss-o'-death; ignores an answer to another request", async () => {
    const p = loopbackPrefix();
    const kiss = await ntpServer(p + "1", "kiss");
    const good = await ntpServer(p + "2", "answer");
    const out = lines((await exitsCleanly(app("luatos-sntp", ["once", "no-such-host.invalid", kiss.address, good.address]))).stdout);
    const r = parse(out, "1");
    assert.deepEqual(r.topic, ["NTP_UPDATE", 0]);
    assert.ok(r.at < 1000, `update after ${r.at} ms`);
    assert.equal(kiss.requests.length, 1);
    assert.ok(out.some((l) => /^W\/sntp cannot resolve no-such-host\.invalid/.test(l)), out.join("\n"));
    assert.ok(out.some((l) => /^W\/sntp unusable answer from .* stratum 0, kiss code RATE/.test(l)), out.join("\n"));

    const q = loopbackPrefix();
    const stranger = await ntpServer(q + "1", "stranger", { shiftMs: 0 });
    const good2 = await ntpServer(q + "2", "answer");
    const r2 = parse(lines((await exitsCleanly(app("luatos-sntp", ["once", stranger.address, good2.address, q + "9"]))).stdout), "1");
    assert.deepEqual(r2.topic, ["NTP_UPDATE", 0]);
    assert.ok(r2.at >= 1900, `the wrong-originate answer was taken (${r2.at} ms)`);
    assertShifted(r2);
  });

  it("measures the network delay (ndelay) and corrects the clock by half of it", async () => {
    const p = loopbackPrefix();
    const late = await ntpServer(p + "1", "late", { delayMs: 400 });
    const r = parse(lines((await exitsCleanly(app("luatos-sntp", ["once", late.address, p + "2", p + "3"]))).stdout), "1");
    assert.deepEqual(r.topic, ["NTP_UPDATE", 0]);
    assert.ok(r.tm.ndelay >= 180 && r.tm.ndelay < 300, `ndelay ${r.tm.ndelay} (400 ms round trip)`);
    // the reply left the server at T3; the client sets its clock to T3 + 200 ms at arrival
    const expected = r.hostNow + SHIFT_MS + NTP_UNIX_OFFSET_S * 1000 + 200;
    const got = r.tm.tsec * 1000 + r.tm.tms;
    assert.ok(Math.abs(got - expected) < 150, `off by ${got - expected} ms`);
  });

  it("a second call while a sync runs is ignored; sntp() again uses the servers set before; a string sets slot 1 only", async () => {
    const p = loopbackPrefix();
    const s = await ntpServer(p + "1", "answer");
    const out = lines((await exitsCleanly(app("luatos-sntp", ["twice", s.address, p + "2", p + "3"]))).stdout);
    assert.equal(out[0], "I/sntp sntp is running");
    assert.deepEqual(out.filter((l) => l.startsWith("event")).map((l) => l.split(" ").slice(0, 3).join(" ")),
      ['event 1 ["NTP_UPDATE",0]', 'event 2 ["NTP_UPDATE",0]']);
    assert.equal(s.requests.length, 2);
    // the second request carries the synchronised time as its transmit timestamp
    const t2 = s.requests[1].msg.readUInt32BE(40) * 1000 - NTP_UNIX_OFFSET_S * 1000;
    assert.ok(Math.abs(t2 - (s.requests[1].at + SHIFT_MS)) < 2000, "second request's transmit timestamp is not the synced clock");
    assertShifted(parse(out, "2"));

    const q = loopbackPrefix();
    const silent = await ntpServer(q + "1", "silent");
    const b = await ntpServer(q + "2", "answer", { shiftMs: 0 });
    const c = await ntpServer(q + "4", "answer");
    const out2 = lines((await exitsCleanly(app("luatos-sntp", ["string", silent.address, b.address, q + "3", c.address]))).stdout);
    assert.deepEqual(parse(out2, "1").topic, ["NTP_UPDATE", 0]);
    assert.equal(parse(out2, "1").at > 1900, true);
    const r2 = parse(out2, "2");
    assertShifted(r2);                             // slot 1 is now c, asked first
    assert.equal(r2.at - parse(out2, "1").at < 1000, true);
    assert.deepEqual([silent.requests.length, b.requests.length, c.requests.length], [1, 1, 1]);
  });

  it("the adapter argument: LWIP_STA works, another adapter gives NTP_ERROR; bad arguments throw TypeError", async () => {
    const p = loopbackPrefix();
    const s = await ntpServer(p + "1", "answer");
    const out = lines((await exitsCleanly(app("luatos-sntp", ["adapter", s.address, p + "2", p + "3"]))).stdout);
    assert.equal(out[0], "W/sntp adapter 3 is not ready");
    assert.deepEqual(parse(out, "ap").topic, ["NTP_ERROR"]);
    assert.ok(parse(out, "ap").at < 500);
    assert.deepEqual(parse(out, "sta").topic, ["NTP_UPDATE", 0]);
    assert.equal(s.requests.length, 1);

    const bad = lines((await exitsCleanly(app("luatos-sntp", ["bad"]))).stdout);
    assert.deepEqual(bad, [
      "servers-number TypeError: socket.sntp: servers must be a string or an array of strings",
      "servers-entry TypeError: socket.sntp: server 2 must be a string",
      "adapter TypeError: socket.sntp: adapter must be an integer",
      `E/sntp server_addr too long ${"a".repeat(256)}`, 'too-long ok "undef"',
      'tm "undef" 0',
    ]);
  });
});
