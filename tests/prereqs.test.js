// tools/prereqs.js, the one list of system tools that `npm install` and `npm test` install (as root on Debian) or
// stop on at once. The fresh machine is played by a private mount namespace in which dnsmasq and lwIP's headers
// are hidden (nothing is uninstalled): as root the step would install their packages, as another user it stops
// with one line naming them.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PREREQS, missing, toolPath, stopLine } from "../tools/prereqs.js";
import { root } from "./support/sim.js";

const script = path.join(root, "tools", "prereqs.js");

/** Run `node tools/prereqs.js ...args` in a mount namespace where `hide` (absolute paths) are hidden; `user` runs it as that user. */
function runHiding(hide, args, user) {
  const mounts = hide.map((f) => (fs.statSync(f).isDirectory() ? `mount -t tmpfs none '${f}'` : `mount --bind /dev/null '${f}'`));
  const as = user ? `setpriv --reuid=${user} --regid=${user === "nobody" ? "nogroup" : user} --clear-groups ` : "";
  const sh = [...mounts, `exec ${as}'${process.execPath}' '${script}' ${args.join(" ")}`].join(" && ");
  return spawnSync("unshare", ["--mount", "sh", "-c", sh], { cwd: os.tmpdir(), encoding: "utf8" });
}

describe("prerequisites (tools/prereqs.js)", function () {
  const mountNs = () => process.getuid?.() === 0 && spawnSync("unshare", ["--mount", "true"]).status === 0;
  const dnsmasq = () => fs.realpathSync(toolPath("dnsmasq"));
  const lwip = "/usr/include/lwip";

  it("lists each tool once with its Debian package, and finds what npm test installed", () => {
    const names = PREREQS.map((p) => p.command ?? p.file);
    assert.equal(new Set(names).size, names.length);
    for (const p of PREREQS) assert.match(p.deb, /^[a-z0-9][a-z0-9.+-]+$/, p.deb);
    assert.deepEqual(missing("test").map((p) => p.deb), [], "npm test's first step installs them all");
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "xsnet-empty-"));
    try {
      assert.equal(toolPath("dnsmasq", [empty]), null);
      assert.equal(toolPath("sh", [empty, "/bin"]), "/bin/sh");
    } finally {
      fs.rmSync(empty, { recursive: true });
    }
  });

  it("as root on Debian, names the packages it installs for what is missing (dry run)", function () {
    if (!mountNs()) this.skip(); // needs root
    const r = runHiding([dnsmasq(), lwip], ["test", "--dry-run"]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "xsnet: npm test: would install dnsmasq-base liblwip-dev with apt-get (for dnsmasq, lwIP headers)\n");
    // the build group does not need them
    const b = runHiding([dnsmasq(), lwip], ["build", "--dry-run"]);
    assert.equal(b.status, 0, b.stderr);
    assert.equal(b.stdout + b.stderr, "");
  });

  it("not root: stops at once with one line naming what to install", function () {
    if (!mountNs()) this.skip(); // needs root to hide the files and change user
    const started = Date.now();
    const r = runHiding([dnsmasq(), lwip], ["test"], "nobody");
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stdout, "");
    const lacking = PREREQS.filter((p) => p.deb === "dnsmasq-base" || p.deb === "liblwip-dev");
    assert.equal(r.stderr, stopLine(lacking, "test", "not root") + "\n");
    assert.match(r.stderr, /^xsnet: npm test needs dnsmasq, lwIP headers, not installed \(not root\): run `apt-get install dnsmasq-base liblwip-dev` as root/);
    assert.ok(Date.now() - started < 5000);
  });

  it("with everything present, says nothing and succeeds, as any user", function () {
    const r = spawnSync(process.execPath, [script, "test"], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout + r.stderr, "");
    if (!mountNs()) return;
    const n = runHiding([], ["test"], "nobody");
    assert.equal(n.status, 0, n.stderr);
    assert.equal(n.stdout + n.stderr, "");
  });
});
