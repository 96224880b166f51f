// The project's own native host module: what ECMA-419 lacks.
// Simulator: hosts/sim/native.c (POSIX). Devices: modules/native/lwip/*.c (lwIP raw API).
declare module "xsnet/native" {
  /** DNS server `index` (0 or 1) as "a.b.c.d" or "a.b.c.d:port"; undefined when unset. lwIP: dns_getserver(). */
  export function getDNSServer(index: number): string | undefined;
  /** Set DNS server `index` (0 or 1); undefined clears it. lwIP: dns_setserver(). */
  export function setDNSServer(index: number, address: string | undefined): void;
}
