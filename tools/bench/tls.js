// The TLS benchmark case of `npm run bench` (`--only tls`): nodemcu/net over TLS (the simulator's
// embedded:io/socket/tcp/tls on OpenSSL, certificates verified) against the same app over plain TCP, in one run:
// bulk send throughput to a Node sink (MB/s and CPU ms/MiB of the simulator) and sequential handshakes per second
// (connect, "connection", close). Interleaved runs, medians. Certificates are made at run time (openssl).
import net from "node:net";
import tls from "node:tls";
import { certificates } from "../../tests/support/tls-peers.js";

const MiB = 1024 * 1024;

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** A sink on 127.0.0.1 (plain or TLS) counting bytes per connection; `onEnd(bytes, seconds)` per connection. */
async function sink(secure, pki, onEnd = () => {}) {
  const handler = (c) => {
    const start = process.hrtime.bigint();
    let n = 0;
    c.on("data", (d) => (n += d.length));
    c.on("error", () => {});
    c.on("end", () => { c.end(); onEnd(n, Number(process.hrtime.bigint() - start) / 1e9); });
  };
  const srv = secure ? tls.createServer({ ...pki.server }, handler) : net.createServer(handler);
  await new Promise((resolve) => srv.listen(0, "127.0.0.1", resolve));
  return srv;
}

/**
 * Run the TLS case. `runApp(app, args)` resolves with the app's stdout; `cpuOf(out)` reads its "cpu" line.
 * @returns {results, ratios} to merge into bench.js's.
 */
export async function tlsBench({ runs, log, runApp, cpuOf }) {
  const pki = certificates();
  const app = "tools/bench/apps/nodemcu-tls.ts";
  const total = 16 * MiB, chunk = 16 * 1024, count = 200;
  const samples = { plain: { rate: [], cpu: [], hs: [] }, tls: { rate: [], cpu: [], hs: [] } };
  for (let i = 0; i < runs; i++) {
    for (const variant of ["plain", "tls"]) {
      const secure = variant === "tls" ? 1 : 0;
      let done;
      const finished = new Promise((resolve) => (done = resolve));
      const srv = await sink(secure, pki, (n, seconds) => done({ n, seconds }));
      const [out, { n, seconds }] = await Promise.all([
        runApp(app, ["send", srv.address().port, secure, total, chunk, pki.ca.cert]), finished]);
      srv.close();
      if (n !== total) throw new Error(`tls bench: sink got ${n} of ${total} bytes`);
      samples[variant].rate.push(total / MiB / seconds);
      samples[variant].cpu.push(cpuOf(out) / (total / MiB));
      const hsrv = await sink(secure, pki);
      const hout = await runApp(app, ["handshakes", hsrv.address().port, secure, count, 0, pki.ca.cert]);
      hsrv.close();
      if (/failed/.test(hout)) throw new Error(`tls bench: ${hout}`);
      samples[variant].hs.push(count / (Number(/elapsed (\d+)/.exec(hout)[1]) / 1000));
    }
  }
  const r = {};
  for (const v of ["plain", "tls"]) {
    r[v] = { rate: median(samples[v].rate), cpu: median(samples[v].cpu), handshakes: median(samples[v].hs) };
  }
  log(`${"tls send".padEnd(14)} plain ${r.plain.rate.toFixed(1).padStart(9)}  tls ${r.tls.rate.toFixed(1).padStart(9)} MB/s` +
    `   tls/plain ${(r.tls.rate / r.plain.rate).toFixed(2)}x   cpu: plain ${(r.plain.cpu * 1e3).toFixed(1)}  tls ${(r.tls.cpu * 1e3).toFixed(1)} ms/MiB\n` +
    `${"tls connect".padEnd(14)} plain ${r.plain.handshakes.toFixed(0).padStart(9)}  tls ${r.tls.handshakes.toFixed(0).padStart(9)} connections/s` +
    `   tls/plain ${(r.tls.handshakes / r.plain.handshakes).toFixed(2)}x (${count} in a row, RSA 2048, certificate verified)\n`);
  return {
    results: { tls: { ...r, unit: "MB/s, ms/MiB, connections/s" } },
    ratios: { "tls send: tls/plain": r.tls.rate / r.plain.rate, "tls connect: tls/plain": r.tls.handshakes / r.plain.handshakes },
  };
}
