// `xsnet repl`: an interactive console on the simulator, as NodeMCU's serial Lua console is used. Node does the
// line editing (readline: history, Ctrl-C clears the line, Ctrl-D leaves) and sends each complete block to the
// simulator, which runs tools/repl/app.ts: `net`, `socket`, `sys`, `libnet`, `zbuff` and `print` in global scope.
// What the code prints (events from sockets too) appears above the prompt as it happens.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import vm from "node:vm";
import { simCommand } from "./sim.js";

const historyFile = path.join(os.homedir(), ".xsnet_repl_history");
const HISTORY = 500;

/** Whether `code` is an unfinished block (more lines to come), as Node's REPL decides: a parse that ends early. */
export function incomplete(code) {
  try {
    new vm.Script(code);
    return false;
  } catch (e) {
    return e instanceof SyntaxError && /Unexpected end of input|Unterminated template/.test(e.message);
  }
}

/**
 * A block as global code that keeps its declarations for the next blocks: top-level `let`/`const` become `var`,
 * `class C {}` becomes `var C = class C {}` (each block is a separate indirect eval, whose lexical declarations
 * would end with it); TypeScript annotations are removed.
 */
export function globalCode(ts, code) {
  const source = ts.createSourceFile("repl.ts", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const edits = [];
  for (const s of source.statements) {
    if (ts.isVariableStatement(s) && (s.declarationList.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const))) {
      const start = s.declarationList.getStart(source);
      const keyword = code.slice(start).match(/^(let|const)/)[0];
      edits.push([start, start + keyword.length, "var"]);
    } else if (ts.isClassDeclaration(s) && s.name) {
      edits.push([s.getStart(source), s.getStart(source), `var ${s.name.text} = `]);
    }
  }
  for (const [from, to, text] of edits.reverse()) code = code.slice(0, from) + text + code.slice(to);
  const out = ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None,
    removeComments: false, verbatimModuleSyntax: false } }).outputText;
  return out.replace(/^"use strict";\n/, "");
}

/** JSON text in ASCII (the simulator side reads bytes as characters). */
function asciiJSON(value) {
  return JSON.stringify(value).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * Run the console until Ctrl-D. `app`: the compiled tools/repl/app.ts; `opts`: simulator options (dns, netif).
 * @returns {Promise<number>} exit status
 */
export async function repl(app, ts, opts = {}) {
  const input = process.stdin;
  const output = process.stdout;
  let history = [];
  try { history = fs.readFileSync(historyFile, "utf8").split("\n").filter(Boolean).reverse().slice(0, HISTORY); } catch { /* none yet */ }
  const rl = readline.createInterface({ input, output, prompt: "> ", history, historySize: HISTORY, terminal: input.isTTY && output.isTTY });
  rl.on("history", (h) => { try { fs.writeFileSync(historyFile, [...h].reverse().join("\n") + "\n"); } catch { /* read-only home */ } });

  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  let sim, conn, waiting = null, buffer = "", closing = false, answerText = "";
  const show = (text) => {
    // print above the prompt and redraw it with what was typed so far
    if (waiting || !rl.terminal) { output.write(text); return; }
    readline.clearLine(output, 0);
    readline.cursorTo(output, 0);
    output.write(text.endsWith("\n") ? text : text + "\n");
    rl.prompt(true);
  };
  const prompt = () => { rl.setPrompt(buffer ? "... " : "> "); rl.prompt(); };

  function start() {
    const { file, argv } = simCommand(app, { ...opts, debug: true, timeout: 0, args: [String(server.address().port)] });
    sim = spawn(file, argv, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, XSNET_XSBUG: "" } });
    sim.stdout.setEncoding("utf8");
    sim.stderr.setEncoding("utf8");
    sim.stdout.on("data", show);
    sim.stderr.on("data", show);
    sim.on("close", (code) => {
      conn = null;
      if (closing) return;
      // an exception in a callback ends the simulator, as an unprotected Lua error reboots a NodeMCU board
      show(`(the simulator exited with status ${code}; starting a new one: globals are gone)\n`);
      if (waiting) { const w = waiting; waiting = null; w(); }
      start();
    });
  }
  const connected = new Promise((resolve) => {
    server.on("connection", (socket) => {
      conn = socket;
      socket.setEncoding("utf8");
      socket.on("data", (d) => {
        answerText += d;
        for (let nl = answerText.indexOf("\n"); nl >= 0; nl = answerText.indexOf("\n")) {
          const message = JSON.parse(answerText.slice(0, nl));
          answerText = answerText.slice(nl + 1);
          const w = waiting;
          waiting = null;
          output.write(`${message.error ?? message.value}\n`);
          if (w) w();
        }
      });
      socket.on("error", () => {});
      resolve();
    });
  });
  start();
  let queue = connected.then(() => {
    output.write("xsnet repl: net, socket, sys, libnet, zbuff and print() are in scope; Ctrl-D leaves\n");
    prompt();
  });

  rl.on("SIGINT", () => {
    if (buffer || rl.line) { buffer = ""; output.write("\n"); rl.write(null, { ctrl: true, name: "u" }); prompt(); }
    else { output.write("\n(To leave, press Ctrl-D)\n"); prompt(); }
  });
  // one block at a time, in the order typed (or pasted)
  rl.on("line", (line) => { queue = queue.then(() => handle(line)); });
  async function handle(line) {
    buffer = buffer ? `${buffer}\n${line}` : line;
    if (incomplete(buffer)) { prompt(); return; }
    const code = buffer;
    buffer = "";
    if (!code.trim()) { prompt(); return; }
    let js;
    try { js = globalCode(ts, code); } catch { js = code; }
    while (!conn) await new Promise((r) => setTimeout(r, 20));
    await new Promise((resolve) => { waiting = resolve; conn.write(asciiJSON(js) + "\n"); });
    prompt();
  }
  return new Promise((resolve) => {
    rl.on("close", () => queue.then(() => {
      closing = true;
      output.write("\n");
      if (sim && sim.exitCode === null) sim.kill("SIGTERM");
      server.close();
      resolve(0);
    }));
  });
}
