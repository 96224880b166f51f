// End-to-end tests of `xsnet flash`: the real CLI and esptool-js talk over a
// pseudo-terminal pair (tests/support/pty-pair.py) to the ROM bootloader double in tests/support/rom-double.js.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { ESPLoader } from "esptool-js";
import { main } from "../tools/flash/cli.js";
import { NodeSerialPort, QuietTransport } from "../tools/flash/transport.js";
import { RomDouble, openPtyPair } from "./support/rom-double.js";

const CLI = fileURLToPath(new URL("../tools/flash/cli.js", import.meta.url));
const MB = 1 << 20;
const OP = { FLASH_BEGIN: 0x02, FLASH_DATA: 0x03, MEM_BEGIN: 0x05, SPI_SET_PARAMS: 0x0b, SPI_ATTACH: 0x0d, CHANGE_BAUD: 0x0f, DEFL_BEGIN: 0x10, DEFL_DATA: 0x11, MD5: 0x13 };

let tmp;
before(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), "xsnet-flash-")); });
after(() => { fs.rmSync(tmp, { recursive: true, force: true }); });

/** Deterministic fake firmware: half compressible, half noise. */
function firmware(size, seed, firstByte = 0xe9) {
  const b = Buffer.alloc(size);
  let x = seed >>> 0;
  for (let i = 0; i < size; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = i % 64 < 32 ? (i >> 6) & 0xff : x >>> 24;
  }
  b[0] = firstByte;
  return b;
}

