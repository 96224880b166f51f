// The project's own native host module: what ECMA-419 lacks.
// Simulator: hosts/sim/bindings/native.c, icmp.c (POSIX). Devices: modules/native/lwip (lwIP's API). Every platform:
// modules/native/common (portable C: utf8Text).
declare module "xsnet/native" {
  import type TCP from "embedded:io/socket/tcp";
  import type UDP from "embedded:io/socket/udp";
  /** DNS server `index` (0 or 1) as "a.b.c.d" or "a.b.c.d:port"; undefined when unset. lwIP: dns_getserver(). */
  export function getDNSServer(index: number): string | undefined;
  /**
   * Set DNS server `index` (0 or 1) to "a.b.c.d" or "a.b.c.d:port" (port 1..65535; 53 is not reported back);
   * undefined or "0.0.0.0" clears it. lwIP: dns_setserver() for the address, the port kept by xsnet/native for
   * xsnet's resolver. Throws RangeError on a bad index, TypeError "invalid dns server ip" on a malformed address.
   */
  export function setDNSServer(index: number, address: string | undefined): void;
  export interface InterfaceInfo {
    ip: string;
    netmask: string;
    /** absent when the interface has no gateway (NodeMCU: nil for 0.0.0.0) */
    gateway?: string;
    /** 6 bytes */
    hwaddr: ArrayBuffer;
    /** the host interface's name (simulator) */
    name?: string;
    dhcp?: { server_ip?: string; client_ip?: string; ntp_server?: string };
  }
  /** Interface `index`: 0 station, 1 access point; undefined when there is none. lwIP: netif. */
  export function ifinfo(index: number): InterfaceInfo | undefined;
  /** IP time-to-live of a TCP or UDP socket (0..255), set first when `value` is given. lwIP: pcb->ttl.
   *  Throws "socket is not open/bound yet" for a closed socket. */
  export function ttl(socket: TCP | UDP, value?: number): number;
  /**
   * The local end of a TCP (`udp` false) or UDP (`udp` true) socket of the host's own ECMA-419 classes, as
   * `[port, "a.b.c.d"]`; undefined when closed, not bound yet, or the platform cannot tell (Moddable's desktop
   * simulator). lwIP: pcb->local_port, pcb->local_ip ("0.0.0.0" for Moddable's UDP sockets, bound to every
   * interface). `udp` must name the socket's kind: a board reads the pcb of that type.
   */
  export function local(socket: TCP | UDP, udp: boolean): [number, string] | undefined;
  /**
   * Join an IPv4 multicast group ("0.0.0.0" = any interface) for all UDP sockets. lwIP: igmp_joingroup().
   * Throws Error "multicast join failed: no such interface" (no interface has `ifAddress`) or "... out of memory".
   */
  export function multicastJoin(ifAddress: string, group: string): void;
  /** Leave a multicast group. lwIP: igmp_leavegroup(). Throws Error "multicast leave failed: not a member". */
  export function multicastLeave(ifAddress: string, group: string): void;
  /**
   * Valid UTF-8 as a string at copy speed: the bytes `offset`..`offset + length` of `buffer` after `carry`, the start
   * of a sequence the previous chunk's end cut (0 or undefined: none; else its length 1..3 << 24 | its bytes from
   * bit 16 down). A sequence this chunk's end cuts is packed so into `decoder.carry` (set only when it changes; 0
   * for none); without `decoder` (a message on its own) it makes the bytes invalid. Returns undefined, `carry`
   * untouched, when the bytes are not valid UTF-8 by WHATWG's rules (overlongs, surrogates, past U+10FFFF, F5..FF,
   * lone continuations): the caller decodes them with WHATWG's replacement (src/core/utf8.ts). A NUL byte becomes
   * U+0000. Throws TypeError (no ArrayBuffer), RangeError (outside the buffer; a carry that is no valid start).
   * modules/native/common/utf8.c, the same C on every platform.
   */
  export function utf8Text(buffer: ArrayBuffer, offset: number, length: number, carry?: number,
    decoder?: { carry?: number }): string | undefined;
  /** An ICMP socket. lwIP: raw_new(IP_PROTO_ICMP). */
  export class ICMP {
    constructor(options: { onReadable?: (this: ICMP, count: number) => void });
    /** send one ICMP message (header with checksum, then data) to `address` */
    write(message: ArrayBuffer | Uint8Array, address: string): void;
    /** the next ICMP message received (no IP header), with the sender's address */
    read(): (ArrayBuffer & { address: string }) | undefined;
    close(): void;
  }
}
