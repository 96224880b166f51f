// xsnet as a dependency of a user's project, as npm delivers it: `npm pack`, the tarball installed into a fresh
// folder (npm registry for the other dependencies), `npx xsnet init .`, then the project type-checks strict code
// against nodemcu/net and luatos/* (typescript and @moddable/typings hoisted out of xsnet's folder), and
// `npm start` runs main.ts in the simulator, answering curl. Slow (a few minutes: npm install builds the simulator).
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { root } from "./support/sim.js";

const exec = promisify(execFile);

async function sh(cwd, file, args, timeout = 120000) {
  try {
    const { stdout, stderr } = await exec(file, args, { cwd, timeout, maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("xsnet installed from its npm tarball", function () {
  this.timeout(20 * 60 * 1000);
  let dir, project, tarball;
  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "xsnet-pack-"));
    project = path.join(dir, "my-app");
    fs.mkdirSync(project);
    const packed = await sh(root, "npm", ["pack", "--pack-destination", dir], 600000);
    assert.equal(packed.code, 0, packed.stderr);
    tarball = path.join(dir, packed.stdout.trim().split("\n").pop());
    assert.equal((await sh(project, "npm", ["init", "-y"])).code, 0);
    const installed = await sh(project, "npm", ["install", "--no-audit", "--no-fund", tarball], 15 * 60 * 1000);
    assert.equal(installed.code, 0, installed.stderr);
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it("ships the compiled library with its declarations, and not the tests", () => {
    const pkg = path.join(project, "node_modules", "xsnet");
    for (const f of ["build/js/src/nodemcu/net.js", "build/js/src/nodemcu/net.d.ts", "build/js/src/luatos/socket.d.ts",
      "manifest.json", "tsconfig.app.json", "types/app.d.ts", "build/sim/xsnet-sim", "build/sim-debug/xsnet-sim"])
      assert.ok(fs.existsSync(path.join(pkg, f)), `${f} missing`);
    assert.ok(!fs.existsSync(path.join(pkg, "tests")));
    // typescript and @moddable/typings were hoisted out of xsnet's folder: found by module resolution
    assert.ok(fs.existsSync(path.join(project, "node_modules", "typescript", "package.json")));
    assert.ok(!fs.existsSync(path.join(pkg, "node_modules", "typescript")));
  });

  it("xsnet init makes a project whose strict code type-checks against nodemcu/net and luatos/*", async () => {
    const r = await sh(project, "npx", ["xsnet", "init", "."]);
    assert.equal(r.code, 0, r.stderr);
    for (const f of ["main.ts", "manifest.json", "tsconfig.json"]) assert.ok(fs.existsSync(path.join(project, f)), f);
    const manifest = JSON.parse(fs.readFileSync(path.join(project, "manifest.json"), "utf8"));
    assert.ok(manifest.include.every((m) => m.startsWith("$(MODDABLE)") || fs.existsSync(path.join(project, m))));
    const pkg = JSON.parse(fs.readFileSync(path.join(project, "package.json"), "utf8"));
    assert.equal(pkg.scripts.start, "xsnet run main.ts");
    assert.match(pkg.scripts["build:esp32"], /^mcconfig .*-p esp32/);
    fs.writeFileSync(path.join(project, "luatos-app.ts"), `import socket from "luatos/socket";
import zbuff from "luatos/zbuff";
const buf = zbuff.create(64);
const ctrl = socket.create(undefined, (c, event, param) => { if (event === socket.EVENT && param === 0) socket.rx(c, buf); });
socket.config(ctrl);
trace(\`\${buf.used()}\\n\`);
`);
    const ok = await sh(project, "npx", ["tsc", "-p", "."]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    // the types are real: a wrong use of nodemcu/net fails with its line
    fs.writeFileSync(path.join(project, "wrong.ts"), 'import net from "nodemcu/net";\n\nconst t: string = net.TCP;\n');
    const bad = await sh(project, "npx", ["tsc", "-p", "."]);
    fs.rmSync(path.join(project, "wrong.ts"));
    assert.notEqual(bad.code, 0);
    assert.match(bad.stdout, /wrong\.ts\(3,7\): error TS2322: Type '(1|number)' is not assignable to type 'string'/);
  });

  it("npm start runs main.ts in the simulator, with the library compiled by npm pack", async () => {
    const stamp = path.join(project, "node_modules", "xsnet", "build", "js", "src", ".xsnet-lib-stamp");
    const packedTime = fs.statSync(stamp).mtimeMs;
    const proc = spawn("npm", ["start", "--silent"], { cwd: project, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let out = "";
    proc.stdout.on("data", (d) => { out += d; });
    proc.stderr.on("data", (d) => { out += d; });
    try {
      for (let i = 0; i < 600 && !/listening on/.test(out); i++) await new Promise((r) => setTimeout(r, 100));
      assert.match(out, /listening on http:\/\/0\.0\.0\.0:8080\//);
      const { stdout } = await exec("curl", ["-sS", "--max-time", "10", "http://127.0.0.1:8080/"]);
      assert.match(stdout, /<h1> Hello, NodeMCU\.<\/h1>/);
      for (let i = 0; i < 50 && !/GET \/ HTTP/.test(out); i++) await new Promise((r) => setTimeout(r, 100));
      assert.match(out, /GET \/ HTTP\/1\.1\n/);
    } finally {
      try {
        process.kill(-proc.pid, "SIGTERM");
      } catch {
        // it ended by itself (the assertion above then says why): nothing to stop
      }
    }
    assert.equal(fs.statSync(stamp).mtimeMs, packedTime, "the installed library was compiled again");
  });
});
