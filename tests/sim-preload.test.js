// The simulator preloads as a board build does (hosts/sim/preload.c): the bodies of the modules the manifest
// preloads run first, then what they created behaves as flash does on a device (XS linker: Map/Set/... read-only,
// functions and prototypes frozen, built-ins frozen, native calls refused, warnings for aliasable state).
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { root, simBinary, moduleMap, preloadList, writeModuleMap, readManifest } from "../tools/sim.js";

const fixtures = path.join(root, "tests", "fixtures", "preload");

/** Run the simulator on fixture `main` with a map of the host modules plus fixture/*, preloading `preloads`. */
function run(main, preloads, extra = []) {
  const lines = moduleMap().filter((e) => e[2] === "host").map((e) => e.join("\t"));
  lines.push(`fixture/*\t${path.join(fixtures, "*.js")}`);
  for (const p of preloads) lines.push(`!preload\t${p}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xsnet-preload-"));
  const map = path.join(dir, "modules.map");
  fs.writeFileSync(map, lines.join("\n") + "\n");
  const r = spawnSync(simBinary, ["--map", map, "--timeout", "10", ...extra, path.join(fixtures, main)], { encoding: "utf8" });
  fs.rmSync(dir, { recursive: true, force: true });
  return r;
}

function outcomes(stdout) {
  return Object.fromEntries(stdout.trim().split("\n").map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 2)]));
}

describe("simulator: preloaded modules behave as in flash", function () {
  it("without preloading, every change works (the control)", function () {
    const r = run("main-state.js", []);
    assert.equal(r.status, 0, r.stderr);
    const o = outcomes(r.stdout);
    for (const k of ["set.add", "map.set", "weak.set", "date.setMilliseconds", "fn.x=", "Klass.prototype.extra=",
      "Array.prototype.extra=", "Object.prototype.extra=", "frozenDate.setMilliseconds", "new WeakMap().set(plain)",
      "new WeakSet().add(Klass.prototype)"]) assert.equal(o[k], "ok", `${k}: ${o[k]}`);
    assert.equal(o["Counter.next"], "ok 1");
    assert.equal(o["setHandler"], "ok b");
    assert.equal(o["instance.method="], "ok 2");
  });

  // Every outcome below is what an app built with the Moddable SDK (commit 48ee02d8, mcconfig -m -p lin, the same
  // fixture modules, fixture/state preloaded) printed in mcsim; only the messages' wording differs between XS
  // versions ("this: read-only Set instance" there).
  it("Map, Set, WeakMap and typed arrays made by a preloaded body are read-only; functions, prototypes and built-ins frozen", function () {
    const r = run("main-state.js", ["fixture/state"]);
    assert.equal(r.status, 0, r.stderr);
    const o = outcomes(r.stdout);
    assert.match(o["set.add"], /^TypeError: .*read-only/);
    assert.equal(o["set.has"], "ok false");
    assert.match(o["map.set"], /^TypeError: .*read-only/);
    assert.match(o["weak.set"], /^TypeError: .*read-only/);
    assert.match(o["bytes[0]="], /^TypeError/);
    assert.match(o["fn.x="], /^TypeError/);
    assert.match(o["Klass.prototype.extra="], /^TypeError/);
    assert.match(o["instance.method="], /^TypeError/, "an inherited method is read-only on the frozen prototype");
    assert.match(o["setHandler"], /^TypeError: .*const/, "a module variable holding a function is const");
    assert.match(o["Array.prototype.extra="], /^TypeError/);
    assert.match(o["Object.prototype.extra="], /^TypeError/);
    // what stays writable: ordinary objects, arrays and let variables (aliased in RAM), state made at run time
    assert.equal(o["date.setMilliseconds"], "ok");
    assert.equal(o["plain.count++"], "ok 1");
    assert.equal(o["list.push"], "ok 3");
    assert.equal(o["bump"], "ok 1");
    assert.equal(o["new Set().add"], "ok 1");
    assert.equal(o["globalThis.extra="], "ok 1");
    // petrified in flash: private fields of frozen instances (a class's static ones), a frozen Date; and the weak
    // collections refuse any object in flash as a key
    assert.match(o["Counter.next"], /^TypeError: set #n: not writable/);
    assert.match(o["frozenDate.setMilliseconds"], /^TypeError: .*read-only/);
    assert.equal(o["new WeakMap().set(plain)"], "TypeError: key: read-only");
    assert.equal(o["new WeakSet().add(Klass.prototype)"], "TypeError: value: read-only");
    assert.equal(o["new WeakMap().set({})"], "ok 2");
  });

  it("a native function called from a preloaded body fails, as the XS linker refuses it", function () {
    const r = run("main-empty.js", ["fixture/native"]);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /link: unavailable function \(xs_timer_set called while preloading/, "xsl: TypeError: link: unavailable function");
    assert.doesNotMatch(r.stdout, /main ran/);
  });

  it("prints the linker's warnings (not frozen, no const) for preloaded modules", function () {
    const r = run("main-empty.js", ["fixture/warn"], ["--linker-warnings"]);
    assert.equal(r.status, 0, r.stderr);
    const warnings = r.stderr.split("\n").filter((l) => l.startsWith("### warning"));
    assert.deepEqual(warnings.sort(), [
      // exactly what xsl printed for this fixture (Moddable SDK 48ee02d8)
      "### warning: fixture/warn: f() v: no const",
      "### warning: fixture/warn: o.p: not frozen",
      "### warning: fixture/warn: o: not frozen",
    ]);
    assert.equal(r.stdout, "main ran\n");
    assert.doesNotMatch(run("main-empty.js", ["fixture/warn"]).stderr, /warning/, "only with --linker-warnings");
  });

  it("walks deep exports safely, and lets a preloaded body trace (xsl runs trace at build time)", function () {
    const r = run("main-empty.js", ["fixture/deep"], ["--linker-warnings"]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "traced while preloading\nmain ran\n");
    const warnings = r.stderr.split("\n").filter((l) => l.startsWith("### warning"));
    assert.equal(warnings.length, 81, r.stderr.slice(0, 2000));    // the 81 unfrozen objects, each once
    assert.match(warnings[0], /^### warning: fixture\/deep: deep: not frozen$/);
  });

  it("preloads every module of the manifest's preload list, and xsnet's own modules leave nothing unfrozen", function () {
    const list = preloadList();
    for (const m of ["nodemcu/net", "xsnet/core/tcp", "xsnet/core/idle", "xsnet/core/ping", "xsnet/dns/resolver",
      "embedded:network/dns/resolver/udp", "xsnet/native"]) assert.ok(list.includes(m), `${m} in ${list}`);
    const compiled = fs.readdirSync(path.join(root, "build", "js", "src", "core")).filter((f) => f.endsWith(".js"));
    assert.equal(list.filter((m) => m.startsWith("xsnet/core/")).length, compiled.length);
    const map = writeModuleMap();
    const r = spawnSync(simBinary, ["--map", map, "--linker-warnings", "--timeout", "10",
      path.join(root, "build", "js", "tests", "apps", "smoke.js")], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /not frozen|### error/);
    assert.ok(readManifest().preload.length > 0);
  });
});
