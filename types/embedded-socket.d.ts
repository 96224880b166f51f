// ECMA-419 (2nd edition) socket classes as xsnet uses them. @moddable/typings 5.6 leaves out close()
// on UDP and Listener; the simulator's extensions (local addresses, onError's code) are marked.
// Devices: Moddable's own classes; the extensions are undefined there unless noted.

declare module "embedded:io/socket/tcp" {
  import type { Buffer } from "embedded:io/_common";
  export interface TCPOptions {
    address?: string;
    port?: number;
    /** an open TCP to take over (it is closed by the transfer); anything else throws SyntaxError */
    from?: TCP;
    noDelay?: boolean;
    keepAlive?: number;
    /** bytes: the socket is writable (first call: connected) */
    onReadable?: (this: TCP, bytes: number) => void;
    onWritable?: (this: TCP, bytes: number) => void;
    /** extension: `code` is an lwIP 2.x err_t (0: the peer closed normally); devices pass nothing */
    onError?: (this: TCP, code?: number) => void;
    format?: "number" | "buffer";
    target?: any;
  }
  export default class TCP {
    /** without options: an empty instance (what Listener.read() fills), as Moddable's */
    constructor(options?: TCPOptions);
    readonly remoteAddress: string | undefined;
    readonly remotePort: number | undefined;
    /** extension: the local end of the connection */
    readonly localAddress: string | undefined;
    readonly localPort: number | undefined;
    target?: any;
    /** undefined when nothing is available; throws when asked for more than is available, or for 0 */
    read(byteLength?: number): ArrayBuffer | number | undefined;
    /** fills `buffer` (throws when it is longer than the bytes available); returns its length */
    read(buffer: Buffer): number;
    /** returns the bytes still writable; throws if `buffer` exceeds them (a byte in format "number") */
    write(buffer: Buffer | number): number;
    close(): void;
    format: "number" | "buffer";
  }
}

declare module "embedded:io/socket/listener" {
  import TCP from "embedded:io/socket/tcp";
  export interface ListenerOptions {
    port?: number;
    address?: string;
    onReadable?: (this: Listener, requests: number) => void;
    target?: any;
  }
  export default class Listener {
    constructor(options: ListenerOptions);
    read(): TCP | undefined;
    close(): void;
    readonly port: number;
    /** extension: the bound address */
    readonly address: string;
    target?: any;
    format: "socket/tcp";
  }
}

declare module "embedded:io/socket/udp" {
  import type { Buffer } from "embedded:io/_common";
  export interface UDPOptions {
    port?: number;
    address?: string;
    onReadable?: (this: UDP, packets: number) => void;
    format?: "buffer";
    multicast?: string;
    timeToLive?: number;
    target?: any;
  }
  export type Packet = ArrayBuffer & { address: string; port: number };
  export default class UDP {
    constructor(options: UDPOptions);
    read(): Packet | undefined;
    write(buffer: Buffer, address: string, port: number): void;
    close(): void;
    /** extension: the bound local port and address */
    readonly port: number;
    readonly address: string;
    target?: any;
    format: "buffer";
  }
}
