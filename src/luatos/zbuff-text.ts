// Bytes to text for the LuatOS personality: UTF-8 decoded as nodemcu/net decodes it (text/decoder, U+FFFD for
// each invalid byte sequence), except that a leading byte order mark is kept as U+FEFF (ignoreBOM), since a Lua
// string keeps those bytes. Lua strings are byte strings; a JS string cannot be, so this is where bytes that
// are not UTF-8 stop being exact (a zbuff, buf[i] and the byte helpers stay exact).
import { decodeUtf8 } from "xsnet/core/utf8";

/** `bytes` as UTF-8 text; each maximal invalid subpart becomes one U+FFFD (WHATWG, core/utf8.ts). */
export function decodeText(bytes: Uint8Array): string {
	return decodeUtf8(bytes);
}
