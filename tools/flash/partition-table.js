// Reader for the binary ESP-IDF partition table (partition-table.bin).
//
// Layout (ESP-IDF "Partition Tables" documentation): up to 95 entries of 32
// bytes each, little-endian: magic 0xAA 0x50, type (u8), subtype (u8),
// offset (u32), size (u32), label (16 bytes, NUL padded), flags (u32). The
// list ends at an all-0xFF entry; an entry starting 0xEB 0xEB carries an MD5
// of the table and is skipped.

/** Partition types and subtypes used here. */
export const APP = 0x00, DATA = 0x01;
export const APP_FACTORY = 0x00, APP_OTA_0 = 0x10, DATA_OTA = 0x00;

/**
 * @typedef {object} Partition
 * @property {string} label
 * @property {number} type
 * @property {number} subtype
 * @property {number} offset bytes from the start of flash
 * @property {number} size bytes
 */

/**
 * Parse a partition table image.
 * @param {Uint8Array} bytes contents of partition-table.bin
 * @returns {Partition[]}
 * @throws {Error} when the first entry does not carry the 0xAA50 magic
 */
export function parsePartitionTable(bytes) {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts = [];
  for (let off = 0; off + 32 <= buf.length; off += 32) {
    const m0 = buf[off], m1 = buf[off + 1];
    if (m0 === 0xaa && m1 === 0x50) {
      const label = buf.subarray(off + 12, off + 28).toString("latin1").replace(/\0.*$/s, "");
      parts.push({ label, type: buf[off + 2], subtype: buf[off + 3], offset: buf.readUInt32LE(off + 4), size: buf.readUInt32LE(off + 8) });
    } else if (m0 === 0xeb && m1 === 0xeb) {
      continue; // MD5 of the entries above
    } else if (m0 === 0xff && m1 === 0xff) {
      break;
    } else if (parts.length === 0) {
      throw new Error("not an ESP-IDF partition table (no 0xAA50 magic)");
    } else {
      break;
    }
  }
  return parts;
}

/**
 * Where the application goes: the factory partition, else ota_0 (the
 * partition the ESP-IDF bootloader boots when there is no OTA data).
 * @param {Partition[]} parts
 * @returns {Partition|undefined}
 */
export function appPartition(parts) {
  return parts.find((p) => p.type === APP && p.subtype === APP_FACTORY)
    ?? parts.find((p) => p.type === APP && p.subtype === APP_OTA_0);
}

/**
 * The OTA data partition, if the table has one.
 * @param {Partition[]} parts
 * @returns {Partition|undefined}
 */
export function otaDataPartition(parts) {
  return parts.find((p) => p.type === DATA && p.subtype === DATA_OTA);
}
