// Unit tests of the pieces of `xsnet flash` that need no board: argument
// parsing, image placement, partition tables, port listing, the Web Serial
// shim, the progress display and the ESP8266 erase-size compensation.

import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "../tools/flash/args.js";
import { main } from "../tools/flash/cli.js";
import { FlashError, UsageError } from "../tools/flash/errors.js";
import { defaultAddress, imagesFromBuild, parseAddress, resolveImages } from "../tools/flash/images.js";
import { appPartition, otaDataPartition, parsePartitionTable } from "../tools/flash/partition-table.js";
import { formatPorts, listPorts } from "../tools/flash/ports.js";
import { Reporter } from "../tools/flash/progress.js";
import { esp8266RomEraseSize, flashSizeFromId } from "../tools/flash/rom-quirks.js";
import { NodeSerialPort } from "../tools/flash/transport.js";

let tmp;
before(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), "xsnet-flash-units-")); });
after(() => { fs.rmSync(tmp, { recursive: true, force: true }); });

function put(rel, bytes = Buffer.from([0xe9, 1, 2, 3])) {
  const file = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  return file;
}

function table(entries, { md5 = false } = {}) {
  const t = Buffer.alloc(0xc00, 0xff);
  entries.forEach(([label, type, subtype, offset, size], i) => {
    const e = t.subarray(i * 32, i * 32 + 32).fill(0);
    e[0] = 0xaa; e[1] = 0x50; e[2] = type; e[3] = subtype;
    e.writeUInt32LE(offset, 4); e.writeUInt32LE(size, 8); e.write(label, 12, "latin1");
  });
  if (md5) t.fill(0xeb, entries.length * 32, entries.length * 32 + 2);
  return t;
}

const capture = (isTTY) => ({ isTTY, text: "", write(s) { this.text += s; return true; } });
const img = (name, address, length) => ({ name, file: name, data: new Uint8Array(length), address });

describe("flash: command line", () => {
  it("pairs each --address with the image after it", () => {
    const a = parseArgs(["-p", "/dev/ttyUSB0", "--address", "0x1000", "boot.bin", "-a", "65536", "app.bin"]);
    assert.deepEqual(a.images, [{ file: "boot.bin", address: 0x1000 }, { file: "app.bin", address: 0x10000 }]);
    assert.equal(a.port, "/dev/ttyUSB0");
    assert.equal(a.baud, 460800);
    assert.equal(a.chip, "auto");
    assert.equal(a.stub, true);
    assert.equal(a.compress, true);
    assert.equal(a.flashSize, null);
  });

  it("accepts one image with its --address after it, and --opt=value", () => {
    const a = parseArgs(["--port=/dev/x", "app.bin", "--address=0x20000", "--chip=ESP8266", "--flash-size", "1MB", "--no-stub"]);
    assert.deepEqual(a.images, [{ file: "app.bin", address: 0x20000 }]);
    assert.equal(a.chip, "esp8266");
    assert.equal(a.flashSize, 1 << 20);
    assert.equal(a.stub, false);
  });

  it("rejects bad command lines with UsageError (exit 2)", () => {
    const bad = [
      [], ["app.bin"], ["-p", "/dev/x"], ["-p", "/dev/x", "--bogus", "a.bin"], ["-p", "/dev/x", "--address", "0x1g", "a"],
      ["-p", "/dev/x", "--baud", "fast", "a"], ["-p", "/dev/x", "--flash-size", "3MB", "a"], ["-p", "/dev/x", "--chip", "esp32s3", "a"],
      ["-p", "/dev/x", "--build", "d", "a.bin"], ["-p", "/dev/x", "--address", "0", "--address", "1", "a"],
      ["-p", "/dev/x", "a.bin", "b.bin", "--address", "0x1000"], ["-p"],
    ];
    for (const argv of bad) {
      assert.throws(() => parseArgs(argv), (e) => e instanceof UsageError && e.exitCode === 2, argv.join(" "));
    }
  });

  it("parses addresses", () => {
    assert.equal(parseAddress("0x10000"), 0x10000);
    assert.equal(parseAddress("4096"), 4096);
    assert.throws(() => parseAddress("0x100000000"), UsageError);
    assert.throws(() => parseAddress("-1"), UsageError);
  });

  it("--list prints what the fallback finds, with the reason on stderr", async () => {
    const dev = path.join(tmp, "dev-list");
    fs.mkdirSync(dev, { recursive: true });
    fs.writeFileSync(path.join(dev, "ttyACM0"), "");
    const stdout = capture(false), stderr = capture(false);
    const lister = () => Promise.reject(Object.assign(new Error("spawn udevadm ENOENT"), { code: "ENOENT" }));
    const code = await main(["--list"], { stdout, stderr, portLister: { list: lister, devDir: dev, sysDir: path.join(tmp, "nosys") } });
    assert.equal(code, 0);
    assert.match(stderr.text, /udevadm is not installed: listing \/dev\/serial\/by-id/);
    assert.equal(stdout.text, `${path.join(dev, "ttyACM0")}  (USB ids unknown)\n`);
  });
});

