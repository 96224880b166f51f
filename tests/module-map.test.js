// manifest.json is the one source of the module map: the simulator's map is generated from it, and
// tsconfig.json's paths must agree with it (a drift fails here).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { root, moduleMap, manifestModules, readManifest } from "../tools/sim.js";

const SIM_ONLY = ["embedded:io/socket/tcp", "embedded:io/socket/udp", "embedded:io/socket/listener",
  "embedded:io/socket/tcp/tls", "modules", "timer",
  "text/decoder", "text/encoder", "xsnet-sim/args", "xsnet-sim/heap", "xsnet-sim/clock"];

/** tsconfig.json's compilerOptions.paths (tsconfig allows no comments here, so JSON.parse reads it). */
function tsPaths() {
  return JSON.parse(fs.readFileSync(path.join(root, "tsconfig.json"), "utf8")).compilerOptions.paths;
}

describe("module map: manifest.json is the one source", function () {
  it("the simulator maps exactly the manifest's modules plus the host and simulator-only ones", function () {
    const manifest = readManifest();
    const map = moduleMap(manifest);
    const specifiers = map.map((e) => e[0]);
    assert.deepEqual(specifiers.filter((s) => !SIM_ONLY.includes(s)).sort(), Object.keys(manifestModules(manifest)).sort());
    for (const [specifier, paths] of Object.entries(manifestModules(manifest))) {
      const entry = map.find((e) => e[0] === specifier);
      assert.equal(entry[1], path.resolve(root, paths[0]) + ".js", specifier);
    }
  });

  it("every platform of the manifest maps the same specifiers (a board and the simulator see one API)", function () {
    const manifest = readManifest();
    const base = Object.keys(manifestModules(manifest, "esp32")).sort();
    for (const p of ["esp", "lin", "mac"]) assert.deepEqual(Object.keys(manifestModules(manifest, p)).sort(), base, p);
  });

  it("tsconfig.json's paths agree with the manifest's TypeScript modules", function () {
    const ts = tsPaths();
    const fromManifest = {};
    for (const [specifier, paths] of Object.entries(manifestModules())) {
      const m = /^\.\/build\/js\/(.+)$/.exec(paths[0]);
      if (m) fromManifest[specifier] = [m[1]];
    }
    assert.deepEqual(ts, fromManifest);
    for (const [specifier, [target]] of Object.entries(ts)) {
      const dir = path.join(root, path.dirname(target));
      assert.ok(fs.existsSync(dir), `${specifier} -> ${target}: no folder ${dir}`);
    }
  });
});
