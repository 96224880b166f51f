// Which bytes go where: image files given on the command line, or the files
// of a Moddable SDK build folder (`--build`), placed at their flash offsets.
//
// Some offsets depend on the board (bootloader offset of the ESP32 variant,
// flash size), so an address may be a function of the connected target; it
// is resolved by resolveImages() once the chip has been identified.
//
// Where the offsets come from (Moddable SDK, tools/mcconfig/ and
// build/devices/ at the mirror's HEAD; ESP-IDF defaults they rely on):
//  ESP32 (make.esp32.mk copies these into the app's bin folder, and flashes
//  with `idf.py flash`, which uses ESP-IDF's offsets):
//   - bootloader.bin at the chip's second-stage bootloader offset: 0x1000 on
//     the ESP32 and ESP32-S2, 0x0 on the S3/C3/C6/H2, 0x2000 on the P4/C5
//     (ESP-IDF CONFIG_BOOTLOADER_OFFSET_IN_FLASH; esptool-js records it per
//     chip as BOOTLOADER_FLASH_OFFSET);
//   - partition-table.bin at 0x8000 (ESP-IDF CONFIG_PARTITION_TABLE_OFFSET
//     default; Moddable's sdkconfig.defaults does not change it);
//   - xs_esp32.bin (the app) at the factory (else ota_0) partition read from
//     partition-table.bin; Moddable's xsProj-esp32/partitions.csv puts the
//     factory app at 0x10000, used when the table cannot be read;
//   - ota_data_initial.bin, when the build made one, at the otadata partition.
//  ESP8266 (make.esp.mk, DO_PROGRAM / ESPTOOL_FLASH_OPT):
//   - main.bin at 0x1000: it is a "version 2" image (elf2image --version=2,
//     first byte 0xEA) started by the RTOS SDK second-stage bootloader;
//   - boot_v1.7.bin at 0x0 and esp_init_data_default.bin 16 KB (0x4000) below
//     the end of flash (0x3FC000 on 4 MB, 0xFC000 on 1 MB). These two come
//     from the ESP8266 RTOS SDK ($ESPRESSIF_SDK_ROOT/components/esp8266/
//     firmware), not from the build folder; they are used when found there or
//     in the build folder.

import fs from "node:fs";
import path from "node:path";
import { FlashError, UsageError } from "./errors.js";
import { appPartition, otaDataPartition, parsePartitionTable } from "./partition-table.js";

export const SECTOR_SIZE = 0x1000;
export const ESP32_PARTITION_TABLE_OFFSET = 0x8000;
export const ESP32_DEFAULT_APP_OFFSET = 0x10000;
export const ESP8266_V2_APP_OFFSET = 0x1000;
export const ESP8266_INIT_DATA_FROM_END = 0x4000;
const ESP8266_V2_MAGIC = 0xea;

/**
 * @typedef {object} Target what resolveImages needs to know about the board
 * @property {string} chipName esptool-js CHIP_NAME, e.g. "ESP32", "ESP8266"
 * @property {number} bootloaderOffset second-stage bootloader offset of this chip
 * @property {number|null} flashSize bytes, null when unknown
 *
 * @typedef {object} PlannedImage
 * @property {string} name file name shown to the user
 * @property {string} file path
 * @property {Uint8Array} data contents, padded with 0xFF to a multiple of 4 bytes
 * @property {number|((t: Target) => number)|null} address null: choose a default
 * @property {string} [origin] why this address (shown with --verbose and in errors)
 *
 * @typedef {object} ResolvedImage
 * @property {string} name
 * @property {string} file
 * @property {Uint8Array} data
 * @property {number} address
 * @property {string} origin
 */

/**
 * Parse a flash offset: hexadecimal with 0x, or decimal.
 * @param {string} text
 * @returns {number}
 * @throws {UsageError} when not a non-negative integer below 2^32
 */
export function parseAddress(text) {
  const value = /^0x[0-9a-f]+$/i.test(text) ? parseInt(text, 16) : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value >= 2 ** 32) throw new UsageError(`Invalid flash address "${text}" (use e.g. 0x10000)`);
  return value;
}

/**
 * Read an image file.
 * @param {string} file
 * @param {number|((t: Target) => number)|null} address
 * @param {string} [origin]
 * @returns {PlannedImage}
 * @throws {FlashError} when the file cannot be read or is empty
 */
