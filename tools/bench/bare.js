// A simulator command line without the manifest's preloads: the module map `simCommand` wrote, less its
// "!preload" lines (build/modules-bare.map). A raw ECMA-419 app run this way loads only what it imports, so
// comparing it with the same app run as usual (every module of the manifest preloaded, as a board build does)
// measures what the preloaded modules cost the app at run time (tools/bench.js "modules", tools/bench/count.js --bare).
import fs from "node:fs";
import path from "node:path";

/** `command` ({file, argv} from simCommand) with its --map replaced by the same map without preloads. */
export function bare(command) {
  const argv = [...command.argv];
  const at = argv.indexOf("--map");
  if (at < 0) throw new Error("no --map in the simulator's command line");
  const file = path.join(path.dirname(argv[at + 1]), "modules-bare.map");
  const text = fs.readFileSync(argv[at + 1], "utf8").split("\n").filter((l) => !l.startsWith("!preload\t")).join("\n");
  if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) fs.writeFileSync(file, text);
  argv[at + 1] = file;
  return { file: command.file, argv };
}
