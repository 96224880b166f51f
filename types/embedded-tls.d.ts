// ECMA-419 `embedded:io/socket/tcp/tls` as Moddable's TLSSocket takes it (examples/io/tcp/tlssocket over the
// SDK's ssl/session on boards; hosts/sim/js/tls.js over OpenSSL in the simulator): the TCP options plus these.
declare module "embedded:io/socket/tcp/tls" {
  import type TCP from "embedded:io/socket/tcp";
  import type { TCPOptions } from "embedded:io/socket/tcp";
  export interface SecureOptions {
    /** trusted CA, DER (Moddable's name); the simulator also takes an array of them */
    certificate?: ArrayBuffer | ArrayBuffer[];
    /** default true: the certificate chain and the server name are checked */
    verify?: boolean;
    /** client certificate chain, DER (mutual TLS) */
    clientCertificates?: ArrayBuffer[];
    /** the client certificate's key, DER PKCS#8 */
    clientKey?: ArrayBuffer;
    /** overrides `host` for SNI and the name check */
    serverName?: string;
    /** simulator: "TLSv1.2" or "TLSv1.3" (boards speak TLS 1.2 only) */
    minVersion?: string;
    maxVersion?: string;
    /** diagnostics on the console (the simulator: OpenSSL's states and alerts on stderr, level 1 or 2) */
    trace?: boolean | number;
  }
  export interface TLSOptions extends TCPOptions {
    /** the transport: {io: TCP class} */
    TCP: { io: typeof TCP };
    /** the server's name: SNI and the certificate's name check (an IPv4 literal: its IP subjectAltName) */
    host?: string;
    secure?: SecureOptions;
  }
  export default class TLSSocket {
    constructor(options: TLSOptions);
    readonly remoteAddress: string | undefined;
    readonly remotePort: number | undefined;
    read(byteLength?: number): ArrayBuffer | undefined;
    read(buffer: ArrayBufferView | ArrayBuffer): number;
    write(buffer: ArrayBufferView | ArrayBuffer): number;
    close(): void;
    format: "buffer";
  }
}
