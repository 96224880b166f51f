// One coercion rule for every integer argument of nodemcu/net (ports, indexes, counts, ttl, type, secure,
// timeout), from NodeMCU's luaL_checkinteger: a number with an integer value, or a string of decimal digits
// (optional "-"), is that integer; anything else (a fraction, NaN, Infinity, a boolean, "", " 7", "0x7", "7e0",
// "7.0") is the function's type error; an integer out of range is its range error. listen()'s first argument
// follows net.c's positional rule: a number or a digit string is the port, any other string the IP address.
// Apps: tests/apps/coercion.ts, tests/apps/coercion-luatos.ts (docs/nodemcu-net.md, "Argument coercion").
import assert from "node:assert/strict";
import { app, cleanup, exitsCleanly, closedPort } from "./support/net-peers.js";

const NOT_INTEGERS = (b) => [b + 0.5, NaN, Infinity, " " + b, "0x" + b.toString(16), b + "e0", b + ".0", true, ""]
  .map((v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : JSON.stringify(v)));

describe("nodemcu/net: one argument coercion rule", function () {
  this.timeout(30000);
  afterEach(cleanup);

  /** The table of `rows`: per function, b and String(b) act alike, every non-integer gets one error. */
  function checkTable(rows, count) {
    const byFunction = new Map();
    for (const x of rows) byFunction.set(x.f, [...(byFunction.get(x.f) ?? []), x]);
    assert.equal(byFunction.size, count);
    for (const [f, calls] of byFunction) {
      const result = (v) => calls.find((c) => c.v === v)?.r;
      const b = calls[0].b;
      assert.equal(result(String(b)), "ok", `${f}(${b})`);
      assert.equal(result(JSON.stringify(String(b))), "ok", `${f}("${b}") must act as ${f}(${b})`);
      // "-1" acts as -1 wherever a number is expected
      const listens = f.endsWith(":listen(port)");
      if (!listens) assert.equal(result(JSON.stringify("-1")), result("-1"), `${f}("-1") vs ${f}(-1)`);
      // the rest: one type error per function (listen: strings are its IP address argument)
      const bad = NOT_INTEGERS(b).filter((v) => !(listens && (v.startsWith('"') || v === "true")));
      const errors = new Set(bad.map((v) => result(v)?.replace(/, got \w+$/, "")));   // luatos names the type it got
      assert.equal(errors.size, 1, `${f}: ${JSON.stringify(bad.map((v) => [v, result(v)]))}`);
      assert.match([...errors][0], /^(Type)?Error: ./, f);
      if (listens) for (const v of NOT_INTEGERS(b).filter((x) => x.startsWith('"')))
        assert.equal(result(v), "Error: invalid IP address", `${f}(${v})`);
    }
  }
  const table = (stdout) => stdout.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));

  it("nodemcu/net: every integer argument takes a decimal string as the integer and refuses fractions, NaN, booleans and other strings with the function's error", async () => {
    const r = await exitsCleanly(app("coercion", [await closedPort()]));
    assert.match(r.stdout, /\ndone\n$/);
    checkTable(table(r.stdout), 14);
  });

  it("luatos/socket, sys and zbuff: the same rule (TypeError naming the argument)", async () => {
    const r = await exitsCleanly(app("coercion-luatos", [await closedPort()]));
    assert.match(r.stdout, /\ndone\n$/);
    checkTable(table(r.stdout), 9);
  });
});
