// LuatOS's `sysplus`: upstream merged it into `sys` (script/corelib/sys.lua "并入原本的sysplus"), so it is the
// same module object, with the same named exports.
export * from "luatos/sys";
export { default } from "luatos/sys";
