// Received text (issue 12): src/core/utf8.ts over xsnet/native's utf8Text (modules/native/common/utf8.c), inside
// XS (tests/apps/utf8-text.ts), string-exact and byte-exact against Node's TextDecoder: every byte value, 4-byte
// characters cut at every offset, valid text then invalid bytes in one chunk, NUL among ASCII (the C's word loop),
// the forms a shape check alone would take (overlongs, surrogates, past U+10FFFF), and 64 KiB of mixed text over
// TCP through nodemcu/net's receive and luatos/socket's read().
import assert from "node:assert/strict";
import { app, cleanup, exitsCleanly, tcpServer } from "./support/net-peers.js";

const node = new TextDecoder("utf-8", { ignoreBOM: true });
const points = (text) => Array.from(text, (c) => c.codePointAt(0));
const ascii = (s) => [...Buffer.from(s, "latin1")];

/** Decode `items` ([bytes, [chunk sizes]]) in the app; assert each as Node's, whole and in chunks, text and bytes. */
async function decodeAll(items) {
  const r = await exitsCleanly(app("utf8-text", ["chunks", JSON.stringify(items.map(([b, s]) => [Buffer.from(b).toString("hex"), s]))]));
  const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(lines.length, items.length);
  const bad = [];
  items.forEach(([bytes, sizes], i) => {
    const text = node.decode(Buffer.from(bytes));
    const want = points(text);
    const [whole, viaDecode, viaBuffer, encoded] = lines[i];
    const name = `${Buffer.from(bytes).toString("hex").slice(0, 80)} in chunks ${JSON.stringify(sizes)}`;
    for (const [what, got] of [["whole", whole], ["decode()", viaDecode], ["decodeBuffer()", viaBuffer]]) {
      if (JSON.stringify(got) !== JSON.stringify(want)) bad.push(`${name} ${what}: want ${JSON.stringify(want).slice(0, 200)} got ${JSON.stringify(got).slice(0, 200)}`);
    }
    if (encoded !== Buffer.from(text).toString("hex")) bad.push(`${name}: TextEncoder gave ${encoded.slice(0, 80)}`);
  });
  assert.deepEqual(bad, []);
}

/** `n` bytes of UTF-8 text from a seeded generator: ASCII runs, NULs, 2-, 3- and 4-byte characters. */
function mixedText(n, seed) {
  let x = seed >>> 0;
  const next = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 8);
  const pools = [[0x20, 0x7e], [0x0, 0x0], [0x80, 0x7ff], [0x800, 0xd7ff], [0xe000, 0xfffd], [0x10000, 0x10ffff]];
  const parts = [Buffer.from("start ")];
  let size = 6;
  while (size < n) {
    const r = next() % 100;
    let s;
    if (r < 60) s = "abcdefghijklmnopqrstuvwxyz0123456789 ".repeat(1 + (next() % 3)).slice(next() % 20);
    else {
      const [lo, hi] = pools[1 + (r % 5)];
      s = String.fromCodePoint(lo + (next() % (hi - lo + 1)));
    }
    const b = Buffer.from(s);
    parts.push(b);
    size += b.length;
  }
  return Buffer.concat(parts).subarray(0, n);      // (may end inside a character: a truncated end)
}