describe("flash: image placement", () => {
  const esp32 = { chipName: "ESP32", bootloaderOffset: 0x1000, flashSize: 4 << 20 };
  const esp8266 = { chipName: "ESP8266", bootloaderOffset: 0, flashSize: 4 << 20 };

  it("chooses default addresses for a lone image", () => {
    assert.equal(defaultAddress(new Uint8Array([0xe9]), esp32).address, 0x10000);
    assert.equal(defaultAddress(new Uint8Array([0xe9]), { ...esp32, chipName: "ESP32-S3" }).address, 0x10000);
    assert.equal(defaultAddress(new Uint8Array([0xea]), esp8266).address, 0x1000, "v2 image (Moddable main.bin)");
    assert.equal(defaultAddress(new Uint8Array([0xe9]), esp8266).address, 0);
  });

  it("resolves target-dependent addresses and sorts", () => {
    const out = resolveImages([img("app", 0x10000, 8), img("boot", (t) => t.bootloaderOffset, 8)], esp32);
    assert.deepEqual(out.map((i) => [i.name, i.address]), [["boot", 0x1000], ["app", 0x10000]]);
  });

  it("refuses misaligned, overlapping and oversized layouts", () => {
    assert.throws(() => resolveImages([img("a", 0x1001, 4)], esp32), /not a multiple of the 4 KB flash sector/);
    assert.throws(() => resolveImages([img("a", 0x1000, 0x2000), img("b", 0x2000, 4)], esp32), /a \(0x1000-0x3000\) overlaps b at 0x2000/);
    assert.throws(() => resolveImages([img("a", 0x3ff000, 0x1004)], esp32), /a does not fit: .* past the end of the 4MB flash/);
    assert.doesNotThrow(() => resolveImages([img("a", 0x3ff000, 0x1000)], esp32));
  });

  it("reads partition tables", () => {
    const parts = parsePartitionTable(table([["nvs", 1, 2, 0x9000, 0x6000], ["ota_0", 0, 0x10, 0x20000, 0x100000], ["otadata", 1, 0, 0xd000, 0x2000]], { md5: true }));
    assert.equal(parts.length, 3);
    assert.equal(appPartition(parts).offset, 0x20000);
    assert.equal(otaDataPartition(parts).label, "otadata");
    const both = parsePartitionTable(table([["ota_0", 0, 0x10, 0x200000, 0x1000], ["factory", 0, 0, 0x10000, 0x1000]]));
    assert.equal(appPartition(both).label, "factory", "factory wins over ota_0");
    assert.throws(() => parsePartitionTable(Buffer.alloc(64)), /no 0xAA50 magic/);
  });

  it("reads an ESP-IDF build folder layout and falls back to 0x10000 without a readable table", () => {
    put("idf/xs_esp32.bin");
    put("idf/bootloader/bootloader.bin");
    put("idf/partition_table/partition-table.bin", Buffer.alloc(64, 0x11));
    const plan = imagesFromBuild(path.join(tmp, "idf"));
    assert.equal(plan.family, "esp32");
    const out = resolveImages(plan.images, { chipName: "ESP32-S3", bootloaderOffset: 0, flashSize: 8 << 20 });
    assert.deepEqual(out.map((i) => [i.name, i.address]), [["bootloader.bin", 0], ["partition-table.bin", 0x8000], ["xs_esp32.bin", 0x10000]]);
    assert.match(plan.notes[0], /no 0xAA50 magic\); using 0x10000/);
  });

  it("reports incomplete or unknown build folders", () => {
    put("nobl/xs_esp32.bin");
    assert.throws(() => imagesFromBuild(path.join(tmp, "nobl")), /no bootloader.bin/);
    fs.mkdirSync(path.join(tmp, "empty"), { recursive: true });
    assert.throws(() => imagesFromBuild(path.join(tmp, "empty")), (e) => e instanceof FlashError && /No firmware/.test(e.message));
    assert.throws(() => imagesFromBuild(path.join(tmp, "missing")), /does not exist/);
  });

  it("ESP8266 build without the RTOS SDK files flashes main.bin alone, with a note", () => {
    put("b8266/main.bin", Buffer.from([0xea, 4, 0, 0]));
    const plan = imagesFromBuild(path.join(tmp, "b8266"), { env: {} });
    assert.equal(plan.family, "esp8266");
    assert.deepEqual(plan.images.map((i) => [i.name, i.address]), [["main.bin", 0x1000]]);
    assert.match(plan.notes[0], /boot_v1.7.bin and esp_init_data_default.bin not found .*set ESPRESSIF_SDK_ROOT/);
  });
});

