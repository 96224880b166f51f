#!/usr/bin/env node
// Compile the project's TypeScript into build/js from scratch: tsc never deletes the output of a
// source that is gone, and a stale module there would be picked up by the manifest's wildcards.
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { root, jsRoot } from "./sim.js";

export function compile({ clean = true } = {}) {
  if (clean) fs.rmSync(jsRoot, { recursive: true, force: true });
  const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", root], { stdio: "inherit" });
  if (r.status !== 0) throw new Error("TypeScript compilation failed");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    compile();
  } catch (e) {
    console.error(`xsnet: ${e.message}`);
    process.exit(1);
  }
}
