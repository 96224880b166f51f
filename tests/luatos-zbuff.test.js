// luatos/zbuff in the simulator (app: tests/apps/luatos-zbuff.ts). Expected encodings of pack are computed here
// with Node's Buffer, independently of the code under test.
import assert from "node:assert/strict";
import { app, cleanup, exitsCleanly, lines } from "./support/net-peers.js";

async function run(name) {
  const r = await exitsCleanly(app("luatos-zbuff", [name]));
  return lines(r.stdout);
}

const ALL = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const hex = (...parts) => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : p))).toString("hex");
/** One value as bytes with Node's Buffer writers. */
function w(method, value, size) {
  const b = Buffer.alloc(size);
  b[method](value, 0);
  return b;
}

describe("luatos/zbuff", function () {
  this.timeout(20000);
  afterEach(cleanup);

  it("create(length, fill): zeroed, byte fill, string/bytes fill with used = their length; nil for length <= 0", async () => {
    assert.deepEqual(await run("create"), [
      "plain 4 0 00000000 true false", "fill 333333 0", "fill-neg ffff", "fill-str 6162630000000000 3",
      "fill-cut 6162 2", "fill-bytes 00ff8000 3", "fill-zbuff 00ff80", 'zero "undef"',
      "W/zbuff invalid zbuff length, create refused", 'negative "undef"', "consts 0 1 2 0 1 2 true",
    ]);
  });

  it("one position is cursor and used: write/read/seek move it, query/toStr/used/buf[i] read as LuatOS does", async () => {
    assert.deepEqual(await run("cursor"), [
      "write-ints 4 4 414243ff", 'write-str 6 10 "ABC\uFFFDhello "', "write-full 0 0", 'seek 2 2 "C\uFFFDh" 5',
      'read-default "e" 6', 'read-past "llo " 10 ""', 'seek-cur 7 seek-end 6 clamp 0 10 bad "undef"',
      'query "ABC\uFFFD" "BC" "C\uFFFD" "\uFFFD" "undef" "undef"',
      "W/zbuff toStr length cannot be negative", 'toStr "ABC\uFFFD" "o " "" ""',
      'get 65 "undef" 66 "undef" "undef" "undef" false false true',
      "W/zbuff zbuff index out of range, write refused", "set-index 97 254 10",
      'query-empty "undef" 3 10 0', 'keys [] "{}"',
    ]);
  });

  it("del, copy (growing), resize, set, clear, isEqual, free", async () => {
    assert.deepEqual(await run("edit"), [
      'del-middle "abfgh" 5 8', 'del-tail "abfg"', "W/zbuff invalid del length, del refused", 'del-noop "abfg"',
      'del-all 0 "undef" "abfg"',
      'copy-nil 2 2 2 "abcd" 4', 'copy-0 2 4 "XYcd"', 'copy-grow-str 3 11 7 "XYcdefg"',
      "copy-ints 5 8 5 0102030405", "copy-neg 1 5 010203aa05 0", 'copy-zbuff 7 12 "XYcdefg" 2 "Yc"',
      "W/zbuff copy range out of source buff, copy refused", "W/zbuff copy range out of source buff, copy refused",
      "copy-refused 0 0 0", 'copy-self 4 "abcdabcd" 12',
      'resize-down 3 3 "abc"', "resize-up 5 3 6162630000", "E/zbuff resize to -1 refused", "resize-neg 5",
      "set 617a7a0000", "W/zbuff set range out of buff, set refused", "set-tail 617a7a0000", "clear 0101010101 3",
      "W/zbuff isEqual range out of buff", "isEqual [true,0] [false,0] [false] [false,0]",
      'free 0 0 "undef" "undef" 0', 'after-free 2 "ab"',
    ]);
  });

  it("all 256 byte values are exact through write, buf[i], create, copy, pack, del and the socket helpers", async () => {
    const all = ALL.toString("hex");
    assert.deepEqual(await run("bytes"), [
      `write-ints 256 ${all}`, "index true", `create-bytes ${all}`, `copy ${all} 257`,
      `write-buffer 262 ${all} fafbfcfdfeff`, "index-write true 255", "del-exact true",
      "append 258 258 01020001 true", "reserve 4 10", "reserve-grow 20 23 3 090807", "commit-clamp 23",
    ]);
  });

  it("strings are UTF-8 both ways; invalid bytes read as U+FFFD; a leading BOM is kept", async () => {
    assert.deepEqual(await run("text"), [
      `utf8 11 ${hex("héllo 😀")} "héllo 😀" "héllo 😀"`, 'invalid "a\uFFFDb\uFFFD" true', "bom 4 true",
      'split "\uFFFD" "\uFFFD!"', 'number-text 3 "1.5"',
    ]);
  });

  it("pack/unpack with the demos' formats (native order little-endian), typed read/write, query numbers", async () => {
    const out = await run("pack");
    const p = (label, ...parts) => `${label} ${hex(...parts).length / 2} ${hex(...parts)}`;
    assert.deepEqual(out.slice(0, 12), [
      p(">IIHA", w("writeUInt32BE", 0x1234, 4), w("writeUInt32BE", 0x4567, 4), w("writeUInt16BE", 0x12, 2), "abcdefg"),
      p("H", w("writeUInt16LE", 0x1234, 2)),
      p(">H", w("writeUInt16BE", 0x1234, 2)),
      p("I", w("writeUInt32LE", 0x01020304, 4)),
      p("bA", Buffer.from([3]), "www"),
      p("bb", Buffer.from([1, 2])),
      p(">b7IHb", Buffer.from([1, 2, 3, 4, 5, 6, 7]), w("writeUInt32BE", 0xA0B0C0D0, 4), w("writeUInt16BE", 0xEEFF, 2), Buffer.from([0xff])),
      p(">b2i3H2b3", Buffer.from([1, 2]), w("writeInt32BE", -1, 4), w("writeInt32BE", -2, 4), w("writeInt32BE", 0x7FFFFFFF, 4),
        w("writeUInt16BE", 0x1122, 2), w("writeUInt16BE", 0x3344, 2), Buffer.from([7, 8, 9])),
      `hh ${p("", w("writeInt16LE", -2, 2), w("writeInt16LE", 0x7FFF, 2)).slice(1)} cc 2 807f ${p("ii", w("writeInt32LE", -1, 4), w("writeInt32LE", 65536, 4))}`,
      `f 4 ${hex(w("writeFloatLE", 1.5, 4))} d 8 ${hex(w("writeDoubleLE", -2.25, 8))} n 8 ${hex(w("writeDoubleLE", 1, 8))} <A 2 7879`,
      `>IhA 8 ${hex(w("writeUInt32BE", 7, 4), w("writeInt16BE", -3, 2), "ab")} lL 16 ${hex(w("writeBigInt64LE", -2n, 8), w("writeBigUInt64LE", 2n ** 40n + 5n, 8))} spaces 3 010203`,
      "repeat-A 4 61626364 =H 2 0100 trunc 4 00000001",
    ]);
    assert.deepEqual(out.slice(12), [
      "partial 5 0102030405 0",
      'unpack [20,4660,17767,18,"abcdefghij"] 20',
      'unpack-short [9,4660,0,"Eg\\u0000"] 9',
      "unpack-le [4,-2,-32767] 0 [2,-2,-1] 0 [2,65534] 0 [1,254]",
      'unpack-end [4,-2147352578] 4 [0,""]',
      'unpack-float [4,1.5] [8,-2.25] 0 [8,"\\u0000\\u0000\uFFFD?\\u0000\\u0000\\u0000\\u0000"]',
      "unpack-64 [16,-2,1099511627781]",
      `typed-write 1,1,2,2,4,4,8,8,4,0 ${hex(Buffer.from([0xff, 0xff]), w("writeInt16LE", -2, 2), w("writeUInt16LE", 0xFFFE, 2),
        w("writeInt32LE", -3, 4), w("writeUInt32LE", 0xFFFFFFFD, 4), w("writeBigInt64LE", -4n, 8), w("writeBigUInt64LE", 2n ** 50n, 8),
        w("writeFloatLE", 0.5, 4))}`,
      "typed-read -1,255,-2,65534,-3,4294967293,-4,1125899906842624,0.5,",
      'typed-end 0 1 39 "undef" 0',
      'query-num 128 -128 32769 384 384 4294967294 -2 9223934986808066000 "\uFFFD\\u0001\uFFFD"',
      "query-float 1.5 true",
    ]);
  });

  it("bad arguments throw a TypeError naming the argument", async () => {
    assert.deepEqual(await run("bad"), [
      "create-len TypeError: zbuff.create: length must be an integer",
      "create-frac TypeError: zbuff.create: length must be an integer",
      "create-fill TypeError: zbuff.create: fill must be an integer, a string or bytes",
      "write TypeError: zbuff write: data must be a string, bytes or integers",
      "write-none TypeError: zbuff write: data must be a string, bytes or integers",
      "read TypeError: zbuff read: length must be an integer",
      "seek TypeError: zbuff seek: offset must be an integer",
      "pack-fmt TypeError: zbuff pack: format must be a string",
      "pack-code TypeError: zbuff pack: bad format code 'X'",
      "pack-int TypeError: zbuff pack: value 1 for 'H' must be an integer",
      "pack-missing TypeError: zbuff pack: value 2 for 'H' must be an integer",
      "pack-A TypeError: zbuff pack: value 1 for 'A' must be a string or bytes",
      "unpack-code TypeError: zbuff unpack: bad format code 'X'",
      "toStr TypeError: zbuff toStr: offset must be an integer",
      "query TypeError: zbuff query: length must be an integer",
      "copy TypeError: zbuff copy: data must be a string, bytes or integers",
      "copy-start TypeError: zbuff copy: start must be an integer",
      "resize TypeError: zbuff resize: length must be an integer",
      "used TypeError: zbuff used: n must be an integer",
      "isEqual TypeError: zbuff isEqual: other must be a zbuff",
      "index-set TypeError: zbuff[0]: value must be an integer",
      "prop-set TypeError: zbuff: cannot set foo (only byte indexes can be set)",
      "writeU8 TypeError: zbuff writeU8: value must be an integer",
      "writeF32 TypeError: zbuff writeF32: value must be a number",
      "unbound TypeError: zbuff write: called on something that is not a zbuff",
      "zbuffBytes TypeError: zbuff zbuffBytes: called on something that is not a zbuff",
      "get TypeError: zbuff get: index must be an integer",
    ]);
  });
});
