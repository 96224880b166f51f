// ECMA-419 read(buffer): bytes are copied into the caller's buffer (its whole length, so never longer than the
// bytes available: Moddable's classes throw then); the rest stays.
import Listener from "embedded:io/socket/listener";
import TCP from "embedded:io/socket/tcp";

const small = new Uint8Array(4);
const parts: string[] = [];
const listener = new Listener({
  port: 0, address: "127.0.0.1",
  onReadable() {
    const s: TCP = new TCP({
      from: this.read()!,
      keepAlive: 2000,
      onReadable(bytes: number) {
        while (bytes > 0) {
          const n = s.read(bytes < small.length ? small.subarray(0, bytes) : small);
          parts.push(String.fromArrayBuffer(small.buffer.slice(0, n)));
          bytes -= n;
        }
      },
      onError() {
        trace(`parts ${JSON.stringify(parts)}\n`);
        s.close();
        listener.close();
      },
    });
  },
});
const c: TCP = new TCP({
  address: "127.0.0.1", port: listener.port,
  onWritable() { c.write(ArrayBuffer.fromString("hello world")); c.close(); },
});
