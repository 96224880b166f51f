// ECMA-419 embedded:io/socket/listener as Moddable's classes implement it (what a board runs), case by case:
//   args: <case>
// Prints one line per observation; tests/ecma419-listener.test.js compares them with what Moddable's lwIP class does.
import Listener from "embedded:io/socket/listener";
import TCP from "embedded:io/socket/tcp";
import UDP from "embedded:io/socket/udp";
import Timer from "timer";
import TextDecoder from "text/decoder";
import args from "xsnet-sim/args";
import { line, thrown } from "./ecma419-probe.js";

const [mode] = args;
const address = "127.0.0.1";
const Loose = Listener as any;


switch (mode) {
  case "constructor": {
    const cases: [string, () => Listener][] = [
      ["undefined-port", () => new Listener({ port: undefined })],
      ["symbol-port", () => new Loose({ port: Symbol() })],
      ["negative-port", () => new Listener({ port: -1 })],
      ["big-port", () => new Listener({ port: 65536 })],
      ["string-port", () => new Loose({ port: "0" })],
      ["no-port", () => new Listener({})],
      ["buffer-format", () => new Loose({ format: "buffer" })],
      ["tcp-format", () => new Loose({ format: "socket/tcp" })],
      ["callback-no-function", () => new Loose({ onReadable: "no" })],
      ["bad-address", () => new Listener({ address: "127.0.0" })],
    ];
    for (const [label, make] of cases) {
      let made: Listener | undefined;
      const result = thrown(() => { made = make(); });
      line(`constructor ${label} ${result}${made ? ` ${typeof made.port} ${made.port > 0}` : ""}`);
      made?.close();
    }
    break;
  }
  case "closed": {
    const l = new Listener({ port: 0, address });
    l.close();
    line(`close-again ${thrown(() => l.close())}`);
    line(`closed ${thrown(() => l.read())} ${thrown(() => l.port)} ${thrown(() => l.address)} ${l.format}`);
    const timer = Timer.set(() => {}, 1e6);
    Timer.clear(timer);
    const proto = Listener.prototype as any;
    const udp = new UDP({});
    for (const [label, receiver] of [["timer", timer], ["decoder", new TextDecoder()], ["udp", udp], ["string", "listener"]] as [string, unknown][])
      line(`receiver ${label} ${thrown(() => proto.read.call(receiver))} ${thrown(() => proto.close.call(receiver))}`);
    udp.close();
    break;
  }
  case "closed-in-callback": {
    // closed inside its own onReadable: read() throws there too, the pending connection is dropped
    const l = new Listener({
      port: 0, address,
      onReadable(count) {
        l.close();
        l.close();
        line(`in-callback ${count} ${thrown(() => l.read())}`);
      },
    });
    const client: TCP = new TCP({
      address, port: l.port,
      onError(code) {
        line(`client onError ${code}`);
        client.close();
      },
    });
    break;
  }
  case "empty-tcp": {
    // what Listener.read() fills: new TCP() with no options
    const t = new (TCP as any)() as TCP;
    line(`empty ${t.read()} ${thrown(() => t.write(Uint8Array.of(1)))} ${t.remoteAddress} ${t.format} ${thrown(() => t.close())}`);
    break;
  }
  case "polling": {
    // no onReadable: read() polled from a timer hands over the connection
    const l = new Listener({ port: 0, address });
    line(`nothing ${l.read()}`);
    const client: TCP = new TCP({
      address, port: l.port,
      onReadable() {
        line(`client got ${String.fromArrayBuffer(client.read() as ArrayBuffer)}`);
        client.close();
      },
    });
    const poller = Timer.repeat(() => {
      const t = l.read();
      if (!t) return;
      Timer.clear(poller);
      line(`accepted ${t instanceof TCP} ${t.remoteAddress} ${t.remotePort === client.localPort} ${t.format} then ${l.read()}`);
      l.close();
      // no callbacks either: it was writable at once
      t.write(ArrayBuffer.fromString("hi"));
      t.close();
    }, 5);
    break;
  }
  default:
    throw new Error(`unknown case ${mode}`);
}
