// The soak's Node peers, all on 127.0.0.1: a server that checks what the simulator's client cycles send, a
// client that cycles against the simulator's echo server, well-behaved clients exchanging checksummed data with
// it, and hostile clients (reset, half-close, stall, silent). Each well-behaved exchange adds to `tally`:
// bytes sent, bytes echoed back intact, and unexpected failures (with the first few reasons).
import net from "node:net";
import crypto from "node:crypto";

export const CYCLE_PAYLOAD = Buffer.from("xsnet soak cycle: connect, send, close. 0123456789abcdefghijklmnopqrstuvwxyz\n");

/** A new tally of well-behaved traffic. */
export function newTally() {
  return { sent: 0, echoed: 0, lost: 0, sessions: 0, failures: 0, reasons: [], hostile: { reset: 0, halfClose: 0, stall: 0, silent: 0 } };
}
function fail(tally, why) {
  tally.failures++;
  if (tally.reasons.length < 10) tally.reasons.push(why);
}
const rand = (lo, hi) => lo + Math.floor(Math.random() * (hi - lo + 1));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * A server for the simulator's client cycles: every connection must carry exactly CYCLE_PAYLOAD, then FIN.
 * `settled(n)` resolves once n connections ended (Node accepts behind the simulator's cycles), or after 30 s.
 * @returns {Promise<{port: number, settled: (n: number) => Promise<void>, close: () => void}>}
 */
export function cycleServer(tally) {
  let ended = 0;
  const srv = net.createServer((c) => {
    const parts = [];
    tally.sessions++;
    tally.sent += CYCLE_PAYLOAD.length;
    c.on("data", (d) => parts.push(d));
    c.on("error", (e) => fail(tally, `cycle server: ${e.message}`));
    c.on("close", () => ended++);
    c.on("end", () => {
      const got = Buffer.concat(parts);
      if (got.equals(CYCLE_PAYLOAD)) tally.echoed += got.length;
      else {
        tally.lost += Math.max(0, CYCLE_PAYLOAD.length - got.length);
        fail(tally, `cycle server: got ${got.length} bytes, not the payload`);
      }
      c.end();
    });
  });
  return new Promise((resolve) => srv.listen(0, "127.0.0.1", () => resolve({
    port: srv.address().port,
    close: () => srv.close(),
    async settled(n) { for (let i = 0; i < 300 && ended < n; i++) await sleep(100); },
  })));
}

/**
 * One exchange with the echo server: connect, `rounds` times send a random block of 1..`maxBlock` bytes and
 * await its echo, then end() and await the close. Compares SHA-256 of everything sent and received.
 * @param {{halfClose?: boolean}} opts halfClose: send every block, then end() at once, and read the echo after
 * @returns {Promise<void>} never rejects; failures go to `tally`
 */
export function exchange(port, tally, rounds, maxBlock, { halfClose = false } = {}) {
  return new Promise((resolve) => {
    const c = net.connect(port, "127.0.0.1");
    const sentHash = crypto.createHash("sha256"), gotHash = crypto.createHash("sha256");
    let sent = 0, got = 0, round = 0, failed = false, ended = false;
    const timer = setTimeout(() => { bad(`no progress in 30 s (sent ${sent}, echoed ${got})`); c.destroy(); }, 30000);
    const bad = (why) => { if (!failed) { failed = true; fail(tally, why); } };
    const sendBlock = () => {
      const block = crypto.randomBytes(rand(1, maxBlock));
      sentHash.update(block);
      sent += block.length;
      c.write(block);
    };
    c.on("connect", () => {
      if (!halfClose) return sendBlock();
      for (let i = 0; i < rounds; i++) sendBlock();
      c.end();
      ended = true;
    });
    c.on("data", (d) => {
      gotHash.update(d);
      got += d.length;
      if (halfClose || got < sent) return;
      if (got > sent) return bad(`echo longer than sent (${got} > ${sent})`);
      if (++round < rounds) sendBlock();
      else if (!ended) { ended = true; c.end(); }
    });
    c.on("error", (e) => bad(`${halfClose ? "half-close" : "client"}: ${e.message} (sent ${sent}, echoed ${got})`));
    c.on("close", () => {
      clearTimeout(timer);
      tally.sessions++;
      tally.sent += sent;
      const intact = got === sent && sentHash.digest("hex") === gotHash.digest("hex");
      if (intact) tally.echoed += got;
      else {
        tally.lost += Math.max(0, sent - got);
        bad(`${halfClose ? "half-close" : "client"}: echo ${got === sent ? "corrupted" : `short: ${got} of ${sent} bytes`}`);
      }
      resolve();
    });
  });
}

/** A peer that sends a burst and resets the connection (RST) mid-transfer. */
export function resetPeer(port, tally) {
  tally.hostile.reset++;
  return new Promise((resolve) => {
    const c = net.connect(port, "127.0.0.1", () => {
      c.write(crypto.randomBytes(rand(1024, 256 * 1024)));
      setTimeout(() => c.resetAndDestroy(), rand(0, 50));
    });
    c.on("error", () => {});
    c.on("close", resolve);
  });
}

/** A peer that never reads: it writes 16 MiB, holds 1-4 s, then destroys. */
export function stallPeer(port, tally) {
  tally.hostile.stall++;
  return new Promise((resolve) => {
    const c = net.connect(port, "127.0.0.1", () => {
      c.pause();
      const block = crypto.randomBytes(64 * 1024);
      // 16 MiB: more than the echo's 1 MiB send queue and both ends' socket buffers
      for (let i = 0; i < 256; i++) c.write(block);
      setTimeout(() => c.destroy(), rand(1000, 4000));
    });
    c.on("error", () => {});
    c.on("close", resolve);
  });
}

/** A peer that connects and never sends; it closes after 1-4 s and expects the server's FIN. */
export function silentPeer(port, tally) {
  tally.hostile.silent++;
  return new Promise((resolve) => {
    const c = net.connect(port, "127.0.0.1", () => setTimeout(() => c.end(), rand(1000, 4000)));
    c.on("error", (e) => fail(tally, `silent peer: ${e.message}`));
    c.on("close", resolve);
  });
}

/** A half-closing peer: up to 32 KiB in blocks, then FIN; the whole echo must still arrive. */
export function halfClosePeer(port, tally) {
  tally.hostile.halfClose++;
  return exchange(port, tally, rand(1, 8), 4096, { halfClose: true });
}

/**
 * `count` sequential cycles against the echo server at `port`: connect, send CYCLE_PAYLOAD, await its echo,
 * end(), await the close. Resolves with the slowest cycle in ms.
 */
export async function serverCycles(port, count, tally) {
  let slowest = 0;
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await new Promise((resolve) => {
      const c = net.connect(port, "127.0.0.1", () => c.write(CYCLE_PAYLOAD));
      const parts = [];
      let failed = false;
      c.on("data", (d) => { parts.push(d); if (Buffer.concat(parts).length >= CYCLE_PAYLOAD.length) c.end(); });
      c.on("error", (e) => { failed = true; fail(tally, `server cycle ${i}: ${e.message}`); });
      c.on("close", () => {
        const got = Buffer.concat(parts);
        tally.sessions++;
        tally.sent += CYCLE_PAYLOAD.length;
        if (got.equals(CYCLE_PAYLOAD)) tally.echoed += got.length;
        else {
          tally.lost += Math.max(0, CYCLE_PAYLOAD.length - got.length);
          if (!failed) fail(tally, `server cycle ${i}: echo of ${got.length} bytes, not the payload`);
        }
        resolve();
      });
    });
    slowest = Math.max(slowest, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return slowest;
}

/**
 * `clients` concurrent client slots against the echo server until `deadline` (ms since the epoch): each slot
 * loops over sessions; every `hostileEvery`-th session of a slot is a hostile peer (reset, half-close, stall,
 * silent in turn), the others well-behaved exchanges of 1-20 blocks of up to 64 KiB.
 */
export async function concurrentClients(port, clients, deadline, tally, hostileEvery = 5) {
  const hostile = [resetPeer, halfClosePeer, stallPeer, silentPeer];
  const slot = async (id) => {
    await sleep(rand(0, 500)); // spread the first connects
    for (let n = 0; Date.now() < deadline; n++) {
      if ((n + id) % hostileEvery === 0) await hostile[(n + id) % hostile.length](port, tally);
      else await exchange(port, tally, rand(1, 20), 64 * 1024);
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, i) => slot(i)));
}
