// Errors the flash command reports to the user without a stack trace.

/** A failure with a message meant for the user, an optional hint, and an exit code. */
export class FlashError extends Error {
  /**
   * @param {string} message what went wrong, one sentence
   * @param {object} [options]
   * @param {string} [options.hint] what to try next
   * @param {number} [options.exitCode] process exit code (default 1)
   * @param {unknown} [options.cause] underlying error
   */
  constructor(message, { hint, exitCode = 1, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "FlashError";
    this.hint = hint;
    this.exitCode = exitCode;
  }
}

/** Bad command line: exit code 2. */
export class UsageError extends FlashError {
  /** @param {string} message */
  constructor(message) {
    super(message, { hint: "Run `xsnet flash --help` for usage.", exitCode: 2 });
    this.name = "UsageError";
  }
}
