// Types and constants of nodemcu/net shared by its files (NodeMCU's net.TCP / net.UDP, callback shapes).
import type { NetSocket } from "nodemcu/socket";
import type { NetUDPSocket } from "nodemcu/udpsocket";

/** Socket type constant of createConnection / createServer (NodeMCU: net.TCP = 1). */
export const TCP = 1 as const;
/** Socket type constant of createConnection / createServer (NodeMCU: net.UDP = 2). */
export const UDP = 2 as const;

// Callback types. The method-shaped helper lets an application annotate `data: string` (or ArrayBuffer) in its
// own callback without a cast, since the receive format is chosen at run time (socket.format).
type Bivariant<A extends unknown[]> = { bivarianceHack(...args: A): void }["bivarianceHack"];
/** "connection", "sent": `(socket)`. */
export type SocketCallback = (socket: NetSocket) => void;
/** "disconnection", "reconnection": `(socket, error)`; error 0 = closed by the peer, else an lwIP error number. */
export type ErrorCallback = (socket: NetSocket, error: number) => void;
/** "receive" of a TCP socket: `(socket, data)`; data is a string, or an ArrayBuffer with format = "buffer". */
export type ReceiveCallback = Bivariant<[socket: NetSocket, data: string | ArrayBuffer]>;
/** "dns": `(socket, ip)`; ip undefined when the name could not be resolved. */
export type DnsCallback<S> = (socket: S, ip: string | undefined) => void;
/** "receive" of a UDP socket: `(socket, data, port, ip)`. */
export type UDPReceiveCallback = Bivariant<[socket: NetUDPSocket, data: string | ArrayBuffer, port: number, ip: string]>;
/** "sent" of a UDP socket: `(socket)`. */
export type UDPSocketCallback = (socket: NetUDPSocket) => void;
/** net.server:listen's callback: `(socket)` for every accepted connection. */
export type AcceptCallback = (socket: NetSocket) => void;
/** net.dns.resolve's callback: `(undefined, ip)`; ip undefined when the name could not be resolved. */
export type ResolveCallback = (sk: undefined, ip: string | undefined) => void;

/** Any callback. */
export type Fn = (...args: any[]) => unknown;
