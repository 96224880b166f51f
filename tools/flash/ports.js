// Serial port discovery for `xsnet flash --list` and for friendlier errors.
//
// serialport's list() is the first choice. On Linux it runs `udevadm`, which
// is missing in many containers and minimal systems; then we scan /dev
// ourselves (/dev/serial/by-id, /dev/ttyUSB*, /dev/ttyACM*) and read USB ids
// from sysfs, and say that we did.

import fs from "node:fs";
import path from "node:path";

/**
 * @typedef {object} PortInfo
 * @property {string} path device path
 * @property {string} [vendorId] USB vendor id, 4 lowercase hex digits
 * @property {string} [productId] USB product id, 4 lowercase hex digits
 * @property {string} [manufacturer]
 * @property {string} [serialNumber]
 * @property {string} [byId] the /dev/serial/by-id name, when there is one
 */

/**
 * List serial ports.
 * @param {object} [options]
 * @param {() => Promise<object[]>} [options.list] primary lister (default: serialport's SerialPort.list)
 * @param {string} [options.devDir] where device nodes live (default /dev)
 * @param {string} [options.sysDir] sysfs root (default /sys)
 * @returns {Promise<{ports: PortInfo[], fallback: string|null}>} fallback is null when the
 *   primary lister worked, else the reason the /dev scan was used. Never throws.
 */
export async function listPorts({ list, devDir = "/dev", sysDir = "/sys" } = {}) {
  try {
    const lister = list ?? (await import("serialport")).SerialPort.list;
    const found = await lister();
    return {
      fallback: null,
      ports: found.map((p) => ({
        path: p.path,
        vendorId: p.vendorId?.toLowerCase(),
        productId: p.productId?.toLowerCase(),
        manufacturer: p.manufacturer,
        serialNumber: p.serialNumber,
      })),
    };
  } catch (err) {
    const reason = err?.code === "ENOENT" && /udevadm/.test(err.message)
      ? "udevadm is not installed"
      : `the system port list failed (${err?.message ?? err})`;
    return { fallback: reason, ports: scanDev(devDir, sysDir) };
  }
}

/**
 * Scan a /dev tree for USB serial adapters without udev's help.
 * @param {string} devDir
 * @param {string} sysDir
 * @returns {PortInfo[]} sorted by path
 */
export function scanDev(devDir = "/dev", sysDir = "/sys") {
  const ports = new Map();
  for (const name of safeReaddir(devDir)) {
    if (/^tty(USB|ACM)\d+$/.test(name)) ports.set(path.join(devDir, name), { path: path.join(devDir, name) });
  }
  const byIdDir = path.join(devDir, "serial", "by-id");
  for (const name of safeReaddir(byIdDir)) {
    let target;
    try { target = path.resolve(byIdDir, fs.readlinkSync(path.join(byIdDir, name))); } catch { continue; }
    const entry = ports.get(target) ?? { path: target };
    entry.byId = path.join(byIdDir, name);
    ports.set(target, entry);
  }
  for (const entry of ports.values()) Object.assign(entry, usbIds(path.basename(entry.path), sysDir));
  return [...ports.values()].sort((a, b) => a.path.localeCompare(b.path, "en", { numeric: true }));
}

/**
 * USB ids of a tty from sysfs: /sys/class/tty/<name>/device points into the
 * USB interface; idVendor/idProduct live a few directories up, on the device.
 * @param {string} ttyName e.g. "ttyUSB0"
 * @param {string} sysDir
 * @returns {{vendorId?: string, productId?: string, manufacturer?: string, serialNumber?: string}}
 */
export function usbIds(ttyName, sysDir = "/sys") {
  let dir;
  try { dir = fs.realpathSync(path.join(sysDir, "class", "tty", ttyName, "device")); } catch { return {}; }
  for (let i = 0; i < 6 && dir.length > 1; i++, dir = path.dirname(dir)) {
    const vendorId = readText(path.join(dir, "idVendor"));
    if (vendorId) {
      const result = { vendorId: vendorId.toLowerCase(), productId: readText(path.join(dir, "idProduct"))?.toLowerCase() };
      const manufacturer = readText(path.join(dir, "manufacturer"));
      const serialNumber = readText(path.join(dir, "serial"));
      if (manufacturer) result.manufacturer = manufacturer;
      if (serialNumber) result.serialNumber = serialNumber;
      return result;
    }
  }
  return {};
}

/**
 * Web Serial style ids for one port path (best effort, for esptool-js's reset choice).
 * @param {string} portPath
 * @param {string} [sysDir]
 * @returns {{usbVendorId?: number, usbProductId?: number}}
 */
export function webSerialInfo(portPath, sysDir = "/sys") {
  let name;
  try { name = path.basename(fs.realpathSync(portPath)); } catch { return {}; }
  const ids = usbIds(name, sysDir);
  const info = {};
  if (ids.vendorId) info.usbVendorId = parseInt(ids.vendorId, 16);
  if (ids.productId) info.usbProductId = parseInt(ids.productId, 16);
  return info;
}

/**
 * One line per port, for humans.
 * @param {PortInfo[]} ports
 * @returns {string[]}
 */
export function formatPorts(ports) {
  return ports.map((p) => {
    const ids = p.vendorId ? `  ${p.vendorId}:${p.productId ?? "????"}` : "  (USB ids unknown)";
    const extra = [p.manufacturer, p.serialNumber && `serial ${p.serialNumber}`, p.byId].filter(Boolean).join(", ");
    return `${p.path}${ids}${extra ? `  ${extra}` : ""}`;
  });
}

function safeReaddir(dir) {
  try { return fs.readdirSync(dir); } catch { return []; }
}

function readText(file) {
  try { return fs.readFileSync(file, "utf8").trim() || undefined; } catch { return undefined; }
}
