// The simulator side of `xsnet repl` (tools/repl.js): puts the APIs in global scope, connects to the console
// on 127.0.0.1:<port> (its first argument) and evaluates each block of JavaScript it receives, one JSON string a
// line (ASCII: other characters as \u escapes), answering one JSON line: {"value": text} or {"error": text}. What the code prints (print(), trace())
// goes to the simulator's standard output, which the console shows above its prompt.
import net from "nodemcu/net";
import socket from "luatos/socket";
import sys from "luatos/sys";
import libnet from "luatos/libnet";
import zbuff from "luatos/zbuff";
import TCP from "embedded:io/socket/tcp";
import args from "xsnet-sim/args";

/** Lua's print: the arguments as text, tab-separated, and a newline. */
function print(...values: unknown[]): void {
  trace(values.map((v) => (typeof v === "string" ? v : show(v))).join("\t") + "\n");
}

/** A short description of a value, as a console shows it. */
function show(v: unknown, depth = 0): string {
  if (typeof v === "string") return depth ? JSON.stringify(v) : JSON.stringify(v);
  if (typeof v === "function") return `[Function ${v.name || "(anonymous)"}]`;
  if (typeof v === "symbol" || typeof v === "bigint") return String(v) + (typeof v === "bigint" ? "n" : "");
  if (v === null || typeof v !== "object") return String(v);
  if (v instanceof Error) return `${v.name}: ${v.message}`;
  if (v instanceof ArrayBuffer) return `ArrayBuffer(${v.byteLength})`;
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${v.byteLength})`;
  if (depth > 1) return Array.isArray(v) ? "[Array]" : "[Object]";
  if (Array.isArray(v)) return `[${v.map((e) => show(e, depth + 1)).join(", ")}]`;
  if (v instanceof Promise) return "Promise";
  const name = v.constructor && v.constructor !== Object ? `${v.constructor.name} ` : "";
  const keys = Object.keys(v);
  const body = keys.slice(0, 20).map((k) => `${k}: ${show((v as Record<string, unknown>)[k], depth + 1)}`);
  if (keys.length > 20) body.push("...");
  return body.length ? `${name}{ ${body.join(", ")} }` : `${name}{}`;
}

Object.assign(globalThis, { net, socket, sys, libnet, zbuff, print });

const console = new TCP({
  address: "127.0.0.1", port: Number(args[0]),
  onReadable(bytes) {
    const received = new Uint8Array(this.read(bytes) as ArrayBuffer);
    for (let i = 0; i < received.length; i++) text += String.fromCharCode(received[i]);
    for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n")) {
      const line = text.slice(0, nl);
      text = text.slice(nl + 1);
      answer(evaluate(JSON.parse(line) as string));
    }
  },
  onError() {
    this.close();   // the console went away
  },
});
let text = "";

function evaluate(code: string): object {
  try {
    const value = (0, eval)(code);
    return { value: show(value) };
  } catch (e) {
    return { error: `Uncaught ${show(e)}` };
  }
}

function answer(message: object): void {
  const json = JSON.stringify(message);
  let line = "";
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    line += c < 0x80 ? json[i] : `\\u${c.toString(16).padStart(4, "0")}`;
  }
  line += "\n";
  const bytes = new Uint8Array(line.length);
  for (let i = 0; i < line.length; i++) bytes[i] = line.charCodeAt(i);
  console.write(bytes.buffer);
}
