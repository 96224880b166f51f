// xsnet/native in the simulator: ifinfo, ttl read back from the socket, ICMP echo, multicast.
import { ifinfo, ttl, multicastJoin, multicastLeave, ICMP } from "xsnet/native";
import TCP from "embedded:io/socket/tcp";
import UDP from "embedded:io/socket/udp";
import Listener from "embedded:io/socket/listener";
import args from "xsnet-sim/args";

const mode = args[0];
function hex(b: ArrayBuffer) { return Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, "0")).join(":"); }

if (mode === "ifinfo") {
  const i = ifinfo(0)!;
  trace(`ifinfo0 ${i.name} ${i.ip} ${i.netmask} ${i.gateway} ${hex(i.hwaddr)}\n`);
  trace(`ifinfo1 ${ifinfo(1)}\n`);
}
else if (mode === "ttl") {
  const u = new UDP({});
  trace(`udp default ${ttl(u)} set ${ttl(u, 7)} read ${ttl(u)}\n`);
  u.close();
  try { ttl(u); } catch (e) { trace(`closed: ${(e as Error).message}\n`); }
  const l = new Listener({ port: 0, address: "127.0.0.1", onReadable() { const s = this.read()!; s.close(); l.close(); } });
  const t: TCP = new TCP({
    address: "127.0.0.1", port: l.port,
    onWritable() { trace(`tcp set ${ttl(t, 42)} read ${ttl(t)}\n`); t.close(); },
  });
}
else if (mode === "ping") {
  const target = args[1];
  const message = new Uint8Array(8 + 32);
  message[0] = 8; message[4] = 0x12; message[5] = 0x34; message[7] = 1;
  for (let i = 0; i < 32; i++) message[8 + i] = i;
  let sum = 0;
  for (let i = 0; i < message.length; i += 2) sum += (message[i] << 8) | message[i + 1];
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  sum = ~sum & 0xffff;
  message[2] = sum >> 8; message[3] = sum & 0xff;
  const start = Date.now();
  const icmp: ICMP = new ICMP({
    onReadable() {
      let p;
      while ((p = icmp.read())) {
        const b = new Uint8Array(p);
        if (b[0] !== 0) continue; // not an echo reply (a raw socket also sees our own request)
        trace(`reply from ${p.address} seq ${(b[6] << 8) | b[7]} bytes ${b.length - 8} rtt<1s ${Date.now() - start < 1000}\n`);
        icmp.close();
        clearTimeout(timer);
        return;
      }
    },
  });
  const timer = setTimeout(() => { trace("timeout\n"); icmp.close(); }, 2000);
  icmp.write(message, target);
}
else if (mode === "multicast") {
  multicastJoin("0.0.0.0", "239.1.2.3");
  const rx: UDP = new UDP({
    port: 0,
    onReadable() {
      const p = rx.read()!;
      trace(`multicast got ${String.fromArrayBuffer(p)}\n`);
      multicastLeave("0.0.0.0", "239.1.2.3");
      rx.close();
      tx.close();
    },
  });
  const tx = new UDP({});
  tx.write(ArrayBuffer.fromString("to the group"), "239.1.2.3", rx.port);
  try { multicastJoin("0.0.0.0", "10.0.0.1"); } catch (e) { trace(`bad group: ${(e as Error).message}\n`); }
}