export function loadImage(file, address, origin) {
  let bytes;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new FlashError(`Cannot read image ${file}: ${err.code === "ENOENT" ? "no such file" : err.message}`);
  }
  if (bytes.length === 0) throw new FlashError(`Image ${file} is empty`);
  const padded = new Uint8Array(Math.ceil(bytes.length / 4) * 4).fill(0xff);
  padded.set(bytes);
  return { name: path.basename(file), file, data: padded, address, origin: origin ?? (address === null ? undefined : "--address") };
}

/**
 * Images named on the command line.
 * @param {{file: string, address: number|null}[]} pairs
 * @returns {PlannedImage[]}
 * @throws {UsageError} when several images lack an address
 */
export function imagesFromArgs(pairs) {
  if (pairs.length > 1 && pairs.some((p) => p.address === null)) {
    throw new UsageError("With several images, give each one its own --address (e.g. --address 0x1000 bootloader.bin --address 0x10000 app.bin)");
  }
  return pairs.map((p) => loadImage(p.file, p.address));
}

/**
 * Default offset for a lone image given without --address: 0x10000 (the app
 * partition of a default ESP-IDF / Moddable layout) on ESP32 chips; on the
 * ESP8266, 0x1000 for a version 2 image (first byte 0xEA, as Moddable's
 * main.bin) and 0x0 for anything else (a v1 or merged image).
 * @param {Uint8Array} data
 * @param {Target} target
 * @returns {{address: number, origin: string}}
 */
export function defaultAddress(data, target) {
  if (target.chipName === "ESP8266") {
    return data[0] === ESP8266_V2_MAGIC
      ? { address: ESP8266_V2_APP_OFFSET, origin: "default for an ESP8266 v2 image (0xEA)" }
      : { address: 0, origin: "default for an ESP8266 image" };
  }
  return { address: ESP32_DEFAULT_APP_OFFSET, origin: "default ESP32 app offset" };
}

function findFirst(candidates) {
  return candidates.find((f) => f && fs.existsSync(f));
}

/**
 * The images of a Moddable SDK build folder: the app's bin folder
 * ($MODDABLE/build/bin/<platform>/<release|debug>/<app>) or an ESP-IDF build
 * folder (xsProj-esp32/build). See the offsets at the top of this file.
 * @param {string} dir
 * @param {object} [options]
 * @param {NodeJS.ProcessEnv} [options.env] for ESPRESSIF_SDK_ROOT (ESP8266 bootloader)
 * @returns {{family: "esp32"|"esp8266", images: PlannedImage[], notes: string[]}}
 * @throws {FlashError} when the folder holds no known application image
 */
export function imagesFromBuild(dir, { env = process.env } = {}) {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new FlashError(`Build folder ${dir} does not exist`);
  const at = (...parts) => path.join(dir, ...parts);
  const esp32App = findFirst([at("xs_esp32.bin")]);
  const esp8266App = findFirst([at("main.bin")]);
  if (esp32App && esp8266App) throw new FlashError(`${dir} holds both xs_esp32.bin and main.bin: pass the images explicitly`);
  if (esp32App) return esp32Build(dir, at, esp32App);
  if (esp8266App) return esp8266Build(at, esp8266App, env);
  throw new FlashError(`No firmware in ${dir}: expected xs_esp32.bin (ESP32) or main.bin (ESP8266)`, {
    hint: "Point --build at the app's bin folder, e.g. $MODDABLE/build/bin/esp32/release/<app>",
  });
}

function esp32Build(dir, at, app) {
  const notes = [];
  const bootloader = findFirst([at("bootloader.bin"), at("bootloader", "bootloader.bin")]);
  const table = findFirst([at("partition-table.bin"), at("partition_table", "partition-table.bin")]);
  if (!bootloader) throw new FlashError(`${dir} has xs_esp32.bin but no bootloader.bin`);
  if (!table) throw new FlashError(`${dir} has xs_esp32.bin but no partition-table.bin`);
  const images = [
    loadImage(bootloader, (t) => t.bootloaderOffset, "bootloader offset of this chip"),
    loadImage(table, ESP32_PARTITION_TABLE_OFFSET, "ESP-IDF partition table offset"),
  ];
  let parts = [];
  try {
    parts = parsePartitionTable(images[1].data);
  } catch (err) {
    notes.push(`${path.basename(table)}: ${err.message}; using 0x${ESP32_DEFAULT_APP_OFFSET.toString(16)} for the app`);
  }
  const appPart = appPartition(parts);
  images.push(appPart
    ? loadImage(app, appPart.offset, `"${appPart.label}" partition`)
    : loadImage(app, ESP32_DEFAULT_APP_OFFSET, "Moddable default app offset"));
  const otaData = findFirst([at("ota_data_initial.bin")]);
  const otaPart = otaDataPartition(parts);
  if (otaData && otaPart) images.push(loadImage(otaData, otaPart.offset, `"${otaPart.label}" partition`));
  else if (otaData) notes.push("ota_data_initial.bin ignored: the partition table has no otadata partition");
  return { family: "esp32", images, notes };
}

