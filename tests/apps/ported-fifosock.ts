// tests/ported-fifosock.test.js: the fifosock demo (examples/fifosock): fifosocktest's checks, then the
// streaming server on 127.0.0.1, port args[0] (default 0 = any free port: "fifosock demo listening on PORT").
import args from "xsnet-sim/args";
import { runFifosockTest } from "../../examples/fifosock/fifosocktest.js";
import { start } from "../../examples/fifosock/stream.js";

trace(runFifosockTest() + "\n");
start({ port: Number(args[0] ?? 0), ip: "127.0.0.1" });
