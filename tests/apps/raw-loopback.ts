// The simulator's ECMA-419 sockets end to end inside one VM: a Listener echoes what a TCP client
// sends, a UDP socket echoes to another. Prints what each step observed.
import Listener from "embedded:io/socket/listener";
import TCP from "embedded:io/socket/tcp";
import UDP from "embedded:io/socket/udp";

const listener = new Listener({
  port: 0,
  address: "127.0.0.1",
  onReadable(count: number) {
    for (let i = 0; i < count; i++) {
      const accepted = this.read() as TCP;
      const echo: TCP = new TCP({
        from: accepted,
        onReadable(bytes: number) {
          const b = echo.read() as ArrayBuffer;
          echo.write(b);
        },
        onError(code?: number) {
          trace(`server onError ${code}\n`);
          echo.close();
          listener.close();
        },
      });
    }
  },
});
trace(`listening ${listener.address}:${listener.port}\n`);
let got = "";
const client: TCP = new TCP({
  address: "127.0.0.1",
  port: listener.port,
  onWritable(bytes: number) {
    if (!got) {
      trace(`client writable ${bytes} local ${client.localAddress} remote ${client.remoteAddress}:${client.remotePort}\n`);
      client.write(ArrayBuffer.fromString("hello"));
      got = " ";
    }
  },
  onReadable(bytes: number) {
    got += String.fromArrayBuffer(client.read() as ArrayBuffer);
    if (got.length >= 6) {
      trace(`client got${got}\n`);
      client.close();
    }
  },
  onError(code?: number) {
    trace(`client onError ${code}\n`);
  },
});

const refused = new TCP({
  address: "127.0.0.1",
  port: 1,
  onError(code?: number) {
    trace(`refused onError ${code}\n`);
    refused.close();
  },
});

const a = new UDP({
  onReadable(n: number) {
    const p = a.read() as ArrayBuffer & { address: string; port: number };
    trace(`udp a got ${String.fromArrayBuffer(p)} from ${p.address}:${p.port}\n`);
    a.close();
  },
});
const b = new UDP({
  address: "127.0.0.1",
  onReadable(n: number) {
    const p = b.read() as ArrayBuffer & { address: string; port: number };
    b.write(p, p.address, p.port);
    b.close();
  },
});
a.write(ArrayBuffer.fromString("ping"), "127.0.0.1", b.port);
