// Console output of the flash command: status lines, warnings, and a
// progress bar redrawn in place on a terminal, or plain "NN%" lines (one per
// 10%) when stdout is a pipe or a file.

const BAR_WIDTH = 30;

export class Reporter {
  /**
   * @param {object} [options]
   * @param {NodeJS.WritableStream & {isTTY?: boolean, columns?: number}} [options.stdout]
   * @param {NodeJS.WritableStream} [options.stderr]
   * @param {boolean} [options.verbose] also print esptool-js's own messages
   * @param {boolean} [options.tty] force the terminal (true) or plain (false) display
   */
  constructor({ stdout = process.stdout, stderr = process.stderr, verbose = false, tty } = {}) {
    this.stdout = stdout;
    this.stderr = stderr;
    this.verbose = verbose;
    this.tty = tty ?? Boolean(stdout.isTTY);
    this.bar = null; // the image being written
  }

  /** A status line on stdout. @param {string} line */
  info(line) {
    this.above(this.stdout, `${line}\n`);
  }

  /** A warning on stderr. @param {string} line */
  warn(line) {
    this.above(this.stderr, `warning: ${line}\n`);
  }

  /** An error (and optional hint) on stderr. @param {string} message @param {string} [hint] */
  error(message, hint) {
    this.endBar();
    this.stderr.write(`error: ${message}\n`);
    if (hint) this.stderr.write(`hint: ${hint}\n`);
  }

  // Print text; on a terminal, above the progress bar, which is then redrawn.
  above(stream, text) {
    const redraw = this.tty && this.bar;
    if (redraw) this.stdout.write("\r\x1b[K");
    stream.write(text);
    if (redraw) this.draw();
  }

  /** Detail shown only with --verbose. @param {string} line */
  debug(line) {
    if (this.verbose) this.info(line.replace(/[\r\n]+$/, ""));
  }

  /**
   * Start the progress display of one image.
   * @param {string} label e.g. "xs_esp32.bin at 0x10000"
   */
  startBar(label) {
    this.endBar();
    this.bar = { label, lastStep: 0, percent: 0, started: Date.now() };
    if (this.tty) this.draw();
  }

  /**
   * Update the progress display.
   * @param {number} done bytes sent so far (compressed bytes when compressing)
   * @param {number} total bytes to send
   */
  progress(done, total) {
    const bar = this.bar;
    if (!bar) return;
    const percent = total > 0 ? Math.min(100, Math.floor((100 * done) / total)) : 100;
    const changed = percent !== bar.percent;
    bar.percent = percent;
    if (this.tty) {
      if (changed) this.draw();
    } else {
      const step = Math.floor(bar.percent / 10) * 10;
      if (step > bar.lastStep) {
        bar.lastStep = step;
        this.stdout.write(`Writing ${bar.label}: ${step}%\n`);
      }
    }
  }

  draw() {
    const { label, percent } = this.bar;
    const filled = Math.round((BAR_WIDTH * percent) / 100);
    const line = `Writing ${label} [${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}] ${String(percent).padStart(3)}%`;
    this.stdout.write(`\r${line}`);
  }

  /** Finish the progress display (newline after a bar). Returns the seconds it was shown. */
  endBar() {
    if (!this.bar) return 0;
    const seconds = (Date.now() - this.bar.started) / 1000;
    if (this.tty) this.stdout.write("\n");
    this.bar = null;
    return seconds;
  }
}
