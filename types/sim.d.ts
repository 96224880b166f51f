// Modules that exist only in the desktop simulator (hosts/sim). Device builds do not have them:
// use them in tests and tools, never in src/ or examples/.
declare module "xsnet-sim/args" {
  /** The arguments given after `--` on the simulator's command line (`xsnet run app.ts -- a b`). */
  const args: string[];
  export default args;
}
declare module "xsnet-sim/heap" {
  /** Bytes of XS heap in use (chunks + slots); exact right after gc(). */
  export function used(): number;
  /** Run XS's garbage collector. */
  export function gc(): void;
}
declare module "xsnet-sim/clock" {
  /** Seconds of CPU time the simulator process has used (user + system); for benchmarks. */
  export function cpu(): number;
}
