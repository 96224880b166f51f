// A test double of the ESP32 / ESP8266 UART ROM bootloader ("download mode").
//
// It speaks the esptool serial protocol (SLIP frames, 8-byte command header,
// little-endian words) over one end of a pseudo-terminal pair (openPtyPair),
// and keeps an in-memory SPI flash that tests can inspect byte for byte.
//
// What it models (written from Espressif's public serial-protocol document):
//  - SYNC answered eight times with a non-zero value, as the ROM does (the
//    stub would answer once with 0);
//  - READ_REG / WRITE_REG on a small register file: chip magic at 0x40001000,
//    eFuse words holding the MAC, the UART clock divider (crystal detection),
//    and the SPI controller registers esptool-js drives to read the JEDEC id;
//  - SPI_ATTACH, SPI_SET_PARAMS, CHANGE_BAUDRATE, FLASH_BEGIN/DATA/END,
//    FLASH_DEFL_BEGIN/DATA/END (inflated with node:zlib), SPI_FLASH_MD5;
//  - MEM_BEGIN/DATA/END: the uploaded flasher stub is not executed, but the
//    double then *pretends* to run it: it sends the stub's "OHAI" greeting and
//    from then on answers with the stub's conventions (2 status bytes, raw
//    16-byte MD5, commands the ESP8266 ROM lacks become available);
//  - ROM differences that matter to a flasher: the ESP32 ROM appends 4 status
//    bytes and returns the MD5 as 32 ASCII hex characters; the ESP8266 ROM has
//    no SPI_ATTACH, SPI_SET_PARAMS, CHANGE_BAUDRATE, compressed writes or MD5,
//    and its FLASH_BEGIN erases more than asked (see eraseForBegin below);
//  - NOR flash semantics: erase sets 0xFF, programming can only clear bits.
// Unknown or unsupported commands get the "invalid message" (0x05) error in a
// response whose op byte differs from the command, which is how esptool
// recognises an unsupported command.
//
// Failure injection: `corruptAt` flips one bit of that flash byte right after
// it is programmed (a silent write error the MD5 check must catch).

import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { EventEmitter, once } from "node:events";
import fs from "node:fs";
import tty from "node:tty";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

const SECTOR = 0x1000;
const OHAI = Buffer.from("OHAI", "latin1");

/** Per-chip facts: detection magic, register addresses, ROM quirks. */
export const CHIPS = {
  esp32: {
    name: "ESP32", magic: 0x00f01d83, romStatusLen: 4, efuseBase: 0x3ff5a000,
    uartClkdiv: 0x3ff40014, clkdiv: 347, // 115200 baud * 347 = 40 MHz crystal
    spiBase: 0x3ff42000, spiUsr2: 0x24, spiW0: 0x80, romHas: [0x0b, 0x0d, 0x0f, 0x10, 0x11, 0x12, 0x13],
  },
  esp8266: {
    name: "ESP8266", magic: 0xfff0c101, romStatusLen: 2, efuseBase: 0x3ff00050,
    uartClkdiv: 0x60000014, clkdiv: 451, // 115200 * 451 / 2 = 26 MHz crystal
    spiBase: 0x60000200, spiUsr2: 0x24, spiW0: 0x40, romHas: [],
  },
};

const u32 = (buf, off) => buf.readUInt32LE(off);
function word(value) { const b = Buffer.alloc(4); b.writeUInt32LE(value >>> 0); return b; }
function macBytes(mac) { return mac.split(":").map((h) => parseInt(h, 16)); }

/** SLIP-encode one frame. */
export function slipEncode(payload) {
  const out = [0xc0];
  for (const b of payload) {
    if (b === 0xc0) out.push(0xdb, 0xdc);
    else if (b === 0xdb) out.push(0xdb, 0xdd);
    else out.push(b);
  }
  out.push(0xc0);
  return Buffer.from(out);
}

export class RomDouble extends EventEmitter {
  /**
   * @param {object} [o]
   * @param {"esp32"|"esp8266"} [o.chip]
   * @param {number} [o.flashSize] bytes, a power of two (256 KB .. 16 MB)
   * @param {string} [o.mac] "aa:bb:cc:dd:ee:ff"
   * @param {number|null} [o.corruptAt] flash address to corrupt after programming
   */
  constructor({ chip = "esp32", flashSize = 4 << 20, mac = "24:0a:c4:12:34:56", corruptAt = null } = {}) {
    super();
    this.chip = CHIPS[chip];
    if (!this.chip) throw new Error(`unknown chip ${chip}`);
    this.flash = Buffer.alloc(flashSize, 0xff);
    this.flashSize = flashSize;
    this.mac = mac;
    this.corruptAt = corruptAt;
    this.stub = false;        // true once the "stub" has been started
    this.attached = false;    // SPI_ATTACH seen (the ESP32 ROM needs it)
    this.spiParams = null;    // last SPI_SET_PARAMS
    this.baudRate = 115200;
    this.commands = [];       // op numbers received, in order
    this.erased = [];         // [start, end) ranges erased by FLASH_BEGIN
    this.regs = new Map();
    this.write = null;
    this.rx = null;           // SLIP decoder state: null outside a frame
    this.esc = false;
    this.op = null;           // current FLASH_* / MEM_* transfer
    this.initRegisters();
  }

