// ECMA-419 embedded:io/socket/tcp as Moddable's classes implement it (what a board runs), case by case:
//   args: <case> <port of the test's peer on 127.0.0.1>
// Prints one line per observation; tests/ecma419-tcp.test.js compares them with what Moddable's lwIP class does.
import TCP from "embedded:io/socket/tcp";
import UDP from "embedded:io/socket/udp";
import Listener from "embedded:io/socket/listener";
import Timer from "timer";
import TextDecoder from "text/decoder";
import args from "xsnet-sim/args";
import { line, thrown } from "./ecma419-probe.js";

const [mode, portText] = args;
const port = Number(portText);
const address = "127.0.0.1";
const Loose = TCP as any;

function text(buffer: ArrayBuffer | number | undefined): string {
  return buffer instanceof ArrayBuffer ? String.fromArrayBuffer(buffer) : String(buffer);
}
/** Host objects of other classes and values that are no objects at all. */
function strangers(): [string, unknown][] {
  const timer = Timer.set(() => {}, 1e6);
  Timer.clear(timer);
  return [["timer", timer], ["decoder", new TextDecoder()], ["udp", new UDP({})], ["string", "tcp"], ["array", []], ["object", {}]];
}

switch (mode) {
  case "closed": {
    // the peer sends bytes and closes at once: nothing may reach the callbacks after close()
    let closed = false;
    const t: TCP = new TCP({
      address, port,
      onWritable() {
        if (closed) line("onWritable after close");
        closed = true;
        t.close();
        line(`close-again ${thrown(() => t.close())}`);
        const uses: [string, () => unknown][] = [
          ["read", () => t.read()], ["read-n", () => t.read(1)], ["write", () => t.write(Uint8Array.of(1))],
          ["format", () => t.format], ["set-format", () => { t.format = "buffer"; }],
          ["remoteAddress", () => t.remoteAddress], ["remotePort", () => t.remotePort],
          ["localAddress", () => t.localAddress], ["localPort", () => t.localPort],
        ];
        for (const [name, use] of uses) line(`closed ${name} ${thrown(use)}`);
        Timer.set(() => line("end"), 100);
      },
      onReadable() { if (closed) line("onReadable after close"); },
      onError() { if (closed) line("onError after close"); },
    });
    break;
  }
  case "receivers": {
    const proto = TCP.prototype as any;
    const getter = (name: string) => Object.getOwnPropertyDescriptor(TCP.prototype, name)!.get!;
    for (const [label, receiver] of strangers()) {
      const results = [
        thrown(() => proto.read.call(receiver)), thrown(() => proto.write.call(receiver, Uint8Array.of(1))),
        thrown(() => proto.close.call(receiver)), thrown(() => getter("format").call(receiver)),
        thrown(() => getter("remoteAddress").call(receiver)),
      ];
      line(`receiver ${label} ${results.join(" ")}`);
      if (receiver instanceof UDP) receiver.close();
    }
    break;
  }
  case "constructor": {
    const udp = new UDP({});
    const closed = new TCP({ address, port });
    closed.close();
    const cases: [string, () => TCP][] = [
      ["no-address", () => new Loose({ port })],
      ["bad-address", () => new TCP({ address: "300.1.2.3", port })],
      ["name-address", () => new TCP({ address: "localhost", port })],
      ["symbol-address", () => new Loose({ address: Symbol(), port })],
      ["no-port", () => new TCP({ address })],
      ["undefined-port", () => new TCP({ address, port: undefined })],
      ["symbol-port", () => new Loose({ address, port: Symbol() })],
      ["negative-port", () => new TCP({ address, port: -1 })],
      ["big-port", () => new TCP({ address, port: 65536 })],
      ["unknown-format", () => new Loose({ address, port, format: "text" })],
      ["string-format", () => new Loose({ address, port, format: "string" })],
      ["callback-no-function", () => new Loose({ address, port, onWritable: 5 })],
      ["callback-null", () => new Loose({ address, port, onWritable: null })],
      ["format-empty", () => new Loose({ address, port, format: "" })],
      ["no-object", () => new Loose(5)],
      ["from-number", () => new Loose({ from: 3 })],
      ["from-array", () => new Loose({ from: [] })],
      ["from-object", () => new Loose({ from: {} })],
      ["from-class", () => new Loose({ from: TCP })],
      ["from-udp", () => new Loose({ from: udp })],
      ["from-closed", () => new TCP({ from: closed })],
      ["from-empty", () => new TCP({ from: new Loose() })],
    ];
    for (const [label, make] of cases) {
      let made: TCP | undefined;
      const result = thrown(() => { made = make(); });
      line(`constructor ${label} ${result}${made ? ` ${made.format}` : ""}`);
      made?.close();
    }
    udp.close();
    break;
  }
  case "number": {
    // the peer echoes: bytes written one by one come back and are read one by one
    let wrote = false;
    const got: number[] = [];
    const t: TCP = new TCP({
      address, port, format: "number",
      onWritable(bytes) {
        if (wrote) return;
        wrote = true;
        line(`format ${t.format}`);
        line(`write-symbol ${thrown(() => t.write(Symbol() as any))}`);
        line(`write-byte ${bytes - t.write(0x41)}`);
        t.write(0x142);                           // as lwIP: the low byte
        t.format = "buffer";
        line(`buffer-write-number ${thrown(() => t.write(0x43))}`);
        line(`buffer-write-string ${thrown(() => t.write("C" as any))}`);
        line(`set-format-bad ${thrown(() => { (t as any).format = "text"; })} ${thrown(() => { (t as any).format = Symbol(); })}`);
        t.write(Uint8Array.of(0x43));
        t.format = "number";
      },
      onReadable() {
        let b;
        while ((b = t.read()) !== undefined) got.push(b as number);
        if (got.length === 3) {
          line(`read ${got.join(",")}`);
          t.close();
        }
      },
    });
    break;
  }
  case "writable": {
    // the peer reads and discards
    let calls = 0;
    const t: TCP = new TCP({
      address, port,
      onWritable(bytes) {
        if (++calls === 1) {
          line(`first ${bytes}`);
          line(`over ${thrown(() => t.write(new Uint8Array(bytes + 1)))}`);
          let left = t.write(new Uint8Array(bytes - 10));
          line(`left ${left}`);
          line(`over-cumulative ${thrown(() => t.write(new Uint8Array(11)))}`);
          t.format = "number";
          for (let i = 0; i < 10; i++) left = t.write(0x20);
          line(`left ${left}`);
          line(`over-byte ${thrown(() => t.write(0x20))}`);
          t.format = "buffer";
          return;
        }
        line(`again ${bytes > 0}`);
        t.close();
      },
    });
    break;
  }
  case "read": {
    // the peer sends "hello", then " world", then closes
    const counts: number[] = [];
    const t: TCP = new TCP({
      address, port,
      onReadable(bytes) {
        counts.push(bytes);
        if (bytes < 11) return;                    // unread bytes stay; later ones are added to them
        line(`readable ${counts.join(",")}`);
        line(`read-more ${thrown(() => t.read(12))} ${thrown(() => t.read(new Uint8Array(12)))}`);
        line(`read-none ${thrown(() => t.read(0))} ${thrown(() => t.read(-1))} ${thrown(() => t.read(new Uint8Array(0)))}`);
        line(`read-wrong ${thrown(() => t.read(new Uint16Array(2) as any))} ${thrown(() => t.read(Symbol() as any))} ${thrown(() => t.read({} as any))}`);
        line(`read-4 ${text(t.read(4))}`);
        const buffer = new Uint8Array(8).fill(0x2e);
        line(`read-view ${t.read(buffer.subarray(2, 5))} ${String.fromArrayBuffer(buffer.buffer)}`);
        t.format = "number";
        line(`read-number ${t.read()}`);
        t.format = "buffer";
        line(`read-rest ${text(t.read())} ${text(t.read())} ${text(t.read(new Uint8Array(1)) as any)}`);
      },
      onError(code) {
        line(`onError ${code}`);
        t.close();
      },
    });
    line(`before ${text(t.read())} ${text(t.read(5))} ${text(t.read(new Uint8Array(1)) as any)}`);
    line(`before-write ${thrown(() => t.write(Uint8Array.of(1)))}`);
    break;
  }
  case "from": {
    // a new TCP takes over one still connecting; the peer echoes
    const first: TCP = new TCP({
      address, port, format: "number",
      onWritable() { line("first onWritable"); },
      onReadable() { line("first onReadable"); },
      onError() { line("first onError"); },
    });
    let wrote = false;
    const second: TCP = new TCP({
      from: first,
      onWritable(bytes) {
        if (wrote) return;
        wrote = true;
        line(`second writable ${bytes > 0} ${second.format} ${second.remoteAddress}:${second.remotePort === port}`);
        second.write(ArrayBuffer.fromString("ping"));
      },
      onReadable() {
        line(`second read ${text(second.read())}`);
        second.close();
        takeOverUnread();
      },
    });
    line(`first after ${thrown(() => first.read())} ${thrown(() => first.format)} ${thrown(() => first.close())}`);
    line(`from-again ${thrown(() => new TCP({ from: first }))}`);
    break;
  }
  case "polling": {
    // no callbacks at all; the peer echoes
    const t = new TCP({ address, port });
    line(`early ${text(t.read())} ${thrown(() => t.write(Uint8Array.of(1)))}`);
    let got = "";
    const writer = Timer.repeat(() => {
      try {
        t.write(ArrayBuffer.fromString("poll"));
        Timer.clear(writer);
      }
      catch {
        // not connected yet
      }
    }, 5);
    const reader = Timer.repeat(() => {
      const b = t.read();
      if (b === undefined) return;
      got += text(b);
      if (got.length < 4) return;
      line(`polled ${got}`);
      Timer.clear(reader);
      t.close();
    }, 5);
    break;
  }
  case "window": {
    // the peer sends 200 KiB in pieces: unread bytes pile up to the receive window, then reading resumes
    const counts: number[] = [];
    let total = 0, reading = false;
    const t: TCP = new TCP({
      address, port,
      onReadable(bytes) {
        if (!reading) {
          counts.push(bytes);
          return;
        }
        total += (t.read() as ArrayBuffer).byteLength;
        if (total === 200 * 1024) {
          line(`total ${total}`);
          t.close();
        }
      },
    });
    Timer.set(() => {
      const growing = counts.length > 1 && counts.every((c, i) => !i || c > counts[i - 1]);
      line(`held ${counts[counts.length - 1]} growing ${growing}`);
      reading = true;
      total += (t.read() as ArrayBuffer).byteLength;
    }, 500);
    break;
  }
  default:
    throw new Error(`unknown case ${mode}`);
}

/** "from": an accepted socket left unwrapped receives bytes; the TCP that takes it over is told about them. */
function takeOverUnread(): void {
  let accepted: TCP | undefined;
  const listener = new Listener({
    port: 0, address,
    onReadable() {
      accepted = this.read();
    },
  });
  const client: TCP = new TCP({
    address, port: listener.port,
    onWritable() {
      client.write(ArrayBuffer.fromString("early bytes"));
      client.close();
    },
  });
  Timer.set(() => {
    const taken: TCP = new TCP({
      from: accepted!,
      onReadable(bytes) {
        line(`taken ${bytes} ${text(taken.read())}`);
      },
      onError(code) {
        line(`taken onError ${code}`);
        taken.close();
        listener.close();
      },
    });
  }, 100);
}