function writeFile(name, bytes) {
  const file = path.join(tmp, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  return file;
}

function capture() {
  return { text: "", write(s) { this.text += s; return true; } };
}

async function runCli(argv, options = {}) {
  const stdout = capture(), stderr = capture();
  const code = await main(argv, { stdout, stderr, ...options });
  return { code, out: stdout.text, err: stderr.text };
}

/** Run fn with a fresh pty pair and a double attached to its device end. */
async function withDouble(options, fn) {
  const pair = await openPtyPair();
  const double = new RomDouble(options).attach(pair.device);
  const faults = [];
  double.on("fault", (e) => faults.push(e.message));
  try {
    return await fn({ pair, double, faults });
  } finally {
    double.close();
    await pair.close();
  }
}

/** Flash the double must hold: erased everywhere except the images. */
function expectedFlash(size, images, fill = 0xff) {
  const flash = Buffer.alloc(size, fill);
  for (const [address, data] of images) data.copy(flash, address);
  return flash;
}

function assertFlash(actual, expected) {
  assert.equal(actual.length, expected.length);
  const i = actual.findIndex((b, n) => b !== expected[n]);
  assert.equal(i, -1, `flash differs first at 0x${i.toString(16)}: 0x${actual[i]?.toString(16)} != 0x${expected[i]?.toString(16)}`);
}

const md5 = (b) => createHash("md5").update(b).digest("hex");
const count = (list, op) => list.filter((o) => o === op).length;

describe("xsnet flash against the ROM bootloader double", function () {
  this.timeout(20000);

  for (const chip of ["esp32", "esp8266"]) {
    for (const stub of [true, false]) {
      for (const compress of [true, false]) {
        const label = `${chip}, ${stub ? "stub" : "ROM only"}, ${compress ? "compressed" : "uncompressed"}`;
        it(`writes an image byte for byte (${label})`, async () => {
          const image = firmware(150000, chip.length * 7 + (stub ? 1 : 2) + (compress ? 4 : 8));
          const file = writeFile(`${chip}-${stub}-${compress}.bin`, image);
          const address = chip === "esp32" ? 0x10000 : 0x0; // the defaults for a lone image
          const argv = ["--chip", chip, file];
          if (!stub) argv.push("--no-stub");
          if (!compress) argv.push("--no-compress");
          await withDouble({ chip }, async ({ pair, double, faults }) => {
            const r = await runCli(["--port", pair.host, ...argv]);
            assert.equal(r.code, 0, r.err);
            assert.deepEqual(faults, []);
            assertFlash(double.flash, expectedFlash(4 * MB, [[address, image]]));
            const cmds = double.commands;
            assert.equal(double.stub, stub, "stub started iff asked");
            assert.equal(count(cmds, OP.MEM_BEGIN) > 0, stub);
            const rom8266 = chip === "esp8266" && !stub;
            const deflated = compress && !rom8266;
            assert.equal(count(cmds, OP.DEFL_DATA) > 0, deflated, "compressed iff asked and supported");
            assert.equal(count(cmds, OP.FLASH_DATA) > 0, !deflated);
            if (!stub && !compress) assert.equal(count(cmds, OP.FLASH_DATA), Math.ceil(image.length / 0x400), "1 KB blocks for the ROM");
            assert.match(r.out, new RegExp(`MAC: ${double.mac}`));
            assert.match(r.out, /Flash: 4MB/);
            assert.match(r.out, chip === "esp32" ? /Chip: ESP32-D0WDQ6/ : /Chip: ESP8266EX/);
            if (rom8266) {
              assert.equal(count(cmds, OP.MD5), 0);
              assert.equal(double.baudRate, 115200);
              assert.match(r.err, /not verified: the ESP8266 ROM has no MD5/);
            } else {
              assert.match(r.out, new RegExp(`Verified .*MD5 ${md5(image)}`));
              assert.equal(double.baudRate, 460800);
              assert.equal(double.spiParams.totalSize, 4 * MB);
            }
            if (chip === "esp32") assert.equal(count(cmds, OP.SPI_ATTACH), 1);
            assert.match(r.out, /Writing .* 100%/);
          });
        });
      }
    }
  }

  it("places several images at their --address, and checks the ROM's ASCII MD5 (esptool-js bug workaround)", async () => {
    const boot = firmware(20000, 11), app = firmware(70001, 12); // odd length: padded with 0xFF to 4 bytes
    const args = ["--address", "0x1000", writeFile("boot.bin", boot), "--address", "0x10000", writeFile("app.bin", app)];
    await withDouble({ chip: "esp32" }, async ({ pair, double, faults }) => {
      const r = await runCli(["--port", pair.host, "--no-stub", ...args]);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(faults, []);
      assertFlash(double.flash, expectedFlash(4 * MB, [[0x1000, boot], [0x10000, app]]));
      const padded = Buffer.concat([app, Buffer.from([0xff, 0xff, 0xff])]);
      assert.match(r.out, new RegExp(`Verified app.bin: MD5 ${md5(padded)}`));
    });
  });

  it("shows that esptool-js's own flashMd5sum mis-reads the ROM's answer (the bug worked around)", async () => {
    await withDouble({ chip: "esp32" }, async ({ pair, double }) => {
      double.flash.fill(0x42, 0, 0x1000);
      const device = new NodeSerialPort(pair.host);
      const loader = new ESPLoader({ transport: new QuietTransport(device, false, () => {}), baudrate: 115200, terminal: { clean() {}, write() {}, writeLine() {} } });
      try {
        await loader.connect("no_reset", 2, true);
        await loader.checkCommand("attach", OP.SPI_ATTACH, new Uint8Array(8));
        const upstream = await loader.flashMd5sum(0, 0x1000);
        const real = md5(double.flash.subarray(0, 0x1000));
        assert.equal(upstream, Buffer.from(real, "latin1").toString("hex"), "64 hex digits of the 32 ASCII ones");
        assert.notEqual(upstream, real);
      } finally {
        await device.close();
      }
    });
  });

  it("ESP8266 ROM: erases only what it writes despite the ROM's erase-size bug", async () => {
    const low = firmware(6 * 0x1000, 21), cross = firmware(4 * 0x1000, 22);
    const args = ["--address", "0x0", writeFile("low.bin", low), "--address", "0xe000", writeFile("cross.bin", cross)];
    await withDouble({ chip: "esp8266" }, async ({ pair, double, faults }) => {
      double.flash.fill(0x5a); // old contents that must survive outside the images
      const r = await runCli(["--port", pair.host, "--no-stub", "--no-compress", ...args]);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(faults, []);
      assert.deepEqual(double.erased, [[0, 0x6000], [0xe000, 0x12000]]);
      assertFlash(double.flash, expectedFlash(4 * MB, [[0, low], [0xe000, cross]], 0x5a));
    });
  });

  it("flashes an ESP32 Moddable build folder at the offsets of its partition table", async () => {
    const dir = path.join(tmp, "build-esp32");
    const boot = firmware(24000, 31), app = firmware(90000, 32), ota = Buffer.alloc(0x2000, 0);
    writeFile("build-esp32/bootloader.bin", boot);
    writeFile("build-esp32/xs_esp32.bin", app);
    writeFile("build-esp32/ota_data_initial.bin", ota);
    const table = partitionTable([["nvs", 1, 2, 0x9000, 0x4000], ["otadata", 1, 0, 0xd000, 0x2000], ["phy_init", 1, 1, 0xf000, 0x1000], ["factory", 0, 0, 0x20000, 0x100000]]);
    writeFile("build-esp32/partition-table.bin", table);
    await withDouble({ chip: "esp32" }, async ({ pair, double, faults }) => {
      const r = await runCli(["--port", pair.host, "--build", dir]);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(faults, []);
      assertFlash(double.flash, expectedFlash(4 * MB, [[0x1000, boot], [0x8000, table], [0xd000, ota], [0x20000, app]]));
      assert.equal(r.out.match(/Verified/g).length, 4);
    });
  });

  it("flashes an ESP8266 Moddable build folder: main.bin at 0x1000, SDK files at 0x0 and the end of flash", async () => {
    const dir = path.join(tmp, "build-esp8266"), sdk = path.join(tmp, "rtos-sdk");
    const main = firmware(60000, 41, 0xea), boot = firmware(4080, 42), init = firmware(128, 43);
    writeFile("build-esp8266/main.bin", main);
    writeFile("rtos-sdk/components/esp8266/firmware/boot_v1.7.bin", boot);
    writeFile("rtos-sdk/components/esp8266/firmware/esp_init_data_default.bin", init);
    await withDouble({ chip: "esp8266", flashSize: 1 * MB }, async ({ pair, double, faults }) => {
      const r = await runCli(["--port", pair.host, "--build", dir], { env: { ESPRESSIF_SDK_ROOT: sdk } });
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(faults, []);
      assertFlash(double.flash, expectedFlash(MB, [[0, boot], [0x1000, main], [0xfc000, init]]));
    });
  });

  describe("failures", () => {
    it("no such port: exit 1 and says so", async () => {
      const r = await runCli(["--port", "/dev/ttyUSB-xsnet-missing", writeFile("x.bin", firmware(100, 1))]);
      assert.equal(r.code, 1);
      assert.match(r.err, /error: Serial port \/dev\/ttyUSB-xsnet-missing does not exist/);
    });

    it("a path that is not a serial port: exit 1 with the open error", async () => {
      const r = await runCli(["--port", "/dev/null", writeFile("x.bin", firmware(100, 1))]);
      assert.equal(r.code, 1);
      assert.match(r.err, /error: Cannot open serial port \/dev\/null/);
    });

    it("no sync (nothing answers): exit 1 after the given attempts", async () => {
      const pair = await openPtyPair();
      try {
        const started = Date.now();
        const r = await runCli(["--port", pair.host, "--connect-attempts", "2", writeFile("x.bin", firmware(100, 1))]);
        assert.equal(r.code, 1);
        assert.match(r.err, /error: No answer from the ROM bootloader .*no sync after 2 attempts/);
        assert.match(r.err, /hint: Put the board in download mode/);
        assert.ok(Date.now() - started < 8000);
      } finally {
        await pair.close();
      }
    });

    it("wrong chip (--chip esp32, board is an ESP8266): exit 1, nothing written", async () => {
      await withDouble({ chip: "esp8266" }, async ({ pair, double }) => {
        const r = await runCli(["--port", pair.host, "--chip", "esp32", writeFile("x.bin", firmware(4096, 2))]);
        assert.equal(r.code, 1);
        assert.match(r.err, /error: Wrong chip: --chip esp32 was given, but the board is an ESP8266/);
        assert.equal(count(double.commands, OP.FLASH_BEGIN) + count(double.commands, OP.DEFL_BEGIN), 0);
        assert.equal(count(double.commands, OP.MEM_BEGIN), 0, "stopped before uploading the stub");
      });
    });

    for (const stub of [true, false]) {
      it(`MD5 mismatch when a flash byte goes bad (${stub ? "stub" : "ROM"}): exit 1`, async () => {
        const image = firmware(50000, 3);
        await withDouble({ chip: "esp32", corruptAt: 0x10000 + 12345 }, async ({ pair, double }) => {
          const r = await runCli(["--port", pair.host, ...(stub ? [] : ["--no-stub"]), writeFile("bad.bin", image)]);
          assert.equal(r.code, 1);
          const actual = md5(double.flash.subarray(0x10000, 0x10000 + image.length));
          assert.notEqual(actual, md5(image), "the double really corrupted the flash");
          assert.match(r.err, new RegExp(`error: MD5 mismatch for bad.bin at 0x10000: file ${md5(image)}, flash ${actual}`));
          assert.doesNotMatch(r.out, /Done/);
        });
      });
    }

    it("image too large for the flash: exit 1 before anything is written", async () => {
      await withDouble({ chip: "esp32", flashSize: MB }, async ({ pair, double }) => {
        const r = await runCli(["--port", pair.host, writeFile("big.bin", firmware(MB - 0x8000, 4))]);
        assert.equal(r.code, 1);
        assert.match(r.err, /error: big.bin does not fit: 1015808 bytes at 0x10000 end at 0x108000, past the end of the 1MB flash/);
        assert.equal(count(double.commands, OP.FLASH_BEGIN) + count(double.commands, OP.DEFL_BEGIN), 0);
      });
    });

    it("usage errors: exit 2", async () => {
      assert.equal((await runCli([])).code, 2);
      assert.equal((await runCli(["--port", "/dev/x", "--chip", "esp32c3", "a.bin"])).code, 2);
      const r = await runCli(["--port", "/dev/x", "a.bin", "b.bin"]);
      assert.equal(r.code, 2);
      assert.match(r.err, /give each one its own --address/);
    });
  });

  describe("as a script", () => {
    const exec = promisify(execFile);
    const node = (args) => exec(process.execPath, [CLI, ...args]).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (err) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
    );

    it("flashes and exits 0 on its own (no handle left open)", async () => {
      const image = firmware(30000, 5);
      await withDouble({ chip: "esp32" }, async ({ pair, double }) => {
        const r = await node(["--port", pair.host, writeFile("s.bin", image)]);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /Done\./);
        assertFlash(double.flash, expectedFlash(4 * MB, [[0x10000, image]]));
      });
    });

    it("exits 1 on failure and 2 on a usage error; --help and --list exit 0", async () => {
      await withDouble({ chip: "esp8266" }, async ({ pair }) => {
        const r = await node(["--port", pair.host, "--chip", "esp32", writeFile("s.bin", firmware(100, 6))]);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /Wrong chip/);
      });
      assert.equal((await node(["--bogus"])).code, 2);
      assert.match((await node(["--help"])).stdout, /xsnet flash --list/);
      assert.equal((await node(["--list"])).code, 0);
    });
  });
});

/** A binary ESP-IDF partition table: entries [label, type, subtype, offset, size]. */
function partitionTable(entries) {
  const table = Buffer.alloc(0xc00, 0xff);
  entries.forEach(([label, type, subtype, offset, size], i) => {
    const e = table.subarray(i * 32, i * 32 + 32);
    e.fill(0);
    e[0] = 0xaa; e[1] = 0x50; e[2] = type; e[3] = subtype;
    e.writeUInt32LE(offset, 4); e.writeUInt32LE(size, 8);
    e.write(label, 12, "latin1");
  });
  return table;
}