  initRegisters() {
    const c = this.chip, m = macBytes(this.mac), e = (n, v) => this.regs.set(c.efuseBase + 4 * n, v >>> 0);
    this.regs.set(0x40001000, c.magic);
    this.regs.set(c.uartClkdiv, c.clkdiv);
    if (c === CHIPS.esp32) {
      e(1, (m[2] << 24) | (m[3] << 16) | (m[4] << 8) | m[5]);
      e(2, (m[0] << 8) | m[1]);
      e(3, 1 << 15); // chip revision 1, package D0WDQ6, dual core
    } else {
      e(0, m[5] << 24);
      e(1, (m[3] << 8) | m[4]);
      e(3, (m[0] << 16) | (m[1] << 8) | m[2]);
    }
  }

  /** JEDEC id as the SPI RDID command returns it: manufacturer, type, log2(size). */
  get flashId() { return (Math.log2(this.flashSize) << 16) | (0x40 << 8) | 0xef; }

  /** Open the device side of the pty pair and start answering. */
  attach(path) {
    const rfd = fs.openSync(path, fs.constants.O_RDWR | fs.constants.O_NOCTTY);
    const wfd = fs.openSync(path, fs.constants.O_RDWR | fs.constants.O_NOCTTY);
    this.input = new tty.ReadStream(rfd);
    this.output = new tty.WriteStream(wfd);
    this.input.on("data", (d) => this.receive(d));
    this.input.on("error", () => {});
    this.output.on("error", () => {});
    this.write = (buf) => this.output.write(buf);
    return this;
  }

  close() {
    this.input?.destroy();
    this.output?.destroy();
  }

  receive(bytes) {
    for (const b of bytes) {
      if (this.rx === null) { if (b === 0xc0) this.rx = []; continue; } // noise between frames
      if (this.esc) { this.rx.push(b === 0xdc ? 0xc0 : 0xdb); this.esc = false; continue; }
      if (b === 0xdb) { this.esc = true; continue; }
      if (b !== 0xc0) { this.rx.push(b); continue; }
      const frame = Buffer.from(this.rx);
      this.rx = frame.length === 0 ? [] : null; // a lone C0 may start the next frame
      if (frame.length >= 8 && frame[0] === 0x00) this.command(frame);
    }
  }

  reply(op, { value = 0, data = Buffer.alloc(0), error = 0 } = {}) {
    const statusLen = this.stub ? 2 : this.chip.romStatusLen;
    const status = Buffer.alloc(statusLen);
    if (error) { status[0] = 1; status[1] = error; }
    const body = Buffer.concat([data, status]);
    const head = Buffer.alloc(8);
    head[0] = 0x01; head[1] = op; head.writeUInt16LE(body.length, 2); head.writeUInt32LE(value >>> 0, 4);
    this.write(slipEncode(Buffer.concat([head, body])));
  }

  unsupported(op) {
    const head = Buffer.from([0x01, op === 0 ? 1 : 0, 2, 0, 0, 0, 0, 0]);
    this.write(slipEncode(Buffer.concat([head, Buffer.from([1, 0x05])])));
  }

  supports(op) {
    if (op <= 0x0a || this.stub) return true;
    return this.chip.romHas.includes(op);
  }

  command(frame) {
    const op = frame[1], len = frame.readUInt16LE(2), chk = u32(frame, 4);
    const data = frame.subarray(8, 8 + len);
    this.commands.push(op);
    this.emit("command", op, data);
    if (data.length !== len || !this.supports(op)) return this.unsupported(op);
    try {
      const handler = HANDLERS[op];
      if (!handler) return this.unsupported(op);
      handler.call(this, op, data, chk);
    } catch (err) {
      this.emit("fault", err);
      this.reply(op, { error: err.romError ?? 0x06 });
    }
  }

  fail(romError, message) { const e = new Error(message); e.romError = romError; throw e; }

  requireFlash() {
    if (!this.stub && this.chip === CHIPS.esp32 && !this.attached) this.fail(0x06, "flash used before SPI_ATTACH");
  }

  readReg(addr) { return this.regs.get(addr >>> 0) ?? 0; }

