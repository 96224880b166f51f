// tests/ported-http-server.test.js: the HTTP server example (examples/http-server) on 127.0.0.1, port args[0]
// (default 0 = any free port; the test reads it from "listening on http://127.0.0.1:PORT/").
import args from "xsnet-sim/args";
import { start } from "../../examples/http-server/http-example.js";

start({ port: Number(args[0] ?? 0), ip: "127.0.0.1" });
