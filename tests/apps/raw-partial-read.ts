// A raw ECMA-419 TCP client that reads from a timer, always leaving one byte unread (a partial record): the
// window must reopen after each read outside onReadable, so the whole stream arrives (lwIP reopens it as the
// app consumes). args: port, bytes the peer sends. Prints "got N" once everything but the last byte is read.
import TCP from "embedded:io/socket/tcp";
import Timer from "timer";
import args from "xsnet-sim/args";

const port = Number(args[0]);
const total = Number(args[1]);
let avail = 0;
let got = 0;
const socket = new TCP({
  address: "127.0.0.1",
  port,
  onReadable(count: number) { avail = count; },
  onError() { finish("error"); },
});
const timer = Timer.repeat(() => {
  if (avail > 1) {
    socket.read(avail - 1);
    got += avail - 1;
    avail = 1;
  }
  if (got === total - 1) finish("got");
}, 5);
const deadline = Timer.set(() => finish("stalled at"), 5000);

function finish(what: string): void {
  trace(`${what} ${got}\n`);
  Timer.clear(timer);
  Timer.clear(deadline);
  socket.close();
}
