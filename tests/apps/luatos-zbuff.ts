// luatos/zbuff scenarios for tests/luatos-zbuff.test.js. args[0] = scenario; each prints lines the test compares.
import zbuff, { ZBuff, isZbuff, zbuffBytes, zbuffAppend, zbuffReserve, zbuffCommit } from "luatos/zbuff";
import args from "xsnet-sim/args";

const log = (line: string) => trace(line + "\n");
const show = (v: unknown) => JSON.stringify(v, (_k, x) => (x === undefined ? "undef" : x));
const hex = (b: Uint8Array) => Array.from(b, (x) => (x < 16 ? "0" : "") + x.toString(16)).join("");
const bytesOf = (buf: ZBuff) => hex(zbuffBytes(buf));
/** The whole allocation, byte by byte through buf[i]. */
const all = (buf: ZBuff) => {
	let s = "";
	for (let i = 0; i < buf.len(); i++) s += (buf[i]! < 16 ? "0" : "") + buf[i]!.toString(16);
	return s;
};
const attempt = (label: string, fn: () => unknown) => {
	try {
		log(`${label} ok ${show(fn())}`);
	}
	catch (e) {
		log(`${label} ${(e as Error).name}: ${(e as Error).message}`);
	}
};

switch (args[0]) {
	case "create": {
		const a = zbuff.create(4)!;
		log(`plain ${a.len()} ${a.used()} ${all(a)} ${isZbuff(a)} ${isZbuff({})}`);
		const b = zbuff.create(3, 0x133)!;
		log(`fill ${all(b)} ${b.used()}`);
		log(`fill-neg ${all(zbuff.create(2, -1)!)}`);
		const c = zbuff.create(8, "abc")!;
		log(`fill-str ${all(c)} ${c.used()}`);
		const d = zbuff.create(2, "abcdef")!;
		log(`fill-cut ${all(d)} ${d.used()}`);
		const e = zbuff.create(4, new Uint8Array([0, 255, 128]), zbuff.HEAP_SRAM)!;
		log(`fill-bytes ${all(e)} ${e.used()}`);
		log(`fill-zbuff ${all(zbuff.create(3, e)!)}`);
		log(`zero ${show(zbuff.create(0))}`);
		log(`negative ${show(zbuff.create(-1))}`);
		log(`consts ${zbuff.SEEK_SET} ${zbuff.SEEK_CUR} ${zbuff.SEEK_END} ${zbuff.HEAP_AUTO} ${zbuff.HEAP_SRAM} ${zbuff.HEAP_PSRAM} ${Object.isFrozen(zbuff)}`);
		break;
	}

	// The cursor = used rule: write/read/seek/pack move the one position that copy/query/del/used read.
	case "cursor": {
		const buf = zbuff.create(10)!;
		log(`write-ints ${buf.write(0x41, 0x42, 0x143, -1)} ${buf.used()} ${bytesOf(buf)}`);
		log(`write-str ${buf.write("hello world")} ${buf.used()} ${show(buf.toStr())}`);
		log(`write-full ${buf.write("x")} ${buf.write(1, 2)}`);
		log(`seek ${buf.seek(2)} ${buf.used()} ${show(buf.read(3))} ${buf.used()}`);
		log(`read-default ${show(buf.read())} ${buf.used()}`);
		log(`read-past ${show(buf.read(100))} ${buf.used()} ${show(buf.read(5))}`);
		log(`seek-cur ${buf.seek(-3, zbuff.SEEK_CUR)} seek-end ${buf.seek(-4, zbuff.SEEK_END)} clamp ${buf.seek(-50)} ${buf.seek(50)} bad ${show(buf.seek(1, 7))}`);
		buf.seek(4);
		log(`query ${show(buf.query())} ${show(buf.query(1, 2))} ${show(buf.query(-2))} ${show(buf.query(3, 99))} ${show(buf.query(9))} ${show(buf.query(-9))}`);
		log(`toStr ${show(buf.toStr(0, buf.used()))} ${show(buf.toStr(8))} ${show(buf.toStr(20))} ${show(buf.toStr(0, -1))}`);
		log(`get ${buf.get(0)} ${show(buf.get(10))} ${buf[1]} ${show(buf[10])} ${show(buf[-1])} ${show((buf as any)[1.5])} ${0 in buf} ${10 in buf} ${"write" in buf}`);
		buf[0] = 0x161;
		buf[1] = -2;
		buf[10] = 1;                                    // out of range: refused with a warning
		log(`set-index ${buf[0]} ${buf[1]} ${buf.len()}`);
		buf.used(0);
		log(`query-empty ${show(buf.query())} ${buf.used(3)} ${buf.used(99)} ${buf.used(-4)}`);
		log(`keys ${show(Object.keys(buf))} ${show(JSON.stringify(buf))}`);
		break;
	}

	case "edit": {
		const buf = zbuff.create(8, "abcdefgh")!;
		buf.del(2, 3);
		log(`del-middle ${show(buf.query())} ${buf.used()} ${buf.len()}`);
		buf.del(-1, 4);
		log(`del-tail ${show(buf.query())}`);
		buf.del(9);
		buf.del(-10);
		buf.del(0, 0);
		buf.del(1, -1);
		log(`del-noop ${show(buf.query())}`);
		buf.del();
		log(`del-all ${buf.used()} ${show(buf.query())} ${show(buf.toStr(0, 4))}`);
		// copy: at used (default), at 0, ints growing the allocation to twice the position, strings growing to
		// len + n + start, from a zbuff with a range, out-of-range source refused
		const c = zbuff.create(4)!;
		log(`copy-nil ${c.copy(undefined, "ab")} ${c.used()} ${c.copy(null, "cd")} ${show(c.query())} ${c.len()}`);
		log(`copy-0 ${c.copy(0, "XY")} ${c.used()} ${show(c.query())}`);
		log(`copy-grow-str ${c.copy(undefined, "efg")} ${c.len()} ${c.used()} ${show(c.query())}`);
		const d = zbuff.create(2)!;
		log(`copy-ints ${d.copy(0, 1, 2, 3, 4, 5)} ${d.len()} ${d.used()} ${bytesOf(d)}`);
		log(`copy-neg ${d.copy(-2, 0xAA)} ${d.used()} ${bytesOf(d)} ${d.copy(-9, 1)}`);
		log(`copy-zbuff ${d.copy(undefined, c)} ${d.used()} ${show(d.query(5))} ${d.copy(0, c, 1, 2)} ${show(d.query(0, 2))}`);
		log(`copy-refused ${d.copy(0, c, 5, 99)} ${d.copy(0, c, -1)} ${d.copy(0)}`);
		const self = zbuff.create(4, "abcd")!;
		log(`copy-self ${self.copy(undefined, self)} ${show(self.query())} ${self.len()}`);
		// resize, set, clear, isEqual, free
		const r = zbuff.create(6, "abcdef")!;
		r.resize(3);
		log(`resize-down ${r.len()} ${r.used()} ${show(r.query())}`);
		r.reSize(5);
		log(`resize-up ${r.len()} ${r.used()} ${all(r)}`);
		r.resize(-1);
		log(`resize-neg ${r.len()}`);
		r.set(1, 0x7A, 2);
		log(`set ${all(r)}`);
		r.set(3);
		r.set(9, 1);
		log(`set-tail ${all(r)}`);
		r.clear(0x101);
		log(`clear ${all(r)} ${r.used()}`);
		const e1 = zbuff.create(4, "abcd")!, e2 = zbuff.create(4, "xbcx")!;
		log(`isEqual ${show(e1.isEqual(1, e2, 1, 2))} ${show(e1.isEqual(0, e2, 0, 4))} ${show(e1.isEqual(3, e2, 0, 5))} ${show(e1.isEqual(undefined, e2))}`);
		e1.free();
		log(`free ${e1.len()} ${e1.used()} ${show(e1.query())} ${show(e1[0])} ${e1.write("a")}`);
		e1.resize(2);
		log(`after-free ${e1.write("ab")} ${show(e1.query())}`);
		break;
	}

	// All 256 byte values, exact through every byte path.
	case "bytes": {
		const src = new Uint8Array(256);
		for (let i = 0; i < 256; i++) src[i] = i;
		const a = zbuff.create(256)!;
		const ints: number[] = [];
		for (let i = 0; i < 256; i++) ints.push(i);
		log(`write-ints ${a.write(...ints)} ${bytesOf(a)}`);
		let ok = true;
		for (let i = 0; i < 256; i++) if (a[i] !== i || a.get(i) !== i) ok = false;
		log(`index ${ok}`);
		const b = zbuff.create(256, src)!;
		log(`create-bytes ${bytesOf(b)}`);
		const c = zbuff.create(1)!;
		c.copy(0, b);
		log(`copy ${bytesOf(c)} ${c.len()}`);
		const d = zbuff.create(300)!;
		d.write(src.buffer);
		d.pack("A", new Uint8Array(src.buffer, 250, 6));
		log(`write-buffer ${d.used()} ${hex(zbuffBytes(d).subarray(0, 256))} ${hex(zbuffBytes(d).subarray(256))}`);
		const e = zbuff.create(256)!;
		for (let i = 0; i < 256; i++) e[i] = i;
		e.used(256);
		log(`index-write ${bytesOf(e) === hex(src)} ${e.query(255, 1, true)}`);
		e.del(0, 1);
		log(`del-exact ${bytesOf(e) === hex(src.subarray(1))}`);
		// the socket helpers: append grows to exactly used + n, reserve/commit
		const f = zbuff.create(4)!;
		f.write(1, 2);
		zbuffAppend(f, src.subarray(0, 256));
		log(`append ${f.used()} ${f.len()} ${hex(zbuffBytes(f).subarray(0, 4))} ${hex(zbuffBytes(f).subarray(2)) === hex(src)}`);
		const g = zbuff.create(10)!;
		const room = zbuffReserve(g, 4);
		log(`reserve ${room.length} ${g.len()}`);
		room.set([9, 8, 7]);
		zbuffCommit(g, 3);
		const room2 = zbuffReserve(g, 20);
		log(`reserve-grow ${room2.length} ${g.len()} ${g.used()} ${bytesOf(g)}`);
		zbuffCommit(g, 99);
		log(`commit-clamp ${g.used()}`);
		break;
	}

	// Strings are UTF-8 in and out; invalid bytes decode to U+FFFD; a BOM is kept.
	case "text": {
		const a = zbuff.create(32)!;
		log(`utf8 ${a.write("héllo 😀")} ${bytesOf(a)} ${show(a.query())} ${show(a.toStr(0, a.used()))}`);
		const b = zbuff.create(8)!;
		b.write(0x61, 0xFF, 0x62, 0xC3);
		log(`invalid ${show(b.query())} ${show(b.query()) === show("a\uFFFDb\uFFFD")}`);
		const c = zbuff.create(4, new Uint8Array([0xEF, 0xBB, 0xBF, 0x41]))!;
		log(`bom ${show(c.query()).length} ${c.query() === "\uFEFFA"}`);
		const d = zbuff.create(8, "é!")!;
		d.seek(0);
		log(`split ${show(d.read(1))} ${show(d.read(2))}`);
		const e = zbuff.create(8)!;
		log(`number-text ${e.write(1.5)} ${show(e.query())}`);
		break;
	}

	// pack/unpack with the formats LuatOS's demos use; typed read/write.
	case "pack": {
		const p = (fmt: string, ...v: unknown[]) => {
			const buf = zbuff.create(64)!;
			const n = buf.pack(fmt, ...v);
			return `${n} ${bytesOf(buf)}`;
		};
		log(`>IIHA ${p(">IIHA", 0x1234, 0x4567, 0x12, "abcdefg")}`);
		log(`H ${p("H", 0x1234)}`);
		log(`>H ${p(">H", 0x1234)}`);
		log(`I ${p("I", 0x01020304)}`);
		log(`bA ${p("bA", 3, "www")}`);
		log(`bb ${p("bb", 1, 258)}`);
		log(`>b7IHb ${p(">b7IHb", 1, 2, 3, 4, 5, 6, 7, 0xA0B0C0D0, 0xEEFF, -1)}`);
		log(`>b2i3H2b3 ${p(">b2i3H2b3", 1, 2, -1, -2, 0x7FFFFFFF, 0x1122, 0x3344, 7, 8, 9)}`);
		log(`hh ${p("hh", -2, 0x7FFF)} cc ${p("cc", -128, 127)} ii ${p("ii", -1, 65536)}`);
		log(`f ${p("f", 1.5)} d ${p("d", -2.25)} n ${p("n", 1)} <A ${p("<A", "xy")}`);
		log(`>IhA ${p(">IhA", 7, -3, "ab")} lL ${p("<lL", -2, 2 ** 40 + 5)} spaces ${p("b, b b", 1, 2, 3)}`);
		log(`repeat-A ${p("A2", "ab", "cd")} =H ${p("=H", 1)} trunc ${p(">I", 0x1_0000_0001)}`);
		// a full buffer stops pack; a value that does not fit is written in part
		const small = zbuff.create(5)!;
		log(`partial ${small.pack(">IH", 0x01020304, 0x0506)} ${bytesOf(small)} ${small.pack("b", 1)}`);
		// unpack reads from the cursor up to len()
		const u = zbuff.create(64)!;
		u.pack(">IIHA", 0x1234, 0x4567, 0x12, "abcdefghij");
		u.seek(0);
		log(`unpack ${show(u.unpack(">IIHA10"))} ${u.used()}`);
		u.seek(0);
		log(`unpack-short ${show(u.unpack(">IhA3"))} ${u.used()}`);
		const v = zbuff.create(6, new Uint8Array([0xFE, 0xFF, 0x01, 0x80, 0x00, 0x00]))!;
		v.seek(0);
		log(`unpack-le ${show(v.unpack("hh"))} ${v.seek(0)} ${show(v.unpack("cc"))} ${v.seek(0)} ${show(v.unpack("H"))} ${v.seek(0)} ${show(v.unpack("b"))}`);
		v.seek(0);
		log(`unpack-end ${show(v.unpack("ii"))} ${v.used()} ${show(v.unpack("A0"))}`);
		const w = zbuff.create(16)!;
		w.pack("fd", 1.5, -2.25);
		w.seek(0);
		log(`unpack-float ${show(w.unpack("f"))} ${show(w.unpack("d"))} ${w.seek(0)} ${show(w.unpack("<A8"))}`);
		const x = zbuff.create(16)!;
		x.pack("<lL", -2, 2 ** 40 + 5);
		x.seek(0);
		log(`unpack-64 ${show(x.unpack("<lL"))}`);
		// typed accessors (little-endian)
		const t = zbuff.create(40)!;
		const sizes = [t.writeI8(-1), t.writeU8(255), t.writeI16(-2), t.writeU16(0xFFFE), t.writeI32(-3), t.writeU32(0xFFFFFFFD),
			t.writeI64(-4), t.writeU64(2 ** 50), t.writeF32(0.5), t.writeF64(-0.25)];
		log(`typed-write ${sizes.join(",")} ${bytesOf(t)}`);
		t.seek(0);
		log(`typed-read ${[t.readI8(), t.readU8(), t.readI16(), t.readU16(), t.readI32(), t.readU32(), t.readI64(), t.readU64(), t.readF32(), t.readF64()].join(",")}`);
		log(`typed-end ${show(t.readU8())} ${t.writeU8(1)} ${t.seek(-1, zbuff.SEEK_END)} ${show(t.readU16())} ${t.writeU16(1)}`);
		// query as numbers
		const q = zbuff.create(8, new Uint8Array([0x80, 0x01, 0xFF, 0xFF, 0xFF, 0xFE, 0x00, 0x00]))!;
		log(`query-num ${q.query(0, 1, true)} ${q.query(0, 1, true, true)} ${q.query(0, 2, true)} ${q.query(0, 2, false)} ${q.query(0, 2, false, true)} ${q.query(2, 4, true)} ${q.query(2, 4, true, true)} ${q.query(0, 8, true)} ${show(q.query(0, 3, true))}`);
		const fl = zbuff.create(8)!;
		fl.pack(">f", 1.5);
		log(`query-float ${fl.query(0, 4, true, false, true)} ${fl.query(0, 4, false, false, true) !== 1.5}`);
		break;
	}

	case "bad": {
		const buf = zbuff.create(8)!;
		attempt("create-len", () => zbuff.create(" 8" as any));
		attempt("create-frac", () => zbuff.create(1.5));
		attempt("create-fill", () => zbuff.create(8, {} as any));
		attempt("write", () => buf.write({}));
		attempt("write-none", () => buf.write());
		attempt("read", () => buf.read("2.5" as any));
		attempt("seek", () => buf.seek(undefined as any));
		attempt("pack-fmt", () => buf.pack(5 as any));
		attempt("pack-code", () => buf.pack("X", 1));
		attempt("pack-int", () => buf.pack("H", 1.5));
		attempt("pack-missing", () => buf.pack("HH", 1));
		attempt("pack-A", () => buf.pack("A", undefined));
		attempt("unpack-code", () => buf.unpack("X"));
		attempt("toStr", () => buf.toStr("0x0" as any));
		attempt("query", () => buf.query(0, 1.5));
		attempt("copy", () => buf.copy(0, true));
		attempt("copy-start", () => buf.copy(" 0" as any, "a"));
		attempt("resize", () => buf.resize(undefined as any));
		attempt("used", () => buf.used(1.5));
		attempt("isEqual", () => buf.isEqual(0, {} as any));
		attempt("index-set", () => { buf[0] = "a" as any; });
		attempt("prop-set", () => { (buf as any).foo = 1; });
		attempt("writeU8", () => buf.writeU8(1.5));
		attempt("writeF32", () => buf.writeF32("1" as any));
		attempt("unbound", () => { const w = buf.write; return w("a"); });
		attempt("zbuffBytes", () => zbuffBytes({} as any));
		attempt("get", () => buf.get("1" as any));
		break;
	}

	default:
		throw new Error(`unknown scenario ${args[0]}`);
}
