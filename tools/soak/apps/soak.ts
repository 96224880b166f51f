// Soak app (driven by tools/soak.js): the simulator's side of `npm run soak`. It connects to Node's control
// server on 127.0.0.1:`args[0]` and runs its commands, one per line, answering one line each:
//   heap                  -> "heap <bytes>"          JS heap in use right after a gc
//   cycles <port> <n>     -> "cycles <n> failed <f> slowest <ms>"  n connect/send/close cycles as a client
//   cycles-luatos <port> <n> -> the same with luatos/socket (create, connect, tx, close, release)
//   serve                 -> "port <p>"              a nodemcu/net echo server on 127.0.0.1 (binary, byte-exact)
//   serve-luatos <port>   -> "port <p>"              the same with luatos/socket (multi-client listen, accept)
//   stop                  -> "stopped accepted <a> rx <bytes> tx <bytes> queueFull <q> sendErrors <s> errors <e>
//                             [error<code> <count> ...]"  (sendErrors: send() failures other than a full queue)
//   exit                  -> closes the control connection; the app then ends
import net from "nodemcu/net";
import socket from "luatos/socket";
import type { SocketCtrl } from "luatos/socket";
import zbuff from "luatos/zbuff";
import args from "xsnet-sim/args";
import { gc, used } from "xsnet-sim/heap";

type Socket = ReturnType<typeof net.createConnection>;
type Server = ReturnType<typeof net.createServer>;

/** What each client cycle sends (the Node server checks it byte for byte). */
const CYCLE_PAYLOAD = "xsnet soak cycle: connect, send, close. 0123456789abcdefghijklmnopqrstuvwxyz\n";

const ctrl = net.createConnection();
let pending = "";
function reply(line: string) { ctrl.send(line + "\n"); }

let server: Server | undefined;
let stats = { accepted: 0, rx: 0, tx: 0, queueFull: 0, sendErrors: 0, errors: 0 };
/** "reconnection" error codes seen by the echo server, and how often. */
let codes: Record<string, number> = {};

/** The echo server: every byte received is sent back; a peer that never reads is closed once its queue is full. */
function serve() {
  stats = { accepted: 0, rx: 0, tx: 0, queueFull: 0, sendErrors: 0, errors: 0 };
  codes = {};
  const srv = net.createServer(30);
  srv.listen(0, "127.0.0.1", (conn) => {
    stats.accepted++;
    conn.format = "buffer";
    conn.on("receive", (s, data) => {
      const bytes = data as ArrayBuffer;
      stats.rx += bytes.byteLength;
      try {
        s.send(bytes);
        stats.tx += bytes.byteLength;
      } catch (e) {
        // "send queue full": the peer does not read (a hostile peer); give up on it. Anything else is reported.
        const message = (e as Error).message;
        if (/send queue full/.test(message)) stats.queueFull++;
        else { stats.sendErrors++; trace(`soak: send failed: ${message}\n`); }
        try { s.close(); } catch { /* already closed */ }
      }
    });
    // resets and timeouts of hostile peers: counted; Node judges whether they were expected
    conn.on("reconnection", (_s, err) => { stats.errors++; codes[err] = (codes[err] ?? 0) + 1; });
  });
  server = srv;
  reply(`port ${srv.getaddr()[0]}`);
}

let luatosServer: SocketCtrl | undefined;

/**
 * The echo server with luatos/socket on 127.0.0.1:`port`: listen(ctrl, 8), accept each client to its own ctrl;
 * EVENT(0): rx into one shared zbuff and tx it back; a tx the full send queue refuses ends that client (a peer
 * that never reads); EVENT(-1) (the peer closed or reset) or TX_OK(-1): close and release.
 */
function serveLuatos(port: number) {
  stats = { accepted: 0, rx: 0, tx: 0, queueFull: 0, sendErrors: 0, errors: 0 };
  codes = {};
  const buf = zbuff.create(65536)!;
  const clients = new Set<SocketCtrl>();
  const end = (c: SocketCtrl) => {
    if (!clients.delete(c)) return;
    socket.close(c);
    socket.release(c);
  };
  const clientEvent = (c: SocketCtrl, event: number, param: number) => {
    if (event === socket.EVENT && param === 0) {
      for (;;) {
        const [ok] = socket.rx(c, buf);
        const n = buf.used();
        if (!ok || !n) return;
        stats.rx += n;
        const [sent, full] = socket.tx(c, buf) as [boolean, boolean?];
        buf.del();
        if (sent) { stats.tx += n; continue; }
        if (full) stats.queueFull++;
        else stats.sendErrors++;
        end(c);
        return;
      }
    }
    if (event === socket.TX_OK && param === 0) return;
    const key = `${event === socket.EVENT ? "EVENT" : event === socket.TX_OK ? "TX_OK" : event}${param}`;
    codes[key] = (codes[key] ?? 0) + 1;
    if (event === socket.EVENT || event === socket.TX_OK || event === socket.CLOSED) end(c);
  };
  const srv = socket.create(undefined, (s, event, param) => {
    if (event !== socket.ON_LINE || param !== 0) return;
    for (;;) {
      const [ok, client] = socket.accept(s, clientEvent);
      if (!ok || !client) return;
      stats.accepted++;
      clients.add(client);
    }
  })!;
  socket.config(srv, port);
  socket.listen(srv, 8);
  luatosServer = srv;
  reply(`port ${port}`);
}

