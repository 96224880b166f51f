// The fifosock module of examples/fifosock, for httpserver.ts (httpserver.lua does `require "fifosock"`).
// In the simulator this forwards to ../fifosock; a board's manifest maps the module names "fifosock" and
// "fifo" straight to ../fifosock/fifosock and ../fifosock/fifo instead (see examples/README.md).
export * from "../fifosock/fifosock.js";