function esp8266Build(at, app, env) {
  const notes = [];
  const main = loadImage(app, null);
  if (main.data[0] !== ESP8266_V2_MAGIC) {
    main.address = 0;
    main.origin = "ESP8266 image that is not version 2";
    return { family: "esp8266", images: [main], notes };
  }
  main.address = ESP8266_V2_APP_OFFSET;
  main.origin = "Moddable ESP8266 app offset (make.esp.mk)";
  const images = [main];
  const firmware = env.ESPRESSIF_SDK_ROOT ? path.join(env.ESPRESSIF_SDK_ROOT, "components", "esp8266", "firmware") : null;
  const boot = findFirst([at("boot_v1.7.bin"), firmware && path.join(firmware, "boot_v1.7.bin")]);
  const initData = findFirst([at("esp_init_data_default.bin"), firmware && path.join(firmware, "esp_init_data_default.bin")]);
  if (boot) images.push(loadImage(boot, 0, "ESP8266 RTOS SDK bootloader"));
  if (initData) {
    images.push(loadImage(initData, (t) => {
      if (!t.flashSize) throw new FlashError("esp_init_data_default.bin goes at the end of flash, but the flash size is unknown", { hint: "Pass --flash-size" });
      return t.flashSize - ESP8266_INIT_DATA_FROM_END;
    }, "16 KB below the end of flash"));
  }
  if (!boot || !initData) {
    const missing = [!boot && "boot_v1.7.bin", !initData && "esp_init_data_default.bin"].filter(Boolean).join(" and ");
    notes.push(`${missing} not found (looked in the build folder${firmware ? ` and ${firmware}` : "; set ESPRESSIF_SDK_ROOT to the ESP8266 RTOS SDK"}); `
      + "flashing main.bin alone, which works on a board that already has the RTOS SDK bootloader");
  }
  return { family: "esp8266", images, notes };
}

const hex = (n) => `0x${n.toString(16)}`;

/**
 * Fix every address for the connected board and check the layout.
 * @param {PlannedImage[]} images
 * @param {Target} target
 * @returns {ResolvedImage[]} sorted by address
 * @throws {FlashError} on a misaligned address, overlapping images, or an image past the end of flash
 */
export function resolveImages(images, target) {
  const resolved = images.map((img) => {
    let { address, origin } = img;
    if (address === null) ({ address, origin } = defaultAddress(img.data, target));
    else if (typeof address === "function") address = address(target);
    return { name: img.name, file: img.file, data: img.data, address, origin: origin ?? "" };
  }).sort((a, b) => a.address - b.address);
  for (const img of resolved) {
    if (img.address % SECTOR_SIZE !== 0) {
      throw new FlashError(`${img.name}: address ${hex(img.address)} is not a multiple of the 4 KB flash sector (0x1000)`, {
        hint: "Flashing erases whole sectors, so the bytes before it in that sector would be lost.",
      });
    }
    const end = img.address + img.data.length;
    if (target.flashSize && end > target.flashSize) {
      throw new FlashError(`${img.name} does not fit: ${img.data.length} bytes at ${hex(img.address)} end at ${hex(end)}, `
        + `past the end of the ${formatSize(target.flashSize)} flash (${hex(target.flashSize)})`, {
        hint: "Build for this board's flash size, or check the address.",
      });
    }
  }
  for (let i = 1; i < resolved.length; i++) {
    const prev = resolved[i - 1], cur = resolved[i];
    if (prev.address + prev.data.length > cur.address) {
      throw new FlashError(`${prev.name} (${hex(prev.address)}-${hex(prev.address + prev.data.length)}) overlaps ${cur.name} at ${hex(cur.address)}`);
    }
  }
  return resolved;
}

/**
 * "4MB", "256KB"...
 * @param {number} bytes
 * @returns {string}
 */
export function formatSize(bytes) {
  return bytes >= 1 << 20 && bytes % (1 << 20) === 0 ? `${bytes / (1 << 20)}MB` : `${Math.round(bytes / 1024)}KB`;
}