  writeReg(addr, value) {
    const c = this.chip;
    this.regs.set(addr >>> 0, value >>> 0);
    // SPI_CMD_REG: the USR bit runs the "user command" latched in USR2; other
    // bits start other flash operations, which no flasher should trigger.
    if (addr === c.spiBase && value & ~(1 << 18)) this.emit("fault", new Error(`SPI_CMD written with 0x${value.toString(16)}`));
    if (addr === c.spiBase && value & (1 << 18)) {
      const cmd = this.readReg(c.spiBase + c.spiUsr2) & 0xff;
      if (cmd === 0x9f) this.regs.set(c.spiBase + c.spiW0, this.flashId);
      this.regs.set(c.spiBase, value & ~(1 << 18));
    }
  }

  // The ESP8266 ROM erases `requested + min(requested, head)` sectors, where
  // head is the number of sectors up to the next 64 KB block: it counts the
  // head sectors twice. This is the behaviour esptool's get_erase_size() is
  // built to compensate; the stub and the ESP32 ROM erase what they are asked.
  eraseForBegin(offset, size) {
    let sectors = Math.ceil(size / SECTOR);
    if (!this.stub && this.chip === CHIPS.esp8266) {
      const head = 16 - ((offset / SECTOR) % 16);
      sectors += Math.min(sectors, head);
    }
    const start = Math.floor(offset / SECTOR) * SECTOR;
    const end = Math.min(start + sectors * SECTOR, this.flashSize);
    if (end > start) { this.flash.fill(0xff, start, end); this.erased.push([start, end]); }
  }

  program(addr, bytes) {
    const limit = this.spiParams && !this.stub ? Math.min(this.spiParams.totalSize, this.flashSize) : this.flashSize;
    if (addr + bytes.length > limit) this.fail(0x08, `write past end of flash at 0x${addr.toString(16)}`);
    for (let i = 0; i < bytes.length; i++) this.flash[addr + i] &= bytes[i];
    if (this.corruptAt !== null && this.corruptAt >= addr && this.corruptAt < addr + bytes.length) this.flash[this.corruptAt] ^= 0x01;
  }

  beginTransfer(kind, data) {
    const [size, blocks, blockSize, offset] = [0, 4, 8, 12].map((o) => u32(data, o));
    this.op = { kind, size, blocks, blockSize, offset, seq: 0, chunks: [], written: 0 };
    return this.op;
  }

  dataBlock(kind, data, chk) {
    const op = this.op;
    if (!op || op.kind !== kind) this.fail(0x05, `${kind} data without begin`);
    const n = u32(data, 0), seq = u32(data, 4), payload = data.subarray(16);
    if (payload.length !== n) this.fail(0x05, "length field does not match payload");
    if (seq !== op.seq) this.fail(0x05, `sequence ${seq}, expected ${op.seq}`);
    let sum = 0xef;
    for (const b of payload) sum ^= b;
    if (sum !== (chk & 0xff)) this.fail(0x07, "bad checksum");
    op.seq++;
    return payload;
  }
}

