// `npx xsnet run` as a user runs it: a TypeScript app anywhere on disk (outside the checkout, in a new folder of
// it), compiled alone against the library (compiled once, reused), errors reported with file and line, and
// nothing else in the checkout able to break the run.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { root } from "./support/sim.js";

const exec = promisify(execFile);
const xsnet = path.join(root, "tools", "xsnet.js");

/** Run `xsnet run ...args` in `cwd`; resolves with {code, stdout, stderr} whatever the exit status. */
async function xsnetRun(cwd, ...args) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [xsnet, "run", ...args], { cwd, timeout: 120000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const serverApp = `import net from "nodemcu/net";
import { greeting } from "./helper.ts";
const srv = net.createServer(net.TCP, 30);
srv.listen(0, "127.0.0.1", () => {});
const [port, ip] = srv.getaddr();
trace(\`\${greeting} \${ip} \${port}\\n\`);
srv.close();
`;

describe("xsnet run", function () {
  this.timeout(180000);
  let dir;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "xsnet-run-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("runs a TypeScript app outside the checkout, with a helper it imports, and reuses the compiled app", async () => {
    fs.writeFileSync(path.join(dir, "helper.ts"), 'export const greeting: string = "listening on";\n');
    fs.writeFileSync(path.join(dir, "app.ts"), serverApp);
    const r = await xsnetRun(dir, "app.ts");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^listening on 127\.0\.0\.1 [1-9]\d*\n$/);
    const compiled = fs.readdirSync(path.join(root, "build", "apps")).map((d) => path.join(root, "build", "apps", d, "app.js"))
      .filter((f) => fs.existsSync(f) && fs.readFileSync(f + ".map", "utf8").includes(dir));
    assert.equal(compiled.length, 1);
    const before = fs.statSync(compiled[0]).mtimeMs;
    const again = await xsnetRun(dir, "app.ts");
    assert.match(again.stdout, /^listening on 127\.0\.0\.1 [1-9]\d*\n$/);
    assert.equal(fs.statSync(compiled[0]).mtimeMs, before, "the unchanged app was compiled again");
    // a change of the helper is seen
    fs.writeFileSync(path.join(dir, "helper.ts"), 'export const greeting: string = "bound to";\n');
    assert.match((await xsnetRun(dir, "app.ts")).stdout, /^bound to 127\.0\.0\.1 [1-9]\d*\n$/);
  });

  it("runs an app in a new folder of the checkout, while another app of the checkout does not compile", async () => {
    const folder = fs.mkdtempSync(path.join(root, "examples", "tmp-run-"));
    const broken = path.join(root, "tests", "apps", `tmp-broken-${process.pid}.ts`);
    try {
      fs.writeFileSync(path.join(folder, "helper.ts"), 'export const greeting = "new folder";\n');
      fs.writeFileSync(path.join(folder, "main.ts"), serverApp);
      fs.writeFileSync(broken, "const n: number = 'not a number';\n");
      const r = await xsnetRun(root, path.relative(root, path.join(folder, "main.ts")));
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^new folder 127\.0\.0\.1 [1-9]\d*\n$/);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
      fs.rmSync(broken, { force: true });
    }
  });

  it("reports a type error of the app with file, line and column, and runs nothing", async () => {
    fs.writeFileSync(path.join(dir, "bad.ts"), 'import net from "nodemcu/net";\ntrace("ran\\n");\nnet.createServer("x", 1, 2);\n');
    const r = await xsnetRun(dir, "bad.ts");
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^bad\.ts:3:\d+: error TS\d+: /m);
  });

  it("reports an unknown module with file and line", async () => {
    fs.writeFileSync(path.join(dir, "missing.ts"), '\nimport x from "nodemcu/nope";\ntrace(String(x));\n');
    const r = await xsnetRun(dir, "missing.ts");
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^missing\.ts:2:15: error TS2307: Cannot find module 'nodemcu\/nope'/m);
  });

  it("runs a JavaScript app as it is", async () => {
    fs.writeFileSync(path.join(dir, "plain.js"), 'import net from "nodemcu/net";\ntrace(`${net.TCP} ${net.UDP}\\n`);\n');
    const r = await xsnetRun(dir, "plain.js");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "1 2\n");
  });
});
