// The Internet hosts that Moddable's socket tests talk to, played on loopback addresses by our own peers:
// "www.example.com" is an HTTP server on port 80 that answers every request with a small page and closes,
// "pool.ntp.org" an SNTP server on UDP port 123. Names resolve to these addresses through the harness's
// $NETWORK.resolve (main.js). Ports 80 and 123 need root or a network namespace of our own (run-one.js).
import net from "node:net";
import dgram from "node:dgram";

/** Host name -> loopback address of its peer. */
export const HOSTS = Object.freeze({ "www.example.com": "127.0.0.2", "pool.ntp.org": "127.0.0.3" });

const PAGE = "<!doctype html>\n<html><head><title>Example Domain</title></head>"
  + "<body><h1>Example Domain</h1><p>Played on loopback by xsnet's test peers.</p></body></html>\n";
const RESPONSE = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\n"
  + `Content-Length: ${Buffer.byteLength(PAGE)}\r\nConnection: close\r\n\r\n${PAGE}`;

/** HTTP on address:80: after a request's blank line, the page and FIN. Resolves the server, or null. */
export function startHttpPeer(address) {
  const server = net.createServer((s) => {
    let head = "";
    s.on("data", (d) => {
      if (head === null) return;
      head += d.toString("latin1");
      if (head.includes("\r\n\r\n")) {
        head = null;
        s.end(RESPONSE);
      }
      else if (head.length > 1 << 20) s.destroy();
    });
    s.on("error", () => {});
  });
  return new Promise((resolve) => {
    server.once("error", () => resolve(null));
    server.listen(80, address, () => resolve(server));
  });
}

const NTP_UNIX_OFFSET = 2208988800; // seconds from 1900 to 1970

function ntpTime(buffer, offset, ms) {
  const seconds = Math.floor(ms / 1000) + NTP_UNIX_OFFSET;
  buffer.writeUInt32BE(seconds >>> 0, offset);
  buffer.writeUInt32BE(Math.floor(((ms % 1000) / 1000) * 2 ** 32) >>> 0, offset + 4);
}

/** SNTP (RFC 4330) on address:123: a server reply (mode 4, stratum 1) to each client request (mode 3). */
export function startSntpPeer(address) {
  const socket = dgram.createSocket("udp4");
  socket.on("message", (msg, rinfo) => {
    if (msg.length < 48 || (msg[0] & 7) !== 3) return;
    const now = Date.now();
    const reply = Buffer.alloc(48);
    reply[0] = (4 << 3) | 4;              // no leap warning, version 4, server
    reply[1] = 1;                         // stratum 1
    reply[2] = msg[2];                    // poll, as asked
    reply[3] = 0xec;                      // precision 2^-20 s
    reply.write("LOCL", 12, "latin1");    // reference id
    ntpTime(reply, 16, now);              // reference time
    msg.copy(reply, 24, 40, 48);          // originate = the client's transmit time
    ntpTime(reply, 32, now);              // receive time
    ntpTime(reply, 40, now);              // transmit time
    socket.send(reply, rinfo.port, rinfo.address);
  });
  return new Promise((resolve) => {
    socket.once("error", () => resolve(null));
    socket.bind(123, address, () => resolve(socket));
  });
}

/** Start every peer; resolves {unavailable: [host names whose peer could not bind], close()}. */
export async function startPeers() {
  const [http, sntp] = await Promise.all([startHttpPeer(HOSTS["www.example.com"]), startSntpPeer(HOSTS["pool.ntp.org"])]);
  const unavailable = [];
  if (!http) unavailable.push("www.example.com");
  if (!sntp) unavailable.push("pool.ntp.org");
  return {
    unavailable,
    close() {
      http?.close();
      sntp?.close();
    },
  };
}
