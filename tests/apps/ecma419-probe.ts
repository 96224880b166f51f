// What the ecma419-*.ts test apps share: one line of output per observation, and the class of what a call throws.

/** Print `text` as one line. */
export function line(text: string): void {
  trace(`${text}\n`);
}

/** The class name of what fn() throws, or "none". */
export function thrown(fn: () => unknown): string {
  try {
    fn();
    return "none";
  }
  catch (e: any) {
    return e?.constructor?.name ?? typeof e;
  }
}