function stop() {
  if (server) server.close();
  server = undefined;
  if (luatosServer) { socket.close(luatosServer); socket.release(luatosServer); }
  luatosServer = undefined;
  const byCode = Object.keys(codes).map((c) => ` error${c} ${codes[c]}`).join("");
  reply(`stopped accepted ${stats.accepted} rx ${stats.rx} tx ${stats.tx} queueFull ${stats.queueFull} sendErrors ${stats.sendErrors} errors ${stats.errors}${byCode}`);
}

/** `count` cycles against 127.0.0.1:`port`: connect, send CYCLE_PAYLOAD, close once "sent" fired. */
function cycles(port: number, count: number) {
  let done = 0, failed = 0, slowest = 0;
  const next = () => {
    if (done === count) { reply(`cycles ${count} failed ${failed} slowest ${slowest}`); return; }
    done++;
    const start = Date.now();
    const finish = () => { slowest = Math.max(slowest, Date.now() - start); setTimeout(next, 0); };
    const s: Socket = net.createConnection();
    s.on("connection", (sk) => sk.send(CYCLE_PAYLOAD));
    s.on("sent", (sk) => { sk.close(); finish(); });
    s.on("reconnection", (_sk, err) => { failed++; trace(`soak: cycle ${done} failed: ${err}\n`); finish(); });
    s.connect(port, "127.0.0.1");
  };
  next();
}

/**
 * The same cycles with luatos/socket: create, connect, ON_LINE(0): tx CYCLE_PAYLOAD, TX_OK(0): close and release.
 * Any other event with a non-zero param (ON_LINE(-1), EVENT(-1), TX_OK(-1)) fails the cycle.
 */
function cyclesLuatos(port: number, count: number) {
  let done = 0, failed = 0, slowest = 0;
  const next = () => {
    if (done === count) { reply(`cycles ${count} failed ${failed} slowest ${slowest}`); return; }
    done++;
    const start = Date.now();
    let over = false;
    const finish = (c: SocketCtrl, ok: boolean, why: string) => {
      if (over) return;
      over = true;
      if (!ok) { failed++; trace(`soak: luatos cycle ${done} failed: ${why}\n`); }
      socket.close(c);
      socket.release(c);
      slowest = Math.max(slowest, Date.now() - start);
      setTimeout(next, 0);
    };
    const c = socket.create(undefined, (c, event, param) => {
      if (event === socket.ON_LINE && param === 0) socket.tx(c, CYCLE_PAYLOAD);
      else if (event === socket.TX_OK && param === 0) finish(c, true, "");
      else if (param !== 0) finish(c, false, `event ${event} param ${param}`);
    })!;
    socket.config(c);
    const [ok] = socket.connect(c, "127.0.0.1", port);
    if (!ok) finish(c, false, "connect refused the call");
  };
  next();
}

function run(line: string) {
  const [cmd, a, b] = line.split(" ");
  if (cmd === "heap") { gc(); reply(`heap ${used()}`); }
  else if (cmd === "cycles") cycles(Number(a), Number(b));
  else if (cmd === "cycles-luatos") cyclesLuatos(Number(a), Number(b));
  else if (cmd === "serve") serve();
  else if (cmd === "serve-luatos") serveLuatos(Number(a));
  else if (cmd === "stop") stop();
  else if (cmd === "exit") ctrl.close();
  else reply(`error unknown command ${cmd}`);
}

ctrl.on("receive", (_s, data) => {
  pending += data as string;
  let nl;
  while ((nl = pending.indexOf("\n")) >= 0) {
    const line = pending.slice(0, nl);
    pending = pending.slice(nl + 1);
    run(line);
  }
});
ctrl.on("reconnection", (_s, err) => { trace(`soak: control connection failed: ${err}\n`); });
ctrl.connect(Number(args[0]), "127.0.0.1");
