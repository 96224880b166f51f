// A small HTTP server: a port of NodeMCU's lua_modules/http/httpserver.lua (docs/lua-modules/httpserver.md).
//   import { createServer } from "./httpserver.js";
//   createServer(80, (req, res) => {
//     req.onheader = (name, value) => trace(`+H ${name} ${value}\n`);
//     req.ondata = (chunk) => { if (chunk === undefined) res.finish("Hello, world!\n"); };
//   });
// The handler runs once the request line is read, with `req` (conn, method, url) and `res`. It may set
// `req.onheader(name, value)` (names in lower case) and `req.ondata(chunk)`, which gets the body in chunks and
// then `undefined` once Content-Length bytes arrived (at once when there is no body). `res.send_header(name,
// value)`, `res.send(data, status)` and `res.finish(data, status)` write the response: status line and headers
// first, then the body in chunked transfer encoding; finish() ends it and closes the connection once
// everything was sent. All output goes through fifosock, so any number of sends are queued in order.
//
// Same structure and names as the Lua. Differences:
// - the status line is written once: the Lua wrote it again on every send() made before the body started
//   (http-example.lua's send(nil, 200) / send_header / send("Hello") sent it twice);
// - the status line has the status's reason phrase ("404 Not Found"); the Lua always wrote " OK";
// - the interim answer to "Expect: 100-continue" ends with the empty line HTTP requires;
// - a request line that is not `METHOD url HTTP/1.1` gets "400 Bad Request" (the Lua called the handler with
//   nil); the end of the body is reported once (the Lua repeated it for every later chunk);
// - Content-Length counts the UTF-8 bytes of the body, as the Lua (receive gives strings here, not bytes);
// - listen(port, ip) may name the address (tests use 127.0.0.1); without it, every interface as the Lua.
import net from "nodemcu/net";
import type { NetServer, NetSocket } from "nodemcu/net";
import { wrap } from "./fifosock.js";
import type { FifoSend } from "./fifosock.js";

/** The request object of a handler (httpserver.lua make_req). */
export interface Request {
	conn: NetSocket;
	method: string;
	url: string;
	/** Set by the handler: called for each header line, name in lower case. */
	onheader?: (this: Request, name: string, value: string) => void;
	/** Set by the handler: body chunks, then undefined when the whole body (Content-Length bytes) arrived. */
	ondata?: (this: Request, chunk?: string) => void;
}

/** The response object of a handler (httpserver.lua make_res). */
export interface Response {
	/** Write a header line; only before the body started. */
	send_header(name: string, value: string): void;
	/** Write the status line and headers if not yet done, then `data` (if any) as one chunk of the body. */
	send(data?: string | null, status?: number): void;
	/** send(data, status) if data is given, end the body, and close the connection once all was sent. */
	finish(data?: string | null, status?: number): void;
}

export type Handler = (req: Request, res: Response) => void;

const REASONS: Record<number, string> = {
	100: "Continue", 200: "OK", 201: "Created", 204: "No Content", 301: "Moved Permanently", 302: "Found",
	304: "Not Modified", 400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
	411: "Length Required", 413: "Content Too Large", 500: "Internal Server Error", 503: "Service Unavailable",
};

/** Bytes of `s` as UTF-8 (Lua's `#s`). ArrayBuffer.fromString is XS's, on boards too. */
function byteLength(s: string): number {
	return s.length ? ArrayBuffer.fromString(s).byteLength : 0;
}

// ---- request and response objects ----

function make_req(conn: NetSocket, method: string, url: string): Request {
	return { conn, method, url };
}

function make_res(csend: FifoSend, cfini: () => void): Response {
	let statusSent = false;
	let headersDone = false; // Lua: `self.send_header = nil` once the body started
	const res: Response = {
		send(data, status) {
			if (!headersDone && !statusSent) {
				statusSent = true;
				const code = status ?? 200;
				csend(`HTTP/1.1 ${code} ${REASONS[code] ?? "OK"}\r\n`);
				// we use chunked transfer encoding, to not deal with Content-Length
				res.send_header("Transfer-Encoding", "chunked");
			}
			if (data !== undefined && data !== null) {
				// NB: no headers allowed after the response body started
				if (!headersDone) {
					headersDone = true;
					csend("\r\n"); // end of the response headers
				}
				// chunked transfer encoding (an empty chunk would end the body: skip it)
				if (data.length) {
					csend(`${byteLength(data).toString(16).toUpperCase()}\r\n`);
					csend(data);
					csend("\r\n");
				}
			}
		},
		send_header(name, value) {
			if (headersDone) throw new Error("httpserver: headers already sent");
			// NB: quite a naive implementation
			csend(name);
			csend(": ");
			csend(value);
			csend("\r\n");
		},
		// finalize the response, optionally sending data
		finish(data, status) {
			// NB: send() takes care of the response headers
			if (data !== undefined && data !== null) res.send(data, status);
			else if (!headersDone) res.send("", status); // status line and headers only
			// finalize chunked transfer encoding
			csend("0\r\n\r\n");
			// close the connection
			cfini();
		},
	};
	return res;
}

