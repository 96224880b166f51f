// What the luatos-*.ts socket test apps share: a line of output, socket event names, and Lua-style values.
import socket from "luatos/socket";

/** Print `line` as one line. */
export const log = (line: string): void => trace(line + "\n");

const NAMES: Record<number, string> = {
	[socket.LINK]: "LINK", [socket.ON_LINE]: "ON_LINE", [socket.TX_OK]: "TX_OK", [socket.CLOSED]: "CLOSED",
	[socket.EVENT]: "EVENT",
};

/** A socket event's name ("EVENT"), or the value itself. */
export const name = (event: unknown): string => NAMES[event as number] ?? String(event);

/** JSON with undefined shown as Lua's "nil". */
export const show = (v: unknown): string => JSON.stringify(v, (_k, x) => x === undefined ? "nil" : x);
