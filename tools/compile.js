#!/usr/bin/env node
// Compiling TypeScript for the simulator and for boards.
//
// - compile(): the whole project (library, examples, test and benchmark apps) into build/js, from scratch: tsc
//   never deletes the output of a source that is gone, and a stale module there would be picked up by the
//   manifest's wildcards. `npm run build` and `npm test` use it.
// - compileLibrary(): only the library (src/, with declarations and source maps) into build/js/src, skipped when its sources
//   have not changed since the last time (a stamp of their contents). `xsnet run` and `xsnet repl` use it, so
//   that nothing outside src/ (an example, a test app) can break someone's run.
// - compileApp(file): one app (and the files it imports by relative paths), anywhere on disk, type-checked
//   against the library's declarations, into a cache folder of build/apps; skipped when none of its sources
//   changed. Errors come as `file:line:column: error TSnnnn: message`.
// typescript and @moddable/typings are found by Node's module resolution, so that this works in a user's
// project, where npm hoists them out of xsnet's folder.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { root, jsRoot } from "./sim.js";

const require = createRequire(import.meta.url);

/** An error whose message is meant for the user as is (compiler diagnostics). */
export class CompileError extends Error {}

/** Path of a file of an npm package, found as Node finds packages from xsnet's folder. */
function packageFile(pkg, file) {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
}

/** The TypeScript compiler's command line entry (tsc). */
export function tscPath() {
  return packageFile("typescript", "bin/tsc");
}

/** The declaration files every app and the library are checked with: xsnet's types/ and Moddable's typings. */
export function declarationFiles() {
  const typings = ["xs.d.ts", "timer.d.ts", "modules.d.ts", "text/decoder.d.ts", "text/encoder.d.ts", "embedded_io/_common.d.ts"];
  const own = fs.readdirSync(path.join(root, "types")).filter((f) => f.endsWith(".d.ts")).sort()
    .map((f) => path.join(root, "types", f));
  return [...own, ...typings.map((f) => packageFile("@moddable/typings", f)).filter((f) => fs.existsSync(f))];
}

/** Compile the whole project with tsconfig.json (`clean`: empty build/js first). */
export function compile({ clean = true } = {}) {
  if (clean) fs.rmSync(jsRoot, { recursive: true, force: true });
  const r = spawnSync(process.execPath, [tscPath(), "-p", root], { stdio: "inherit" });
  if (r.status !== 0) throw new CompileError("TypeScript compilation failed");
}

/** A hash of the files' names and contents; names inside xsnet or a node_modules folder count from there, so
 * that the library's stamp made by `npm pack` holds once installed. */
function hashFiles(files, extra = "") {
  const h = crypto.createHash("sha256").update(extra);
  for (const f of files) {
    const rel = path.relative(root, f);
    const name = rel.startsWith("..") || rel.startsWith("node_modules") ? f.replace(/^.*\/node_modules\//, "") : rel;
    h.update(name).update("\0").update(fs.readFileSync(f)).update("\0");
  }
  return h.digest("hex");
}

function listTs(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listTs(p));
    else if (e.name.endsWith(".ts")) out.push(p);
  }
  return out.sort();
}

let ts;
/** The TypeScript compiler's API (loaded once). */
export async function typescript() {
  ts ??= (await import(packageFile("typescript", "lib/typescript.js"))).default;
  return ts;
}

/** Compiler options shared by the library and apps (the project's tsconfig.json, as the TypeScript API wants). */
function baseOptions(ts) {
  return {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022, moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2022.d.ts"], types: [], strict: true, noImplicitOverride: true, noFallthroughCasesInSwitch: true,
    skipLibCheck: true, newLine: ts.NewLineKind.LineFeed,
  };
}

function format(ts, diagnostics) {
  return diagnostics.map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    if (!d.file) return `error TS${d.code}: ${text}`;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    return `${path.relative(process.cwd(), d.file.fileName) || d.file.fileName}:${line + 1}:${character + 1}: error TS${d.code}: ${text}`;
  }).join("\n");
}

const libStamp = path.join(jsRoot, "src", ".xsnet-lib-stamp");

/** The stamp of the library's sources: its .ts files, the declarations and the compiler's version. */
async function librarySourcesHash() {
  const files = [...listTs(path.join(root, "src")), ...declarationFiles()];
  // the compiler's version and this file's way of compiling (bump "lib-2" when the options change)
  return hashFiles(files, `lib-2 ${require(packageFile("typescript", "package.json")).version}`);
}

/**
 * Compile the library (src/) into build/js/src with declarations, unless the stamp says it is up to date.
 * @returns {Promise<boolean>} true when it compiled
 * @throws CompileError with the diagnostics (file:line:column) when the library does not compile
 */