describe("flash: ROM quirks", () => {
  it("ESP8266 erase size: the ROM then erases the region, at most one sector more", () => {
    const SECTOR = 0x1000;
    // The ROM erases requested + min(requested, head) sectors (see the double).
    const romErases = (offset, announced) => {
      const r = announced / SECTOR, head = 16 - ((offset / SECTOR) % 16);
      return r + Math.min(r, head);
    };
    for (let start = 0; start < 40; start++) {
      for (let n = 1; n <= 48; n++) {
        const erased = romErases(start * SECTOR, esp8266RomEraseSize(start * SECTOR, n * SECTOR));
        assert.ok(erased >= n && erased <= n + 1, `start ${start} n ${n}: erased ${erased}`);
      }
    }
    assert.equal(esp8266RomEraseSize(0, 6 * SECTOR), 3 * SECTOR);
    assert.equal(esp8266RomEraseSize(0xe000, 4 * SECTOR), 2 * SECTOR);
  });

  it("flash size from the JEDEC id", () => {
    assert.equal(flashSizeFromId(0x1640ef), 4 << 20);
    assert.equal(flashSizeFromId(0x12000b), 256 * 1024);
    assert.equal(flashSizeFromId(0x3625c2), 4 << 20);
    assert.equal(flashSizeFromId(0xffffff), null);
    assert.equal(flashSizeFromId(0), null);
  });
});

describe("flash: port listing", () => {
  it("falls back to /dev and sysfs when udevadm is missing, and never throws", async () => {
    const dev = path.join(tmp, "dev"), sys = path.join(tmp, "sys");
    for (const n of ["ttyUSB0", "ttyUSB10", "ttyACM1", "ttyS0", "null"]) put(`dev/${n}`, "");
    fs.mkdirSync(path.join(dev, "serial", "by-id"), { recursive: true });
    fs.symlinkSync("../../ttyUSB0", path.join(dev, "serial", "by-id", "usb-Silicon_Labs_CP2102-if00-port0"));
    const usbDev = path.join(sys, "devices", "usb1", "1-1");
    put("sys/devices/usb1/1-1/idVendor", "10C4\n");
    put("sys/devices/usb1/1-1/idProduct", "ea60\n");
    put("sys/devices/usb1/1-1/manufacturer", "Silicon Labs\n");
    fs.mkdirSync(path.join(usbDev, "1-1:1.0", "ttyUSB0"), { recursive: true });
    fs.mkdirSync(path.join(sys, "class", "tty", "ttyUSB0"), { recursive: true });
    fs.symlinkSync(path.join(usbDev, "1-1:1.0"), path.join(sys, "class", "tty", "ttyUSB0", "device"));

    const enoent = () => Promise.reject(Object.assign(new Error("spawn udevadm ENOENT"), { code: "ENOENT" }));
    const { ports, fallback } = await listPorts({ list: enoent, devDir: dev, sysDir: sys });
    assert.equal(fallback, "udevadm is not installed");
    assert.deepEqual(ports.map((p) => path.basename(p.path)), ["ttyACM1", "ttyUSB0", "ttyUSB10"]);
    const usb0 = ports[1];
    assert.equal(usb0.vendorId, "10c4");
    assert.equal(usb0.productId, "ea60");
    assert.equal(usb0.byId, path.join(dev, "serial", "by-id", "usb-Silicon_Labs_CP2102-if00-port0"));
    assert.match(formatPorts(ports)[1], /ttyUSB0  10c4:ea60  Silicon Labs, .*usb-Silicon_Labs_CP2102/);

    const other = await listPorts({ list: () => Promise.reject(new Error("boom")), devDir: path.join(tmp, "nodev") });
    assert.deepEqual(other, { ports: [], fallback: "the system port list failed (boom)" });
  });

  it("uses serialport's list when it works", async () => {
    const list = async () => [{ path: "/dev/ttyUSB3", vendorId: "1A86", productId: "7523", manufacturer: "QinHeng" }];
    const { ports, fallback } = await listPorts({ list });
    assert.equal(fallback, null);
    assert.deepEqual(ports[0], { path: "/dev/ttyUSB3", vendorId: "1a86", productId: "7523", manufacturer: "QinHeng", serialNumber: undefined });
  });
});

