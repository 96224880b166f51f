// Bytes to text for the LuatOS personality: UTF-8 decoded as nodemcu/net decodes it (text/decoder, U+FFFD for
// each invalid byte sequence), except that a leading byte order mark is kept as U+FEFF (ignoreBOM), since a Lua
// string keeps those bytes. Lua strings are byte strings; a JS string cannot be, so this is where bytes that
// are not UTF-8 stop being exact (a zbuff, buf[i] and the byte helpers stay exact).
import TextDecoder from "text/decoder";

// Made on first use: constructing a host object is refused while a board's preload runs.
let decoder: TextDecoder | undefined;

/** `bytes` as UTF-8 text; invalid sequences become U+FFFD. */
export function decodeText(bytes: Uint8Array): string {
	if (!bytes.length) return "";
	return (decoder ??= new TextDecoder("utf-8", { ignoreBOM: true })).decode(bytes);
}
