// A nodemcu/net echo server for tests/net-hostile.test.js: createServer(30), binary, byte-exact; prints
// "listening <port>" first. A client that sends "stop" stops it: the server closes, the app then ends once its
// clients are gone, printing "accepted <n> errors <e>".
import net from "nodemcu/net";

let accepted = 0, errors = 0;
const srv = net.createServer(30);
srv.listen(0, "127.0.0.1", (conn) => {
	accepted++;
	conn.format = "buffer";
	conn.on("receive", (s, data) => {
		const bytes = data as ArrayBuffer;
		if (bytes.byteLength === 4 && String.fromArrayBuffer(bytes) === "stop") {
			srv.close();
			s.close();
			trace(`accepted ${accepted} errors ${errors}\n`);
			return;
		}
		s.send(bytes);
	});
	conn.on("reconnection", () => { errors++; });
});
trace(`listening ${srv.getaddr()[0]}\n`);
