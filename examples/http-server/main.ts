// NodeMCU's HTTP server example (lua_modules/http: httpserver.lua + http-example.lua) on port 8081:
//   npx xsnet run examples/http-server/main.ts
//   curl -i http://127.0.0.1:8081/          curl -d 'some data' http://127.0.0.1:8081/echo
// The Lua listens on port 80; a desktop needs root below 1024. On a board, use 80 if you like.
import { start } from "./http-example.js";

const PORT = 8081;

start({ port: PORT });
