#!/usr/bin/env node
// `xsnet flash`: write Moddable SDK firmware to an ESP32 / ESP8266 board with
// esptool-js over a Node serial port. tools/xsnet.js calls main(); this file
// also runs on its own: `node tools/flash/cli.js --port /dev/ttyUSB0 app.bin`.

import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs, USAGE } from "./args.js";
import { FlashError } from "./errors.js";
import { flashBoard } from "./flasher.js";
import { imagesFromArgs, imagesFromBuild } from "./images.js";
import { formatPorts, listPorts } from "./ports.js";
import { Reporter } from "./progress.js";

/**
 * Run `xsnet flash` with the arguments that follow `flash`.
 * @param {string[]} argv e.g. ["--port", "/dev/ttyUSB0", "--build", "build/bin/esp32/release/app"]
 * @param {object} [io] where output goes (for tests)
 * @param {NodeJS.WritableStream & {isTTY?: boolean}} [io.stdout]
 * @param {NodeJS.WritableStream} [io.stderr]
 * @param {NodeJS.ProcessEnv} [io.env]
 * @param {Parameters<typeof listPorts>[0]} [io.portLister] options for listPorts (tests)
 * @returns {Promise<number>} exit code: 0 success, 1 failure, 2 usage error. Never throws.
 */
export async function main(argv, { stdout = process.stdout, stderr = process.stderr, env = process.env, portLister } = {}) {
  let reporter = new Reporter({ stdout, stderr });
  try {
    const args = parseArgs(argv);
    reporter = new Reporter({ stdout, stderr, verbose: args.verbose });
    if (args.help) {
      stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (args.list) return await printPorts(reporter, stdout, portLister);

    const plan = args.build
      ? imagesFromBuild(args.build, { env })
      : { family: null, images: imagesFromArgs(args.images), notes: [] };
    for (const note of plan.notes) reporter.warn(note);
    if (args.port.startsWith("/") && !fs.existsSync(args.port)) {
      const { ports } = await listPorts(portLister);
      throw new FlashError(`Serial port ${args.port} does not exist`, {
        hint: ports.length ? `Serial ports found: ${ports.map((p) => p.path).join(", ")}` : "No USB serial port found: is the board plugged in?",
      });
    }
    await flashBoard({
      port: args.port, chip: args.chip, family: plan.family, baud: args.baud, images: plan.images,
      compress: args.compress, stub: args.stub, flashSize: args.flashSize, connectAttempts: args.connectAttempts,
      reset: args.reset, trace: args.trace, reporter,
    });
    reporter.info("Done.");
    return 0;
  } catch (err) {
    if (err instanceof FlashError) {
      reporter.error(err.message, err.hint);
      if (reporter.verbose && err.cause) stderr.write(`${err.cause.stack ?? err.cause}\n`);
      return err.exitCode;
    }
    reporter.error(`unexpected failure: ${err?.stack ?? err}`);
    return 1;
  }
}

async function printPorts(reporter, stdout, portLister) {
  const { ports, fallback } = await listPorts(portLister);
  if (fallback) {
    reporter.warn(`${fallback}: listing /dev/serial/by-id, /dev/ttyUSB* and /dev/ttyACM* instead (USB ids from /sys when available)`);
  }
  if (ports.length === 0) {
    stdout.write("No serial ports found.\n");
    return 0;
  }
  for (const line of formatPorts(ports)) stdout.write(`${line}\n`);
  return 0;
}

function runAsScript() {
  try {
    return Boolean(process.argv[1]) && fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (runAsScript()) process.exitCode = await main(process.argv.slice(2));