describe("received text: UTF-8 through xsnet/native's utf8Text, as Node's TextDecoder", function () {
  this.timeout(60000);
  afterEach(cleanup);

  it("every byte value: alone, between ASCII, all 256 in one message, in chunks of 1, 2, 3, 7 and 8192", async () => {
    const all = Array.from({ length: 256 }, (_, i) => i);
    const items = [];
    for (let b = 0; b < 256; b++) items.push([[b], [1]], [[0x41, b, 0x42], [1]], [[0x41, b, 0x42], [3]]);
    for (const sizes of [[1], [2], [3], [7], [8192]]) items.push([all, sizes], [[...all].reverse(), sizes]);
    await decodeAll(items);
  });

  it("4-byte (and 2-, 3-byte) characters cut at every offset, inside ASCII long enough for the word loop", async () => {
    const items = [];
    for (const ch of [[0xf0, 0x90, 0x80, 0x80], [0xf0, 0x9f, 0x98, 0x80], [0xf4, 0x8f, 0xbf, 0xbf], [0xe2, 0x82, 0xac], [0xef, 0xbf, 0xbd], [0xc3, 0xa9], [0xdf, 0xbf]]) {
      for (const lead of [0, 1, 7, 13]) {
        const bytes = [...ascii("a".repeat(lead)), ...ch, ...ch, ...ascii("b".repeat(20))];
        for (let cut = 0; cut <= bytes.length; cut++) items.push([bytes, [cut, bytes.length]]);
        for (const size of [1, 2, 3, 5]) items.push([bytes, [size]]);
      }
    }
    await decodeAll(items);
  });

  it("valid text then invalid bytes in one chunk (overlong, surrogate, past U+10FFFF, F5..FF, lone continuation, truncated), whole and in chunks", async () => {
    const text = [...Buffer.from("héllo wörld € 😀 and some plain ASCII after it ")];
    const invalid = [[0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x80, 0x80], [0xe0, 0x9f, 0xbf], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf],
      [0xf0, 0x8f, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xfe], [0xff],
      [0x80], [0xbf, 0xbf], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xc3]];
    const items = [];
    for (const bad of invalid) {
      for (const bytes of [[...text, ...bad, ...ascii("tail")], [...text, ...bad], [...bad, ...text], [...text, ...bad, ...text, ...bad, 0x41]]) {
        for (const sizes of [[bytes.length], [1], [5], [16]]) items.push([bytes, sizes]);
      }
    }
    await decodeAll(items);
  });

  it("NUL among ASCII at every offset of a 40-byte chunk, NULs next to multi-byte characters (XS keeps U+0000 as C0 80)", async () => {
    const items = [];
    for (let i = 0; i < 40; i++) {
      const bytes = ascii("The quick brown fox jumps over the lazy.");
      bytes[i] = 0;
      items.push([bytes, [40]], [bytes, [9]]);
    }
    items.push([[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x41], [17]], [[0xc3, 0xa9, 0, 0xe2, 0x82, 0xac, 0, 0xf0, 0x9f, 0x98, 0x80, 0], [12]],
      [[0xc3, 0xa9, 0, 0xe2, 0x82, 0xac, 0, 0xf0, 0x9f, 0x98, 0x80, 0], [1]]);
    await decodeAll(items);
  });

  it("32 KiB of mixed text (NULs, 2-, 3-, 4-byte characters) in one chunk, in 8 KiB chunks and in odd ones", async () => {
    const bytes = [...mixedText(32768, 12)];
    for (const sizes of [[32768], [8192], [8191, 1, 3]]) await decodeAll([[bytes, sizes]]);   // (one per app: an argument holds < 128 KiB)
  });

  it("utf8Text converts its numbers before it reads the buffer: a valueOf that detaches or shrinks the buffer gets a RangeError, not the old bytes (nor a crash)", async () => {
    const r = await exitsCleanly(app("utf8-text", ["hostile-args"]));
    assert.deepEqual(r.stdout.trim().split("\n"), [
      "transfer-in-offset RangeError", "transfer-in-length RangeError", "shrink-in-length RangeError", "shrink-in-carry RangeError",
    ]);
  });

  for (const [name, scenario, strips] of [["nodemcu/net receive", "receive", true], ["luatos/socket read()", "luatos-read", false]]) {
    it(`${name}: a byte order mark cut between segments at the start is ${strips ? "dropped (WHATWG's default)" : "kept as U+FEFF"}, a later one kept`, async () => {
      const parts = [[0xef], [0xbb, 0xbf, 0x68, 0x69, 0xef, 0xbb], [0xbf, 0x78]];
      const { port } = await tcpServer(async (s) => {
        for (const p of parts) {
          s.write(Buffer.from(p));
          await new Promise((r) => setTimeout(r, 50));
        }
        s.end();
      });
      const r = await exitsCleanly(app("utf8-text", [scenario, port]));
      const text = new TextDecoder("utf-8", { ignoreBOM: !strips }).decode(Buffer.from(parts.flat()));
      assert.equal(r.stdout, JSON.stringify(points(text)) + "\n");
    });

    for (const invalid of [false, true]) {
      it(`${name}: 64 KiB of mixed text over TCP in uneven segments${invalid ? ", with invalid bytes every ~5 KB" : ""}`, async () => {
        let bytes = mixedText(65536, invalid ? 7 : 3);
        if (invalid) {
          const parts = [];
          for (let at = 0; at < bytes.length; at += 5000) parts.push(bytes.subarray(at, at + 5000), Buffer.from([0xed, 0xa0, 0x80, 0xc0]));
          bytes = Buffer.concat(parts);
        }
        const { port } = await tcpServer(async (s) => {
          for (let at = 0, k = 0; at < bytes.length; k++) {
            const n = [65536, 1, 3, 8193, 2, 40000][k % 6];
            s.write(bytes.subarray(at, at + n));
            at += n;
            await new Promise((r) => setTimeout(r, 2));
          }
          s.end();
        });
        const r = await exitsCleanly(app("utf8-text", [scenario, port]));
        const got = JSON.parse(r.stdout.trim());
        const want = points(new TextDecoder().decode(bytes));
        assert.equal(got.length, want.length);
        const first = got.findIndex((c, i) => c !== want[i]);
        assert.equal(first, -1, `first difference at character ${first}: got ${got.slice(first, first + 5)} want ${want.slice(first, first + 5)}`);
      });
    }
  }
});