const HANDLERS = {
  0x08(op, data) { // SYNC
    const ok = data.length === 36 && data.subarray(0, 4).equals(Buffer.from([7, 7, 0x12, 0x20])) && data.subarray(4).every((b) => b === 0x55);
    if (!ok) return;
    if (this.stub) return this.reply(op);
    for (let i = 0; i < 8; i++) this.reply(op, { value: 0x20120707 });
  },
  0x0a(op, data) { this.reply(op, { value: this.readReg(u32(data, 0)) }); }, // READ_REG
  0x09(op, data) { // WRITE_REG: one or more (addr, value, mask, delay) groups
    for (let o = 0; o + 16 <= data.length; o += 16) {
      const addr = u32(data, o), value = u32(data, o + 4), mask = u32(data, o + 8);
      this.writeReg(addr, (this.readReg(addr) & ~mask) | (value & mask));
    }
    this.reply(op);
  },
  0x0d(op, data) { // SPI_ATTACH: the ESP32 ROM wants a second, zero word
    if (!this.stub && data.length !== 8) this.fail(0x05, "ROM SPI_ATTACH needs 8 bytes");
    this.attached = true;
    this.reply(op);
  },
  0x0b(op, data) { // SPI_SET_PARAMS
    if (data.length !== 24) this.fail(0x05, "SPI_SET_PARAMS needs 24 bytes");
    const [id, totalSize, blockSize, sectorSize, pageSize, statusMask] = [0, 4, 8, 12, 16, 20].map((o) => u32(data, o));
    this.spiParams = { id, totalSize, blockSize, sectorSize, pageSize, statusMask };
    this.reply(op);
  },
  0x0f(op, data) { // CHANGE_BAUDRATE: answer at the old rate, then switch
    this.reply(op);
    this.baudRate = u32(data, 0);
    this.emit("baud", this.baudRate, u32(data, 4));
  },
  0x02(op, data) { // FLASH_BEGIN
    if (data.length !== 16 && data.length !== 20) this.fail(0x05, "FLASH_BEGIN length");
    const t = this.beginTransfer("flash", data);
    if (t.size > 0) { this.requireFlash(); this.eraseForBegin(t.offset, t.size); }
    this.attached ||= this.chip === CHIPS.esp8266; // the ESP8266 ROM attaches flash here
    this.reply(op);
  },
  0x03(op, data, chk) { // FLASH_DATA
    const payload = this.dataBlock("flash", data, chk);
    this.program(this.op.offset + (this.op.seq - 1) * this.op.blockSize, payload);
    this.reply(op);
  },
  0x04(op, data) { this.op = null; this.emit("end", u32(data, 0)); this.reply(op); }, // FLASH_END
  0x10(op, data) { // FLASH_DEFL_BEGIN: size is the uncompressed (ROM: erase-rounded) size
    this.requireFlash();
    const t = this.beginTransfer("defl", data);
    this.eraseForBegin(t.offset, t.size);
    this.reply(op);
  },
  0x11(op, data, chk) { // FLASH_DEFL_DATA: inflate everything so far, program the new tail
    const payload = this.dataBlock("defl", data, chk);
    const t = this.op;
    t.chunks.push(Buffer.from(payload));
    let out;
    try {
      out = zlib.inflateSync(Buffer.concat(t.chunks), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    } catch { this.fail(0x0b, "deflate error"); }
    if (out.length > t.size) this.fail(0x0b, "inflated data larger than announced");
    this.program(t.offset + t.written, out.subarray(t.written));
    t.written = out.length;
    this.reply(op);
  },
  0x12(op, data) { this.op = null; this.emit("end", u32(data, 0)); this.reply(op); }, // FLASH_DEFL_END
  0x13(op, data) { // SPI_FLASH_MD5
    this.requireFlash();
    const addr = u32(data, 0), size = u32(data, 4);
    if (addr + size > this.flashSize) this.fail(0x0a, "md5 range past end of flash");
    const digest = createHash("md5").update(this.flash.subarray(addr, addr + size)).digest();
    this.reply(op, { data: this.stub ? digest : Buffer.from(digest.toString("hex"), "latin1") });
  },
  0x05(op, data) { this.beginTransfer("mem", data); this.reply(op); }, // MEM_BEGIN
  0x07(op, data, chk) { this.dataBlock("mem", data, chk); this.reply(op); }, // MEM_DATA
  0x06(op, data) { // MEM_END: "jump" to the stub, which greets the host
    const t = this.op;
    if (!t || t.kind !== "mem") this.fail(0x05, "MEM_END without MEM_BEGIN");
    this.reply(op);
    if (u32(data, 0) === 0) {
      this.stub = true;
      this.attached = true; // the stub attaches the flash when it starts
      this.write(slipEncode(OHAI));
    }
  },
};

let python;
/**
 * The interpreter `python3` runs, asked once: a version manager's shim in front of it (pyenv's costs ~0.4 s a
 * start) is then skipped. Falls back to "python3" (whose spawn error names it) when that fails.
 */
function python3() {
  python ??= spawnSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).stdout?.trim() || "python3";
  return python;
}

/**
 * Start tests/support/pty-pair.py (two pseudo-terminals joined back to back, as socat's pty pair) and wait for
 * its two terminal paths. Resolves to { host, device, close() }: `host` is the end a flasher opens as its serial
 * port, `device` the end the double attaches to; close() ends the pair.
 * @param {number} [timeoutMs]
 */
export async function openPtyPair(timeoutMs = 5000) {
  const script = fileURLToPath(new URL("pty-pair.py", import.meta.url));
  const child = spawn(python3(), [script], { stdio: ["pipe", "pipe", "pipe"] });
  let out = "", log = "";
  const paths = await new Promise((resolve, reject) => {
    const fail = (why) => { clearTimeout(timer); child.kill(); reject(new Error(`pty pair: ${why}`)); };
    const timer = setTimeout(() => fail(`no terminal paths after ${timeoutMs} ms: ${log}`), timeoutMs);
    child.on("error", (err) => fail(`cannot run python3 (npm test installs it as root: Debian package python3): ${err.message}`));
    child.on("close", (code) => fail(`python3 exited (${code}): ${log}`));
    child.stderr.on("data", (d) => { log += d; });
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (d) => {
      out += d;
      const lines = out.split("\n");
      if (lines.length > 2) { clearTimeout(timer); child.removeAllListeners("close"); resolve(lines.slice(0, 2)); }
    });
  });
  return {
    host: paths[0],
    device: paths[1],
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, "exit");
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}