export async function compileLibrary() {
  const hash = await librarySourcesHash();
  if (fs.existsSync(libStamp) && fs.readFileSync(libStamp, "utf8") === hash) return false;
  const ts = await typescript();
  const options = {
    ...baseOptions(ts), rootDir: root, outDir: jsRoot, declaration: true, noEmitOnError: true, sourceMap: true,
    baseUrl: root, paths: { "nodemcu/*": ["src/nodemcu/*"], "nodemcu/tls": ["src/tls/nodemcu"], "xsnet/core/*": ["src/core/*"],
      "xsnet/dns/*": ["src/dns/*"], "luatos/*": ["src/luatos/*"] },
  };
  const program = ts.createProgram([...listTs(path.join(root, "src")), ...declarationFiles()], options);
  const result = program.emit();
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics];
  if (diagnostics.length) throw new CompileError(format(ts, diagnostics));
  fs.writeFileSync(libStamp, hash);
  return true;
}

/** The library's specifiers as tsconfig paths to its compiled declarations in build/js/src. */
function libraryPaths() {
  const src = path.join(jsRoot, "src");
  return { "nodemcu/*": [`${src}/nodemcu/*`], "nodemcu/tls": [`${src}/tls/nodemcu`], "xsnet/core/*": [`${src}/core/*`],
    "xsnet/dns/*": [`${src}/dns/*`],
    "luatos/*": [`${src}/luatos/*`] };
}

/** Options of an app: the library's specifiers go to its declarations in build/js/src. */
function appOptions(ts) {
  return { ...baseOptions(ts), paths: libraryPaths(), allowImportingTsExtensions: true, rewriteRelativeImportExtensions: true };
}

/**
 * Type-check TypeScript files as apps (call compileLibrary() first); emits nothing.
 * @param {string[]} files
 * @returns {Promise<string>} the diagnostics, `file:line:column: error TSnnnn: message` lines; "" when none
 */
export async function typeCheck(files) {
  const ts = await typescript();
  const program = ts.createProgram([...files, ...declarationFiles()], { ...appOptions(ts), noEmit: true });
  return format(ts, ts.getPreEmitDiagnostics(program));
}

/** The cache folder of the app `file` (absolute): build/apps/<hash of its folder>. */
export function appCacheDir(file) {
  const dir = path.dirname(file);
  const tag = crypto.createHash("sha256").update(dir).digest("hex").slice(0, 12);
  return path.join(root, "build", "apps", `${path.basename(dir).replace(/[^\w.-]/g, "_")}-${tag}`);
}

/**
 * Compile one app written in TypeScript, with what it imports by relative paths, against the library's
 * declarations (call compileLibrary() first). Nothing else is compiled: an error elsewhere cannot stop it.
 * @param {string} file the app's .ts file (any folder)
 * @returns {Promise<{js: string, map: string, compiled: boolean}>} the module to run and its source map;
 *   compiled false when the cache was up to date
 * @throws CompileError with the diagnostics (file:line:column)
 */
export async function compileApp(file) {
  const abs = path.resolve(file);
  const outDir = appCacheDir(abs);
  const stampFile = path.join(outDir, `${path.basename(abs)}.stamp.json`);
  const libHash = fs.existsSync(libStamp) ? fs.readFileSync(libStamp, "utf8") : "";
  const js = (base, f) => path.join(outDir, path.relative(base, f).replace(/\.(m?ts)$/, (m) => (m === ".mts" ? ".mjs" : ".js")));
  try {
    const stamp = JSON.parse(fs.readFileSync(stampFile, "utf8"));
    if (stamp.lib === libHash && stamp.hash === hashFiles(stamp.files) && fs.existsSync(stamp.js))
      return { js: stamp.js, map: stamp.js + ".map", compiled: false };
  } catch { /* no stamp or a source gone: compile */ }
  const ts = await typescript();
  const options = { ...appOptions(ts), sourceMap: true, noEmitOnError: true };
  const program = ts.createProgram([abs, ...declarationFiles()], options);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length) throw new CompileError(format(ts, diagnostics));
  // the app's own sources: every source file that is not a declaration
  const sources = program.getSourceFiles().filter((s) => !s.isDeclarationFile).map((s) => path.resolve(s.fileName));
  let base = path.dirname(abs);
  for (const s of sources) while (path.relative(base, s).startsWith("..")) base = path.dirname(base);
  const result = program.emit(undefined, (name, text) => {
    // tsc writes next to each source: move it into the cache folder, the same relative place
    const source = name.replace(/\.js\.map$/, ".ts").replace(/\.js$/, ".ts").replace(/\.mjs(\.map)?$/, ".mts");
    const target = js(base, source) + (name.endsWith(".map") ? ".map" : "");
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (name.endsWith(".map")) {
      const map = JSON.parse(text);
      map.sources = [path.resolve(path.dirname(name), map.sources[0])];
      map.sourceRoot = "";
      text = JSON.stringify(map);
    }
    fs.writeFileSync(target, text);
  });
  if (result.diagnostics.length) throw new CompileError(format(ts, result.diagnostics));
  const out = js(base, abs);
  fs.writeFileSync(stampFile, JSON.stringify({ lib: libHash, files: sources, hash: hashFiles(sources), js: out }));
  return { js: out, map: out + ".map", compiled: true };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    if (process.argv.includes("--lib")) await compileLibrary();  // the library only (npm pack: prepack)
    else compile();
  } catch (e) {
    console.error(e instanceof CompileError && e.message.includes("error TS") ? e.message : `xsnet: ${e.message}`);
    process.exit(1);
  }
}
