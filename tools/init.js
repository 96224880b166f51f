// `xsnet init [folder]`: a ready project that uses xsnet: main.ts (NodeMCU's hello server), a Moddable
// manifest.json that includes xsnet's, a tsconfig.json that extends xsnet's app settings, and a package.json with
// `start` (the simulator) and `build:esp32` (mcconfig) scripts. Existing files are kept (package.json gets the
// scripts it lacks).
import fs from "node:fs";
import path from "node:path";
import { root } from "./sim.js";

const mainTs = `// NodeMCU's "hello world" server. \`npm start\` runs it in xsnet's simulator: curl http://127.0.0.1:8080/
// On a board (\`npm run build:esp32\`) use port 80.
import net from "nodemcu/net";

const srv = net.createServer(net.TCP, 30);
srv.listen(8080, (conn) => {
  conn.on("receive", (sck, payload) => {
    trace(\`\${String(payload).split("\\r\\n")[0]}\\n\`);
    sck.send("HTTP/1.0 200 OK\\r\\nContent-Type: text/html\\r\\n\\r\\n<h1> Hello, NodeMCU.</h1>\\n");
  });
  conn.on("sent", (sck) => sck.close());
});

const [port, ip] = srv.getaddr();
trace(\`listening on http://\${ip}:\${port}/\\n\`);
`;

const manifest = {
  include: ["$(MODDABLE)/examples/manifest_base.json", "$(MODDABLE)/examples/manifest_net.json",
    "./node_modules/xsnet/manifest.json"],
  modules: { "*": "./main" },
};

const tsconfig = { extends: "xsnet/tsconfig.app.json", include: ["**/*.ts"], exclude: ["node_modules", "build"] };

/** npm's install-script policy (npm 11): xsnet builds its simulator; @agoric/xsnap's own build (its xsnap binaries,
 * unused: xsnet needs only its sources) and @serialport/bindings-cpp's (a prebuilt binary is there) are skipped. */
const allowScripts = { xsnet: true, "@agoric/xsnap": false, "@serialport/bindings-cpp": false };

const scripts = {
  start: "xsnet run main.ts",
  check: "tsc -p .",
  "build:esp32": "mcconfig -d -m -p esp32",
};

/** The dependency spec of xsnet for the new project: its version when installed from a registry, else its folder. */
function xsnetSpec() {
  const { version } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  return root.split(path.sep).includes("node_modules") ? `^${version}` : `file:${root}`;
}

/**
 * Write the project into `folder` (created if needed). Prints what it wrote.
 * @returns {string[]} the files written or updated
 */
export function init(folder = ".") {
  const dir = path.resolve(folder);
  fs.mkdirSync(dir, { recursive: true });
  const written = [];
  const write = (name, text) => {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) return;
    fs.writeFileSync(file, text);
    written.push(name);
  };
  write("main.ts", mainTs);
  write("manifest.json", JSON.stringify(manifest, null, 2) + "\n");
  write("tsconfig.json", JSON.stringify(tsconfig, null, 2) + "\n");
  write(".gitignore", "node_modules/\nbuild/\n");
  const pkgFile = path.join(dir, "package.json");
  if (fs.existsSync(pkgFile)) {
    const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8"));
    const added = Object.entries(scripts).filter(([k]) => !pkg.scripts?.[k]);
    const policies = Object.entries(allowScripts).filter(([k]) => pkg.allowScripts?.[k] === undefined);
    if (policies.length) pkg.allowScripts = { ...pkg.allowScripts, ...Object.fromEntries(policies) };
    if (added.length || policies.length) {
      pkg.scripts = { ...pkg.scripts, ...Object.fromEntries(added) };
      fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2) + "\n");
      written.push(`package.json (${[...added.map(([k]) => `script ${k}`), ...policies.map(([k]) => `allowScripts ${k}`)].join(", ")})`);
    }
  } else {
    const name = path.basename(dir).toLowerCase().replace(/[^a-z0-9._-]/g, "-");
    write("package.json", JSON.stringify({ name, version: "0.1.0", private: true, type: "module", scripts,
      dependencies: { xsnet: xsnetSpec() }, allowScripts }, null, 2) + "\n");
  }
  return written;
}
