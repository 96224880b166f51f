// ECMA-419 embedded:io/socket/udp as Moddable's classes implement it (what a board runs), case by case:
//   args: <case> [<port of the test's peer on 127.0.0.1>]
// Prints one line per observation; tests/ecma419-udp.test.js compares them with what Moddable's lwIP class does.
import UDP from "embedded:io/socket/udp";
import TCP from "embedded:io/socket/tcp";
import Timer from "timer";
import TextDecoder from "text/decoder";
import args from "xsnet-sim/args";
import { line, thrown } from "./ecma419-probe.js";

const [mode, portText] = args;
const port = Number(portText);
const address = "127.0.0.1";
const Loose = UDP as any;


switch (mode) {
  case "closed": {
    const u = new UDP({});
    u.close();
    line(`close-again ${thrown(() => u.close())}`);
    line(`closed ${thrown(() => u.read())} ${thrown(() => u.write(Uint8Array.of(1), address, port))} ${thrown(() => u.port)} ${thrown(() => u.address)}`);
    line(`closed format ${u.format}`);                 // a getter in JavaScript, as Moddable's
    const timer = Timer.set(() => {}, 1e6);
    Timer.clear(timer);
    const proto = UDP.prototype as any;
    for (const [label, receiver] of [["timer", timer], ["decoder", new TextDecoder()], ["tcp", new (TCP as any)()], ["string", "udp"]] as [string, unknown][]) {
      line(`receiver ${label} ${thrown(() => proto.read.call(receiver))} ${thrown(() => proto.write.call(receiver, Uint8Array.of(1), address, port))} ${thrown(() => proto.close.call(receiver))}`);
    }
    break;
  }
  case "constructor": {
    const cases: [string, () => UDP][] = [
      ["symbol-port", () => new Loose({ port: Symbol() })],
      ["negative-port", () => new UDP({ port: -1 })],
      ["big-port", () => new UDP({ port: 65536 })],
      ["undefined-port", () => new UDP({ port: undefined })],
      ["number-format", () => new Loose({ format: "number" })],
      ["unknown-format", () => new Loose({ format: "text" })],
      ["empty-format", () => new Loose({ format: "" })],
      ["callback-no-function", () => new Loose({ onReadable: 1 })],
      ["callback-null", () => new Loose({ onReadable: null })],
      ["bad-address", () => new UDP({ address: "1.2.3" })],
    ];
    for (const [label, make] of cases) {
      let made: UDP | undefined;
      const result = thrown(() => { made = make(); });
      line(`constructor ${label} ${result}${made ? ` ${made.port > 0}` : ""}`);
      made?.close();
    }
    break;
  }
  case "write": {
    const u = new UDP({});
    const data = Uint8Array.of(1);
    line(`write bad-address ${thrown(() => u.write(data, "1.2.3", port))} ${thrown(() => u.write(data, "localhost", port))}`);
    line(`write symbol ${thrown(() => u.write(data, Symbol() as any, port))} ${thrown(() => u.write(data, address, Symbol() as any))}`);
    line(`write no-buffer ${thrown(() => u.write(Symbol() as any, address, port))} ${thrown(() => u.write("text" as any, address, port))}`);
    line(`write port ${thrown(() => u.write(data, address, 0))} ${thrown(() => u.write(data, address, 65536))}`);
    line(`write ok ${thrown(() => u.write(data, address, port))}`);
    u.close();
    break;
  }
  case "polling": {
    // no onReadable: datagrams wait until read() takes them
    const u = new UDP({ address });
    line(`empty ${u.read()}`);
    for (const text of ["one", "two", "three"]) u.write(ArrayBuffer.fromString(text), address, u.port);
    const got: string[] = [];
    const reader = Timer.repeat(() => {
      let packet;
      while ((packet = u.read())) got.push(`${String.fromArrayBuffer(packet)}@${packet.address}:${packet.port === u.port}`);
      if (got.length < 3) return;
      line(`polled ${got.join(" ")} then ${u.read()}`);
      Timer.clear(reader);
      u.close();
    }, 5);
    break;
  }
  default:
    throw new Error(`unknown case ${mode}`);
}
