// Test-side helpers: run a compiled app in the simulator and watch its output.
// Node only orchestrates: the app itself runs inside XS (hosts/sim).
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { simCommand } from "../../tools/sim.js";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Start an app in the simulator.
 * @param {string} app  path of the app relative to the project root, as TypeScript source
 *   (e.g. "tests/apps/udp-echo.ts"); the compiled module under build/js is run (npm test compiles first).
 * @param {{args?: string[], dns?: string[], heap?: number, stack?: number, timeout?: number, env?: object}} [opts]
 *   args: given to the app as `import args from "xsnet-sim/args"`; dns: DNS servers ("ip" or "ip:port");
 *   timeout: seconds before the simulator kills itself (default 30).
 */
export function startApp(app, opts = {}) {
  const { file, argv } = simCommand(app, opts);
  const proc = spawn(file, argv, { cwd: root, env: { ...process.env, ...(opts.env || {}) }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const waiters = new Set();
  const check = () => {
    for (const w of waiters) {
      const m = stdout.slice(w.from).match(w.re);
      if (m) { waiters.delete(w); clearTimeout(w.timer); w.resolve(m); }
    }
  };
  proc.stdout.setEncoding("utf8");
  proc.stderr.setEncoding("utf8");
  proc.stdout.on("data", (d) => { stdout += d; check(); });
  proc.stderr.on("data", (d) => { stderr += d; });
  const exited = new Promise((resolve) => {
    proc.on("close", (code, signal) => {
      for (const w of waiters) { clearTimeout(w.timer); w.reject(new Error(`app exited (${code}) before ${w.re}\nstdout:\n${stdout}\nstderr:\n${stderr}`)); }
      waiters.clear();
      resolve({ code, signal, stdout, stderr });
    });
  });
  let mark = 0;
  return {
    proc,
    exited,
    get stdout() { return stdout; },
    get stderr() { return stderr; },
    /** Resolve with the match of `re` in output printed after the previous waitFor's match (or from the start). */
    waitFor(re, ms = 10000) {
      return new Promise((resolve, reject) => {
        const w = { re, from: mark, resolve: (m) => { mark = w.from + m.index + m[0].length; resolve(m); }, reject };
        w.timer = setTimeout(() => { waiters.delete(w); reject(new Error(`timed out waiting for ${re}\nstdout:\n${stdout}\nstderr:\n${stderr}`)); }, ms);
        waiters.add(w);
        check();
      });
    },
    kill() { if (proc.exitCode === null) proc.kill("SIGKILL"); return exited; },
  };
}

/** Run an app to completion; resolves with {code, stdout, stderr}. */
export async function runApp(app, opts = {}) {
  return startApp(app, opts).exited;
}
