// Command line of `xsnet flash`.

import { UsageError } from "./errors.js";
import { parseAddress } from "./images.js";

export const USAGE = `Usage:
  xsnet flash --port <path> [options] <image.bin>
  xsnet flash --port <path> [options] --address <addr> <image.bin> [--address <addr> <image.bin> ...]
  xsnet flash --port <path> [options] --build <dir>
  xsnet flash --list

Write firmware to an ESP32 or ESP8266 through its ROM serial bootloader.

Options:
  -p, --port <path>        serial port (see --list)
  -l, --list               list serial ports and exit
  -c, --chip <name>        auto (default), esp32 or esp8266: refuse other chips
  -b, --baud <rate>        transfer baud rate (default 460800; sync is at 115200)
  -a, --address <addr>     flash offset of the image that follows (hex 0x... or decimal);
                           a lone image defaults to 0x10000 on ESP32, and on ESP8266
                           to 0x1000 for a v2 image (Moddable main.bin), else 0x0
      --build <dir>        flash a Moddable build folder (the app's bin folder): ESP32
                           bootloader.bin, partition-table.bin, xs_esp32.bin; ESP8266 main.bin
      --flash-size <size>  detect (default) or 256KB, 512KB, 1MB, 2MB, 4MB, 8MB, 16MB
      --no-stub            talk to the ROM loader only (slower; no MD5 check on ESP8266)
      --no-compress        send data uncompressed
      --no-reset           stay in the bootloader at the end instead of a hard reset
      --connect-attempts <n>  reset-and-sync rounds before giving up (default 7)
  -v, --verbose            show esptool-js messages
      --trace              show every serial packet
  -h, --help               this text

Exit status: 0 success, 1 flashing failed, 2 bad command line.
Documentation: docs/flash.md`;

const VALUE_OPTIONS = {
  "-p": "port", "--port": "port", "-c": "chip", "--chip": "chip", "-b": "baud", "--baud": "baud",
  "-a": "address", "--address": "address", "--build": "build", "--flash-size": "flashSize",
  "--connect-attempts": "connectAttempts",
};
const FLAGS = {
  "-l": "list", "--list": "list", "--no-stub": "noStub", "--no-compress": "noCompress", "--no-reset": "noReset",
  "-v": "verbose", "--verbose": "verbose", "--trace": "trace", "-h": "help", "--help": "help",
};

/**
 * @typedef {object} FlashArgs
 * @property {boolean} help
 * @property {boolean} list
 * @property {string|null} port
 * @property {"auto"|"esp32"|"esp8266"} chip
 * @property {number} baud
 * @property {string|null} build
 * @property {{file: string, address: number|null}[]} images
 * @property {number|null} flashSize bytes; null = detect
 * @property {boolean} stub
 * @property {boolean} compress
 * @property {boolean} reset
 * @property {number} connectAttempts
 * @property {boolean} verbose
 * @property {boolean} trace
 */

/**
 * Parse the arguments after `flash`. Each --address applies to the image that
 * follows it; with exactly one image and one --address, order does not matter.
 * @param {string[]} argv
 * @returns {FlashArgs}
 * @throws {UsageError} on unknown options, missing or invalid values, or conflicting forms
 */
export function parseArgs(argv) {
  const raw = { chip: "auto", baud: "460800", connectAttempts: "7", flashSize: "detect" };
  const flags = {};
  const images = [];
  const addresses = [];
  let pending = null;
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let inline = null;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    if (eq > 0) { inline = arg.slice(eq + 1); arg = arg.slice(0, eq); }
    if (arg in FLAGS) {
      if (inline !== null) throw new UsageError(`${arg} takes no value`);
      flags[FLAGS[arg]] = true;
    } else if (arg in VALUE_OPTIONS) {
      const value = inline ?? argv[++i];
      if (value === undefined || (inline === null && value.startsWith("-") && value.length > 1)) throw new UsageError(`${arg} needs a value`);
      const key = VALUE_OPTIONS[arg];
      if (key === "address") {
        if (pending !== null) throw new UsageError("Each --address must be followed by its image");
        pending = parseAddress(value);
        addresses.push(pending);
      } else {
        raw[key] = value;
      }
    } else if (arg.startsWith("-") && arg.length > 1) {
      throw new UsageError(`Unknown option ${arg}`);
    } else {
      images.push({ file: argv[i], address: pending });
      pending = null;
    }
  }
  if (pending !== null) {
    // `app.bin --address 0x10000`: accept for a single image.
    if (images.length === 1 && addresses.length === 1) images[0].address = pending;
    else throw new UsageError("--address must be followed by the image it applies to");
  }
  const args = {
    help: Boolean(flags.help),
    list: Boolean(flags.list),
    port: raw.port ?? null,
    chip: parseChip(raw.chip),
    baud: parseInteger("--baud", raw.baud, 9600, 5000000),
    build: raw.build ?? null,
    images,
    flashSize: parseFlashSize(raw.flashSize),
    stub: !flags.noStub,
    compress: !flags.noCompress,
    reset: !flags.noReset,
    connectAttempts: parseInteger("--connect-attempts", raw.connectAttempts, 1, 100),
    verbose: Boolean(flags.verbose || flags.trace),
    trace: Boolean(flags.trace),
  };
  if (args.help || args.list) return args;
  if (!args.port) throw new UsageError("Missing --port <path> (list ports with --list)");
  if (args.build && images.length) throw new UsageError("Give either --build <dir> or image files, not both");
  if (args.build && addresses.length) throw new UsageError("--address does not apply to --build (offsets come from the build)");
  if (!args.build && images.length === 0) throw new UsageError("Nothing to flash: give an image file or --build <dir>");
  return args;
}

function parseChip(value) {
  const chip = value.toLowerCase();
  if (!["auto", "esp32", "esp8266"].includes(chip)) throw new UsageError(`--chip must be auto, esp32 or esp8266 (got "${value}")`);
  return chip;
}

function parseInteger(name, value, min, max) {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) throw new UsageError(`${name} must be a whole number from ${min} to ${max} (got "${value}")`);
  return n;
}

/**
 * @param {string} value "detect" or a size such as "4MB" / "512KB"
 * @returns {number|null} bytes, null for detect
 */
function parseFlashSize(value) {
  if (value === "detect") return null;
  const m = /^(\d+)(KB|MB)$/i.exec(value);
  const bytes = m ? Number(m[1]) * (m[2].toUpperCase() === "MB" ? 1 << 20 : 1024) : NaN;
  if (!(bytes >= 256 * 1024 && bytes <= 16 << 20) || (bytes & (bytes - 1)) !== 0) {
    throw new UsageError(`--flash-size must be detect or a power of two from 256KB to 16MB (got "${value}")`);
  }
  return bytes;
}
