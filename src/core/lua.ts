// Lua's argument conversions, shared by the personalities (nodemcu/, luatos/): both APIs come from Lua C
// modules whose arguments pass through luaL_checkinteger / lua_tointeger, and the programs ported from them pass
// numbers and numeric strings alike. Personalities word the errors their own way; these only convert.

/**
 * An integer argument as Lua's luaL_checkinteger takes it from a ported program: a number with an integer value,
 * or a string of decimal digits with an optional "-" (Lua converts numeric strings). Returns undefined for
 * anything else (fractions, NaN, booleans, other strings, null/undefined).
 */
export function toInteger(value: unknown): number | undefined {
	if (typeof value === "string" && /^-?[0-9]+$/.test(value)) value = parseInt(value, 10);
	if (typeof value !== "number" || !Number.isInteger(value)) return undefined;
	return value;
}

/** True for a number or a string of decimal digits: what a Lua function that takes "a number first" sees as one. */
export function isNumberLike(value: unknown): boolean {
	return typeof value === "number" || (typeof value === "string" && /^[0-9]+$/.test(value));
}

/** A port: an integer 0..65535 given as a number or a decimal string of 1..5 digits; undefined otherwise. */
export function toPort(value: unknown): number | undefined {
	if (typeof value === "string" && !/^[0-9]{1,5}$/.test(value)) return undefined;
	const port = toInteger(value);
	if (port === undefined || port < 0 || port > 65535) return undefined;
	return port;
}