// ---- the HTTP parser ----

function http_handler(handler: Handler): (conn: NetSocket) => void {
	return (conn) => {
		const csend = wrap(conn);

		let req: Request | undefined;
		let res: Response | undefined;
		let buf: string | undefined = "";
		let method: string | undefined;
		let finished = false;

		const ondisconnect = (connection: NetSocket) => {
			connection.on("receive", null);
			connection.on("disconnection", null);
			connection.on("sent", null);
		};

		// close once everything queued before was sent
		const cfini = () => {
			if (finished) return;
			finished = true;
			csend(() => {
				conn.on("sent", null);
				try {
					conn.close();
				}
				catch {
					// the client had already gone
				}
				ondisconnect(conn);
			});
		};

		// header parser
		let cnt_len = 0;
		const onheader = (k: string, v: string) => {
			// parse the content length to know the body length
			if (k === "content-length") cnt_len = Number.parseInt(v, 10) || 0;
			if (k === "expect" && v.toLowerCase() === "100-continue") csend("HTTP/1.1 100 Continue\r\n\r\n");
			// delegate to the request object
			if (req?.onheader) req.onheader(k, v);
		};

		// body data handler
		let body_len = 0;
		let body_done = false;
		const ondata = (_c: NetSocket, chunk: string | ArrayBuffer) => {
			// feed request data to the request handler
			if (!req?.ondata || body_done) return;
			const s = String(chunk);
			if (s.length) req.ondata(s);
			// NB: once the length of seen chunks equals Content-Length, ondata() is called
			body_len += byteLength(s);
			if (body_len >= cnt_len) {
				body_done = true;
				req.ondata();
			}
		};

		const onreceive = (connection: NetSocket, chunk: string | ArrayBuffer) => {
			// merge chunks in the buffer
			buf = buf === undefined ? String(chunk) : buf + String(chunk);
			// consume the buffer line by line
			while (buf.length > 0) {
				// extract a line
				const e = buf.indexOf("\r\n");
				if (e < 0) break;
				const line = buf.slice(0, e);
				buf = buf.slice(e + 2);
				if (method === undefined) {
					// method, url? NB: just version 1.1 assumed
					const m = /^([A-Z]+) (.*?) HTTP\/1\.1$/.exec(line);
					if (!m) {
						method = "";
						connection.on("receive", null);
						buf = undefined;
						make_res(csend, cfini).finish("Bad Request\n", 400);
						return;
					}
					method = m[1];
					// make the request and response objects, then spawn the request handler
					req = make_req(connection, method, m[2]);
					res = make_res(csend, cfini);
					handler(req, res);
				}
				else if (line.length > 0) {
					// a header line
					const h = /^([A-Za-z0-9-]+):\s*(.+)/.exec(line);
					if (h) onheader(h[1].toLowerCase(), h[2]);
				}
				else {
					// end of the headers: the next chunks go directly to the body handler
					connection.on("receive", ondata);
					// the rest of the buffer is the start of the body
					const rest = buf;
					buf = undefined;
					ondata(connection, rest);
					break;
				}
			}
		};

		conn.on("receive", onreceive);
		conn.on("disconnection", ondisconnect);
	};
}

// ---- the HTTP server ----

let srv: NetServer | undefined;

/**
 * Listen on `port` (0: any free port, see srv.getaddr()) and serve every request with `handler`.
 * NB: only one server at a time (as the Lua): a second call closes the first.
 * @param ip optional address to listen on (default: every interface).
 */
export function createServer(port: number, handler: Handler, ip?: string): NetServer {
	if (srv) {
		try {
			srv.close();
		}
		catch {
			// not listening any more
		}
	}
	const s = net.createServer(net.TCP, 15);
	if (ip) s.listen(port, ip, http_handler(handler));
	else s.listen(port, http_handler(handler));
	srv = s;
	return s;
}

export default { createServer };
