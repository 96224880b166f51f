// The soak's simulator process and its control connection: Node listens on 127.0.0.1, starts the soak app
// (tools/soak/apps/soak.ts) with that port, and sends it one command per line, awaiting one reply line each.
import net from "node:net";
import fs from "node:fs";
import { spawn } from "node:child_process";
import { simCommand } from "../sim.js";

/**
 * Start the simulator running the soak app.
 * @param {{timeout: number}} opts timeout: seconds after which the simulator exits on its own (124)
 * @returns {Promise<{pid: number, command: (line: string) => Promise<string>, fds: () => number,
 *   exited: Promise<number>, stderr: () => string, kill: () => void}>}
 */
export async function startSim({ timeout }) {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { file, argv } = simCommand("tools/soak/apps/soak.ts", { args: [server.address().port], timeout });
  const child = spawn(file, argv, { stdio: ["ignore", "inherit", "pipe"] });
  let err = "";
  child.stderr.on("data", (d) => { err += d; process.stderr.write(d); });
  const exited = new Promise((resolve) => child.on("close", (code) => resolve(code)));
  const conn = await Promise.race([
    new Promise((resolve) => server.once("connection", resolve)),
    exited.then((code) => { throw new Error(`simulator exited ${code} before connecting: ${err}`); }),
  ]);
  server.close();
  conn.setEncoding("utf8");
  let buffered = "";
  const waiting = [];
  conn.on("data", (d) => {
    buffered += d;
    let nl;
    while ((nl = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      const w = waiting.shift();
      if (w) w.resolve(line);
    }
  });
  conn.on("close", () => { for (const w of waiting.splice(0)) w.reject(new Error(`control connection closed: ${err}`)); });
  return {
    pid: child.pid,
    /** Send one command; resolves with the app's reply line. */
    command(line) {
      return new Promise((resolve, reject) => { waiting.push({ resolve, reject }); conn.write(line + "\n"); });
    },
    /** Open descriptors of the simulator process (entries of /proc/<pid>/fd). */
    fds: () => fs.readdirSync(`/proc/${child.pid}/fd`).length,
    /** Resident set size of the simulator process, in bytes (VmRSS of /proc/<pid>/status). */
    rss: () => Number(fs.readFileSync(`/proc/${child.pid}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/)[1]) * 1024,
    exited,
    stderr: () => err,
    kill: () => child.kill("SIGKILL"),
  };
}
