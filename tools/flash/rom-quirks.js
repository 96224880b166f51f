// Where esptool-js 0.7.0 needs help to talk to a ROM bootloader (--no-stub)
// or to the ESP8266, written from Espressif's serial-protocol documentation.
// Each function says which upstream behaviour it replaces.

const ESP_SPI_SET_PARAMS = 0x0b;
const ESP_SPI_ATTACH = 0x0d;
const ESP_SPI_FLASH_MD5 = 0x13;
const SECTOR = 0x1000;
const SECTORS_PER_BLOCK = 16; // 64 KB erase block
const ROM_BLOCK = 0x400;

function words(...values) {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setUint32(i * 4, v >>> 0, true));
  return out;
}

/** @param {import("esptool-js").ESPLoader} loader */
export const isEsp8266 = (loader) => loader.chip.CHIP_NAME === "ESP8266";

/**
 * MD5 of a flash region, as 32 lowercase hex characters.
 *
 * Replaces ESPLoader.flashMd5sum(), which hex-encodes whatever comes back.
 * The stub answers with 16 raw digest bytes, so that is right; the ROM
 * answers with the digest already written as 32 ASCII hex characters, which
 * upstream turns into 64 characters that never equal the file's MD5, so its
 * verification always fails without the stub. Here the ROM's text is used as
 * it is. (Not available on the ESP8266 ROM, which has no MD5 command.)
 * @param {import("esptool-js").ESPLoader} loader connected loader
 * @param {number} address flash offset in bytes
 * @param {number} size length in bytes
 * @returns {Promise<string>}
 * @throws {Error} ESPError when the chip reports a failure or times out
 */
export async function readFlashMd5(loader, address, size) {
  const timeout = loader.timeoutPerMb(loader.MD5_TIMEOUT_PER_MB, size);
  const length = loader.IS_STUB ? 16 : 32;
  const res = await loader.checkCommand("calculate md5sum", ESP_SPI_FLASH_MD5, words(address, size, 0, 0), 0, length, timeout);
  const bytes = Buffer.from(res);
  return loader.IS_STUB ? bytes.toString("hex") : bytes.toString("latin1").toLowerCase();
}

/**
 * Erase size to announce in FLASH_BEGIN to the ESP8266 ROM so that it erases
 * `size` bytes from `offset`. That ROM counts the sectors up to the next
 * 64 KB block boundary twice, erasing up to twice what it is asked; esptool
 * compensates in get_erase_size(), esptool-js 0.7.0 does not (its ESP8266
 * getEraseSize returns `size`). The result can still erase one sector more
 * than needed when the region sits within one block and spans an odd number
 * of sectors: the ROM cannot be asked for less.
 * @param {number} offset flash offset in bytes
 * @param {number} size bytes to erase
 * @returns {number} bytes to announce
 */
export function esp8266RomEraseSize(offset, size) {
  const sectors = Math.ceil(size / SECTOR);
  const head = Math.min(sectors, SECTORS_PER_BLOCK - ((offset / SECTOR) % SECTORS_PER_BLOCK));
  return sectors < 2 * head ? Math.ceil(sectors / 2) * SECTOR : (sectors - head) * SECTOR;
}

/**
 * Prepare a loader for ROM-only operation (no stub): 1 KB data blocks,
 * and on the ESP8266 the erase-size compensation above.
 * @param {import("esptool-js").ESPLoader} loader
 */
export function useRomLoader(loader) {
  // esptool-js always sends 16 KB blocks, a size meant for the stub; the ROM
  // loaders get 1 KB blocks, as esptool sends them without its stub.
  loader.FLASH_WRITE_SIZE = ROM_BLOCK;
  if (isEsp8266(loader)) loader.chip.getEraseSize = esp8266RomEraseSize;
}

/**
 * Enable the SPI flash interface before flash commands. esptool-js never
 * sends SPI_ATTACH. The ESP32 ROM requires it, with a second zero word the
 * stub does not take; the ESP8266 ROM has no SPI_ATTACH and attaches the
 * flash on FLASH_BEGIN, so an empty FLASH_BEGIN does the job there; the
 * ESP8266 stub needs nothing.
 * @param {import("esptool-js").ESPLoader} loader
 */
export async function attachFlash(loader) {
  if (isEsp8266(loader)) {
    if (!loader.IS_STUB) await loader.flashBegin(0, 0);
    return;
  }
  const arg = loader.IS_STUB ? words(0) : words(0, 0);
  await loader.checkCommand("attach SPI flash", ESP_SPI_ATTACH, arg);
}

/**
 * Tell the loader the flash geometry (SPI_SET_PARAMS): the total size from
 * the JEDEC id; 64 KB blocks, 4 KB sectors, 256 byte pages, status mask
 * 0xFFFF as esptool sends. The ESP8266 ROM lacks the command: skipped there.
 * @param {import("esptool-js").ESPLoader} loader
 * @param {number} flashSize bytes
 */
export async function setFlashParams(loader, flashSize) {
  if (isEsp8266(loader) && !loader.IS_STUB) return;
  await loader.checkCommand("set SPI params", ESP_SPI_SET_PARAMS, words(0, flashSize, 0x10000, SECTOR, 0x100, 0xffff));
}

/**
 * Read the JEDEC flash id (manufacturer | type << 8 | capacity << 16).
 * esptool-js picks its SPI data-length registers with `SPI_MOSI_DLEN_OFFS !=
 * null`, but describes the ESP8266 (which has no such registers) with 0, so
 * it would write the bit count into SPI_CMD at offset 0. Marking the offsets
 * absent makes it use the ESP8266 layout (lengths in SPI_USER1), as esptool.
 * @param {import("esptool-js").ESPLoader} loader
 * @returns {Promise<number>}
 */
export async function readFlashId(loader) {
  if (isEsp8266(loader)) {
    loader.chip.SPI_MOSI_DLEN_OFFS = null;
    loader.chip.SPI_MISO_DLEN_OFFS = null;
  }
  return (await loader.readFlashId()) >>> 0;
}

/**
 * Flash size in bytes from a JEDEC id, or null if the capacity byte is not a
 * plausible power of two (0x12 = 256 KB ... 0x1a = 64 MB).
 * @param {number} id
 * @returns {number|null}
 */
export function flashSizeFromId(id) {
  const capacity = (id >>> 16) & 0xff;
  if (capacity >= 0x12 && capacity <= 0x1a) return 2 ** capacity;
  if (capacity >= 0x32 && capacity <= 0x3a) return 2 ** (capacity - 0x20); // some vendors encode 0x3X
  return null;
}
