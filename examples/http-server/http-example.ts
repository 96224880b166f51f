// The "Hello, world" HTTP server of NodeMCU's lua_modules/http/http-example.lua on httpserver.ts, with the
// same trace lines (+R request, +H header, +B body chunk; without node.heap(), which has no equivalent here).
// Routes: "/" answers exactly as the Lua example ("Hello, world!"); added here so that the other parts of
// the server show: POST/PUT "/echo" answers the request body, "/headers" lists the headers the handler saw,
// any other URL gets 404.
import type { NetServer } from "nodemcu/net";
import { createServer } from "./httpserver.js";

export interface ExampleOptions {
	/** TCP port (default 8081; 0 = any free port). */
	port?: number;
	/** Address to listen on (default: every interface). */
	ip?: string;
}

export function start(options: ExampleOptions = {}): NetServer {
	const srv = createServer(options.port ?? 8081, (req, res) => {
		// analyse method and url
		trace(`+R ${req.method} ${req.url}\n`);
		const headers: string[] = [];
		const body: string[] = [];
		// set up the handler of headers, if any
		req.onheader = (name, value) => {
			trace(`+H ${name} ${value}\n`);
			headers.push(`${name}: ${value}\n`);
		};
		// set up the handler of the body, if any
		req.ondata = (chunk) => {
			trace(`+B ${chunk === undefined ? "end" : chunk.length}\n`);
			if (chunk !== undefined) {
				body.push(chunk);
				return;
			}
			// reply
			if (req.url === "/") {
				res.send(null, 200);
				res.send_header("Connection", "close");
				res.send("Hello, world!\n");
				res.finish();
			}
			else if (req.url === "/echo" && (req.method === "POST" || req.method === "PUT")) {
				res.send(null, 200);
				res.send_header("Content-Type", "text/plain; charset=utf-8");
				res.send_header("Connection", "close");
				// many sends, all queued by fifosock
				for (const part of body) res.send(part);
				res.finish();
			}
			else if (req.url === "/headers") {
				res.send(null, 200);
				res.send_header("Connection", "close");
				res.finish(headers.join(""));
			}
			else {
				res.send(null, 404);
				res.send_header("Connection", "close");
				res.finish(`Not found: ${req.url}\n`);
			}
		};
		// or just do something without waiting for the body (if any) to come:
		// res.finish("Hello, world!");
	}, options.ip);
	const [port] = srv.getaddr();
	trace(`http-server listening on http://127.0.0.1:${port}/\n`);
	return srv;
}
