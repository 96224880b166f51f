// One flashing session: open the port, sync with the ROM bootloader, identify
// the chip, (optionally) start the flasher stub, raise the baud rate, detect
// the flash, write and verify each image, and hard-reset the board.
// esptool-js does the protocol work; see rom-quirks.js for what it needs help with.

import { createHash } from "node:crypto";
import { ESPLoader } from "esptool-js";
import { FlashError } from "./errors.js";
import { formatSize, resolveImages } from "./images.js";
import {
  attachFlash, flashSizeFromId, isEsp8266, readFlashId, readFlashMd5, setFlashParams, useRomLoader,
} from "./rom-quirks.js";
import { NodeSerialPort, QuietTransport } from "./transport.js";
import { webSerialInfo } from "./ports.js";

const ROM_BAUD = 115200;
const hex = (n) => `0x${n.toString(16)}`;

/** esptool-js CHIP_NAME values accepted for each --chip / build family. */
function chipMatches(wanted, chipName) {
  if (wanted === "esp32") return chipName === "ESP32";
  if (wanted === "esp8266") return chipName === "ESP8266";
  if (wanted === "esp32-family") return chipName.startsWith("ESP32");
  return true;
}

function openError(port, err) {
  const code = err?.code ?? (/(ENOENT|EACCES|EBUSY|EPERM)/.exec(String(err?.message))?.[1]);
  const hint = {
    ENOENT: "Check the path; `xsnet flash --list` shows the serial ports.",
    EACCES: "No permission: on Linux add yourself to the dialout (or uucp) group and log in again.",
    EPERM: "No permission: on Linux add yourself to the dialout (or uucp) group and log in again.",
    EBUSY: "Another program (a serial monitor, xsbug, serial2xsbug) has the port open: close it.",
  }[code];
  return new FlashError(`Cannot open serial port ${port}: ${err?.message ?? err}`, { hint, cause: err });
}

/**
 * Flash images to a board.
 * @param {object} o
 * @param {string} o.port serial device path
 * @param {"auto"|"esp32"|"esp8266"} o.chip expected chip (--chip)
 * @param {"esp32"|"esp8266"|null} o.family chip family a --build folder was made for
 * @param {number} o.baud baud rate for the transfer (bits/s); sync is always at 115200
 * @param {import("./images.js").PlannedImage[]} o.images
 * @param {boolean} o.compress send deflated data (when the loader supports it)
 * @param {boolean} o.stub upload esptool's flasher stub (false: talk to the ROM only)
 * @param {number|null} o.flashSize flash size in bytes, null to detect it
 * @param {number} o.connectAttempts reset-and-sync rounds before giving up
 * @param {boolean} o.reset hard-reset the board at the end
 * @param {boolean} o.trace log every serial packet
 * @param {import("./progress.js").Reporter} o.reporter
 * @returns {Promise<void>}
 * @throws {FlashError} for every failure, with a message for the user
 */
