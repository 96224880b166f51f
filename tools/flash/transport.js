// A Node serial port with the shape of a Web Serial `SerialPort`, so that
// esptool-js (written for browsers) can drive a board through `serialport`.
//
// esptool-js's `Transport` only touches: open(options), close(), the
// `readable` / `writable` web streams, setSignals({dataTerminalReady,
// requestToSend, break}), getInfo(), and, when present, setBaudRate(baud),
// which it prefers to a close/reopen when the baud rate changes.

import { SerialPort } from "serialport";
import { Transport } from "esptool-js";

/** True for the error a pseudo-terminal gives when asked to set DTR/RTS. */
function isNotATty(err) {
  return err?.code === "ENOTTY" || /Inappropriate ioctl|ENOTTY/i.test(String(err?.message));
}

function promisify(fn) {
  return new Promise((resolve, reject) => fn((err) => (err ? reject(err) : resolve())));
}

export class NodeSerialPort {
  /**
   * @param {string} path serial device, e.g. /dev/ttyUSB0 or COM3
   * @param {object} [options]
   * @param {{usbVendorId?: number, usbProductId?: number}} [options.info] returned by getInfo()
   * @param {(message: string) => void} [options.log] receives one-off notes (e.g. "no modem lines")
   * @param {typeof SerialPort} [options.SerialPortClass] for tests
   */
  constructor(path, { info = {}, log = () => {}, SerialPortClass = SerialPort } = {}) {
    this.path = path;
    this.info = info;
    this.log = log;
    this.SerialPortClass = SerialPortClass;
    this.port = null;
    this._readable = null;
    this._writable = null;
    this.signals = { dtr: false, rts: false, brk: false };
    this.signalsUnsupported = false;
  }

  /**
   * Open the device (8N1, no flow control unless asked).
   * @param {{baudRate: number, dataBits?: number, stopBits?: number, parity?: string, flowControl?: string}} options
   * @throws {Error} when the device cannot be opened (ENOENT, EACCES, EBUSY...)
   */
  async open({ baudRate, dataBits = 8, stopBits = 1, parity = "none", flowControl = "none" }) {
    if (this.port?.isOpen) throw new Error(`${this.path} is already open`);
    this.port = new this.SerialPortClass({
      path: this.path, baudRate, dataBits, stopBits, parity, rtscts: flowControl === "hardware", autoOpen: false,
    });
    this.port.on("error", () => {}); // surfaced through the callbacks and streams instead
    await promisify((cb) => this.port.open(cb));
  }

  /** Web Serial: a stream of received bytes, or null when the port is closed. */
  get readable() {
    if (!this.port?.isOpen) return this._readable;
    if (!this._readable) this._readable = this.makeReadable();
    return this._readable;
  }

  /** Web Serial: a stream accepting Uint8Array chunks, or null when closed. */
  get writable() {
    if (!this.port?.isOpen) return this._writable;
    if (!this._writable) this._writable = this.makeWritable();
    return this._writable;
  }

  makeReadable() {
    const port = this.port;
    let onData, onClose;
    const detach = () => { port.off("data", onData); port.off("close", onClose); };
    const stream = new ReadableStream({
      start: (controller) => {
        onData = (chunk) => controller.enqueue(new Uint8Array(chunk));
        onClose = () => { detach(); try { controller.close(); } catch { /* already closed */ } };
        port.on("data", onData);
        port.on("close", onClose);
      },
      cancel: () => {
        detach();
        if (this._readable === stream) this._readable = null; // like Web Serial, a fresh stream next time
      },
    });
    return stream;
  }

  makeWritable() {
    const port = this.port;
    const stream = new WritableStream({
      write: (chunk) => promisify((cb) => port.write(Buffer.from(chunk), cb)),
      close: () => { if (this._writable === stream) this._writable = null; },
      abort: () => { if (this._writable === stream) this._writable = null; },
    });
    return stream;
  }

  /**
   * Drive the modem lines. esptool-js resets the chip into the bootloader by
   * toggling DTR (GPIO0) and RTS (EN). Both lines are always sent because
   * serialport fills missing ones with defaults. A pseudo-terminal cannot
   * carry them (ENOTTY): that is noted once and otherwise ignored.
   * @param {{dataTerminalReady?: boolean, requestToSend?: boolean, break?: boolean}} signals
   * @throws {Error} any other failure of the underlying ioctl
   */
  async setSignals(signals) {
    if (signals.dataTerminalReady !== undefined) this.signals.dtr = signals.dataTerminalReady;
    if (signals.requestToSend !== undefined) this.signals.rts = signals.requestToSend;
    if (signals.break !== undefined) this.signals.brk = signals.break;
    if (this.signalsUnsupported || !this.port?.isOpen) return;
    try {
      await promisify((cb) => this.port.set({ ...this.signals }, cb));
    } catch (err) {
      if (!isNotATty(err)) throw err;
      this.signalsUnsupported = true;
      this.log(`${this.path} has no modem control lines (not a tty): skipping DTR/RTS reset`);
    }
  }

  /**
   * Change the host baud rate in place (esptool-js calls this after the chip
   * acknowledged CHANGE_BAUDRATE).
   * @param {number} baudRate bits per second
   */
  async setBaudRate(baudRate) {
    await promisify((cb) => this.port.update({ baudRate }, cb));
  }

  /** Web Serial: USB ids when known (esptool-js picks its reset strategy from them). */
  getInfo() {
    return { ...this.info };
  }

  /** Close the device; pending reads end with `done`. Safe to call twice. */
  async close() {
    const port = this.port;
    if (port?.isOpen) await promisify((cb) => port.close(cb));
    this._readable = null;
    this._writable = null;
  }
}

/**
 * esptool-js's own Transport, with its trace output routed to a logger:
 * upstream prints some TRACE lines with console.log even when tracing is
 * off (e.g. "readLoop exited"), which would garble the progress display.
 */
export class QuietTransport extends Transport {
  /**
   * @param {NodeSerialPort} device
   * @param {boolean} tracing print every packet (for --trace)
   * @param {(line: string) => void} sink where trace lines go when tracing
   */
  constructor(device, tracing, sink) {
    super(device, tracing);
    this.sink = sink;
  }

  trace(message) {
    if (this.tracing) this.sink(`TRACE ${message}`);
  }
}
