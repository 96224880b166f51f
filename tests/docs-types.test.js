// Every TypeScript code block of README.md and docs/ compiles under `strict` as written, against the library's
// declarations, as a user's app would (tools/compile.js typeCheck: the options `xsnet run` uses).
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { compileLibrary, typeCheck } from "../tools/compile.js";
import { root } from "./support/sim.js";

/** The ```ts / ```typescript blocks of a Markdown file: [{line, code}] (line: the block's first line, 1-based). */
export function typescriptBlocks(markdown) {
  const blocks = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = lines[i].match(/^(\s*)```(ts|typescript)\s*$/);
    if (!open) continue;
    const indent = open[1].length;
    const start = i + 1;
    while (++i < lines.length && !/^\s*```\s*$/.test(lines[i]));
    blocks.push({ line: start + 1, code: lines.slice(start, i).map((l) => l.slice(indent)).join("\n") });
  }
  return blocks;
}

function markdownFiles() {
  const docs = fs.readdirSync(path.join(root, "docs"), { recursive: true }).filter((f) => f.endsWith(".md"))
    .map((f) => path.join("docs", f));
  return ["README.md", ...docs.sort()];
}

describe("TypeScript in README.md and docs/", function () {
  this.timeout(120000);
  let dir;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "xsnet-docs-")); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("finds the code blocks, indented ones too", () => {
    assert.deepEqual(typescriptBlocks("a\n```ts\nlet x = 1;\n```\n  ```typescript\n  let y = 2;\n  ```\n```js\nz\n```\n"),
      [{ line: 3, code: "let x = 1;" }, { line: 6, code: "let y = 2;" }]);
    const total = markdownFiles().reduce((n, f) => n + typescriptBlocks(fs.readFileSync(path.join(root, f), "utf8")).length, 0);
    assert.ok(total >= 10, `only ${total} blocks found`);
  });

  it("every block type-checks under strict", async () => {
    await compileLibrary();
    const files = [];
    const origin = new Map();
    for (const md of markdownFiles()) {
      for (const { line, code } of typescriptBlocks(fs.readFileSync(path.join(root, md), "utf8"))) {
        const file = path.join(dir, `${md.replace(/[/.]/g, "_")}_${line}.ts`);
        // each block is its own module, so that two blocks may declare the same names
        fs.writeFileSync(file, `${code}\nexport {};\n`);
        files.push(file);
        origin.set(path.basename(file), `${md}:${line}`);
      }
    }
    const errors = (await typeCheck(files)).split("\n").filter(Boolean).map((l) => {
      const m = l.match(/^(?:.*\/)?([^/:]+\.ts):(\d+):(\d+): (.*)$/);
      if (!m) return l;
      const [md, line] = origin.get(m[1]).split(":");
      return `${md}:${Number(line) + Number(m[2]) - 1}:${m[3]}: ${m[4]}`;
    });
    assert.deepEqual(errors, []);
  });
});