export async function flashBoard(o) {
  const { reporter } = o;
  let noModemLines = false;
  const device = new NodeSerialPort(o.port, {
    info: webSerialInfo(o.port),
    log: (line) => { noModemLines = true; reporter.debug(line); },
  });
  const transport = new QuietTransport(device, o.trace, (line) => reporter.info(line));
  const terminal = { clean() {}, writeLine: (s) => reporter.debug(s), write: (s) => reporter.debug(s) };
  const loader = new ESPLoader({ transport, baudrate: o.baud, romBaudrate: ROM_BAUD, terminal, debugLogging: o.trace });
  let stage = "connecting";
  try {
    reporter.info(`Connecting to ${o.port}...`);
    try {
      await loader.connect("default_reset", o.connectAttempts, true);
    } catch (err) {
      if (!device.port?.isOpen) throw openError(o.port, err);
      if (/Failed to connect/.test(err?.message)) {
        throw new FlashError(`No answer from the ROM bootloader on ${o.port} (no sync after ${o.connectAttempts} attempts)`, {
          hint: "Put the board in download mode (hold BOOT/GPIO0 low while pressing RESET), check the cable and port, and close serial monitors.",
          cause: err,
        });
      }
      throw err;
    }
    if (noModemLines) reporter.warn(`${o.port} has no DTR/RTS lines (not a real serial port): the board was not reset into the bootloader`);
    const chip = loader.chip;
    const wanted = o.chip !== "auto" ? o.chip : o.family === "esp32" ? "esp32-family" : o.family;
    if (wanted && !chipMatches(wanted, chip.CHIP_NAME)) {
      const asked = o.chip !== "auto" ? `--chip ${o.chip} was given` : `the build folder is for ${o.family.toUpperCase()}`;
      throw new FlashError(`Wrong chip: ${asked}, but the board is an ${chip.CHIP_NAME}`, {
        hint: "Check the port (--list) and the firmware you are flashing.",
      });
    }

    stage = "reading chip information";
    reporter.info(`Chip: ${await chip.getChipDescription(loader)}`);
    const features = await chip.getChipFeatures(loader);
    reporter.info(`Features: ${features.map((f) => f.trim()).join(", ")}`);
    reporter.info(`Crystal: ${await chip.getCrystalFreq(loader)} MHz`);
    reporter.info(`MAC: ${await chip.readMac(loader)}`);

    if (o.stub) {
      stage = "starting the flasher stub";
      await loader.runStub();
    }
    if (!loader.IS_STUB) useRomLoader(loader);
    reporter.info(loader.IS_STUB ? "Flasher stub running" : "Talking to the ROM bootloader (no stub)");

    stage = "attaching the SPI flash";
    await attachFlash(loader);

    if (o.baud !== ROM_BAUD) {
      if (isEsp8266(loader) && !loader.IS_STUB) {
        reporter.warn(`The ESP8266 ROM cannot change baud rate: staying at ${ROM_BAUD} (drop --no-stub to go faster)`);
      } else {
        stage = `changing the baud rate to ${o.baud}`;
        await loader.changeBaud();
        reporter.info(`Baud rate: ${transport.baudrate}`);
      }
    }

    stage = "detecting the flash";
    const flashId = await readFlashId(loader);
    const detected = flashSizeFromId(flashId);
    const flashSize = o.flashSize ?? detected;
    const device16 = ((flashId >> 8) & 0xff) << 8 | ((flashId >> 16) & 0xff); // memory type, capacity
    const idText = `manufacturer ${hex(flashId & 0xff)}, device ${hex(device16)}`;
    if (!flashSize) {
      throw new FlashError(`Could not detect the flash size (JEDEC id ${hex(flashId)}): the flash chip did not answer as expected`, {
        hint: "Check the board, or give the size with --flash-size (e.g. 4MB).",
      });
    }
    reporter.info(`Flash: ${formatSize(flashSize)}${o.flashSize ? " (--flash-size)" : ""} (${idText})`);
    await setFlashParams(loader, flashSize);

    const target = { chipName: chip.CHIP_NAME, bootloaderOffset: chip.BOOTLOADER_FLASH_OFFSET ?? 0, flashSize };
    const images = resolveImages(o.images, target);
    const canCompress = !(isEsp8266(loader) && !loader.IS_STUB);
    if (o.compress && !canCompress) reporter.info("Compression off: the ESP8266 ROM cannot inflate");
    const compress = o.compress && canCompress;

    for (const img of images) {
      stage = `writing ${img.name} at ${hex(img.address)}`;
      reporter.debug(`${img.name} -> ${hex(img.address)} (${img.origin})`);
      let sent = 0;
      reporter.startBar(`${img.name} at ${hex(img.address)}`);
      await loader.writeFlash({
        fileArray: [{ data: img.data, address: img.address }],
        flashMode: "keep", flashFreq: "keep", flashSize: "keep", // write the files exactly as built
        eraseAll: false,
        compress,
        reportProgress: (_index, done, total) => { sent = total; reporter.progress(done, total); },
      });
      const seconds = reporter.endBar();
      const how = compress ? ` (${sent} compressed)` : "";
      reporter.info(`Wrote ${img.data.length} bytes${how} at ${hex(img.address)} in ${seconds.toFixed(1)} s`);
      await verify(loader, img, reporter, (s) => { stage = s; });
    }

    if (o.reset) {
      stage = "resetting the board";
      await loader.after("hard_reset");
      if (noModemLines) reporter.warn("Could not pull RTS to reset the board: press its reset button to start the new firmware");
      else reporter.info("Hard reset via RTS");
    } else {
      reporter.info("Leaving the board in the bootloader (--no-reset)");
    }
  } catch (err) {
    if (err instanceof FlashError) throw err;
    throw new FlashError(`Failed while ${stage}: ${err?.message ?? err}`, { cause: err });
  } finally {
    await device.close().catch(() => {});
  }
}

async function verify(loader, img, reporter, setStage) {
  if (isEsp8266(loader) && !loader.IS_STUB) {
    reporter.warn(`${img.name} not verified: the ESP8266 ROM has no MD5 command (drop --no-stub to verify)`);
    return;
  }
  setStage(`verifying ${img.name}`);
  const expected = createHash("md5").update(img.data).digest("hex");
  const actual = await readFlashMd5(loader, img.address, img.data.length);
  if (actual !== expected) {
    throw new FlashError(`MD5 mismatch for ${img.name} at ${hex(img.address)}: file ${expected}, flash ${actual}`, {
      hint: "The data in flash differs from the file. Flash again; if it persists try a lower --baud, another cable or USB port.",
    });
  }
  reporter.info(`Verified ${img.name}: MD5 ${expected}`);
}