class FakeSerialPort extends EventEmitter {
  static instances = [];
  constructor(options) { super(); this.options = options; this.isOpen = false; this.calls = []; this.written = []; FakeSerialPort.instances.push(this); }
  open(cb) { this.isOpen = true; cb(null); }
  close(cb) { this.isOpen = false; this.emit("close"); cb(null); }
  set(signals, cb) { this.calls.push(["set", signals]); cb(FakeSerialPort.setError ?? null); }
  update(options, cb) { this.calls.push(["update", options]); cb(null); }
  write(buf, cb) { this.written.push(Buffer.from(buf)); cb(null); }
}

describe("flash: Web Serial shim over serialport", () => {
  afterEach(() => { FakeSerialPort.setError = null; });

  it("opens 8N1, streams bytes both ways, and ends the readable on close", async () => {
    const port = new NodeSerialPort("/dev/fake", { SerialPortClass: FakeSerialPort, info: { usbVendorId: 0x303a, usbProductId: 0x1001 } });
    await port.open({ baudRate: 115200 });
    const fake = FakeSerialPort.instances.at(-1);
    assert.deepEqual([fake.options.baudRate, fake.options.dataBits, fake.options.stopBits, fake.options.parity], [115200, 8, 1, "none"]);
    assert.deepEqual(port.getInfo(), { usbVendorId: 0x303a, usbProductId: 0x1001 });
    const reader = port.readable.getReader();
    fake.emit("data", Buffer.from([1, 2, 3]));
    assert.deepEqual(await reader.read(), { value: new Uint8Array([1, 2, 3]), done: false });
    const writer = port.writable.getWriter();
    await writer.write(new Uint8Array([0xc0, 0xc0]));
    writer.releaseLock();
    assert.deepEqual(fake.written, [Buffer.from([0xc0, 0xc0])]);
    await port.setBaudRate(460800);
    assert.deepEqual(fake.calls.at(-1), ["update", { baudRate: 460800 }]);
    const pending = reader.read();
    await port.close();
    assert.equal((await pending).done, true);
    assert.equal(port.readable, null);
  });

  it("sends DTR and RTS together, and ignores ENOTTY (pty) once, noting it", async () => {
    const notes = [];
    const port = new NodeSerialPort("/dev/pts/9", { SerialPortClass: FakeSerialPort, log: (l) => notes.push(l) });
    await port.open({ baudRate: 115200 });
    const fake = FakeSerialPort.instances.at(-1);
    await port.setSignals({ requestToSend: true });
    await port.setSignals({ dataTerminalReady: true });
    assert.deepEqual(fake.calls.map((c) => c[1]), [{ dtr: false, rts: true, brk: false }, { dtr: true, rts: true, brk: false }]);
    FakeSerialPort.setError = new Error("Inappropriate ioctl for device, cannot set");
    await port.setSignals({ requestToSend: false });
    await port.setSignals({ requestToSend: true });
    assert.equal(fake.calls.length, 3, "no more ioctls once known to fail");
    assert.equal(notes.length, 1);
    assert.match(notes[0], /no modem control lines/);
    await port.close();
  });

  it("reports other signal errors", async () => {
    const port = new NodeSerialPort("/dev/fake", { SerialPortClass: FakeSerialPort });
    await port.open({ baudRate: 115200 });
    FakeSerialPort.setError = new Error("EIO: i/o error");
    await assert.rejects(port.setSignals({ requestToSend: true }), /EIO/);
    await port.close();
  });
});

describe("flash: progress display", () => {
  it("redraws one bar on a terminal, keeping other lines above it", () => {
    const out = capture(true);
    const r = new Reporter({ stdout: out, stderr: capture(false) });
    r.startBar("app.bin at 0x10000");
    r.progress(50, 100);
    r.info("note");
    r.progress(100, 100);
    r.endBar();
    assert.match(out.text, /^\rWriting app.bin at 0x10000 \[\.{30}\]   0%\rWriting .*\[#{15}\.{15}\]  50%\r\x1b\[Knote\n\rWriting .* 50%\rWriting .*\[#{30}\] 100%\n$/);
  });

  it("prints plain lines at each 10% when not a terminal", () => {
    const out = capture(false);
    const r = new Reporter({ stdout: out, stderr: capture(false) });
    r.startBar("a at 0x0");
    for (let done = 0; done <= 1000; done += 50) r.progress(done, 1000);
    r.endBar();
    assert.equal(out.text, [10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((p) => `Writing a at 0x0: ${p}%\n`).join(""));
  });
});
