// fifosock demo (NodeMCU lua_modules/fifo): first the checks of fifosocktest.lua against a fake socket,
// then a TCP server on port 8083 that streams a known text to each client through fifosock.
//   npx xsnet run examples/fifosock/main.ts       then: nc 127.0.0.1 8083 | tail -c 200
import { runFifosockTest } from "./fifosocktest.js";
import { start } from "./stream.js";

const PORT = 8083;

trace(runFifosockTest() + "\n");
start({ port: PORT });
