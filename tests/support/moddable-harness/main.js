// Runs one test of the Moddable SDK (tests/modules/...) inside the xsnet simulator. Our own harness, written from
// Moddable's documentation of its test app (documentation/tools/testing.md) and test262's conventions: it
// provides the globals those tests use and reports the verdict on stdout as one line
//   @@moddable-harness pass
//   @@moddable-harness fail <reason on one line>
// for tests/support/moddable-harness/run-one.js, which ends the simulator at the first verdict (as Moddable's
// runner ends a test at its first $DONE).
//
// Arguments (after "--"): the test file (absolute path), a JSON object of host names -> loopback addresses
// ($NETWORK.resolve), "async" when the test's front matter has the async flag (then only $DONE ends it).
import Timer from "timer";
import TextDecoder from "text/decoder";
import args from "xsnet-sim/args";

const [testFile, hostsJSON = "{}", mode = ""] = args;
const hosts = JSON.parse(hostsJSON);
const isAsync = mode === "async";

let verdict;
function report(outcome, reason) {
  if (verdict) return;
  verdict = outcome;
  const line = reason === undefined ? "" : " " + String(reason).replace(/\s*\n\s*/g, " | ");
  trace(`\n@@moddable-harness ${outcome}${line}\n`);
}

function show(value) {
  try {
    if (typeof value === "string") return JSON.stringify(value);
    if (typeof value === "symbol") return value.toString();
    if (value instanceof Error) return `${value.name}: ${value.message}`;
    if (typeof value === "function") return `function ${value.name}`;
    return String(value);
  }
  catch {
    return "(unprintable)";
  }
}

/** What the assertions throw (test262 calls it Test262Error). */
class Test262Error extends Error {
  // a class field defines an own property: assigning `this.name` would hit the frozen Error.prototype.name
  // (read-only once the preload phase ends, on a board and in the simulator alike)
  name = "Test262Error";
}
globalThis.Test262Error = Test262Error;

function fail(message, detail) {
  throw new Test262Error(message ? `${message} (${detail})` : detail);
}

/** assert(value, message): value must be exactly true. */
function assert(value, message) {
  if (value !== true) fail(message, `expected true, got ${show(value)}`);
}
/** Same value as Object.is decides. */
assert.sameValue = function (actual, expected, message) {
  if (!Object.is(actual, expected)) fail(message, `expected ${show(expected)}, got ${show(actual)}`);
};
assert.notSameValue = function (actual, unexpected, message) {
  if (Object.is(actual, unexpected)) fail(message, `expected anything but ${show(unexpected)}`);
};
/** fn() must throw an object whose constructor is exactly `expected` (a subclass does not do). */
assert.throws = function (expected, fn, message) {
  if (typeof fn !== "function") fail(message, "assert.throws needs a function to call");
  let threw = false, error;
  try {
    fn();
  }
  catch (e) {
    threw = true;
    error = e;
  }
  if (!threw) fail(message, `expected ${expected.name} to be thrown, nothing was`);
  if (typeof error !== "object" || error === null) fail(message, `expected ${expected.name}, ${show(error)} was thrown`);
  if (error.constructor !== expected) fail(message, `expected ${expected.name}, got ${show(error)}`);
};
globalThis.assert = assert;

/** $DONE() passes, $DONE(reason) fails; only the first call counts. */
globalThis.$DONE = function (reason) {
  if (reason) report("fail", show(reason));
  else report("pass");
};

/** $DO(f): a function that runs f with its arguments, then $DONE() or $DONE(the exception). */
globalThis.$DO = function (f) {
  return function (...argv) {
    try {
      f.apply(this, argv);
      $DONE();
    }
    catch (e) {
      $DONE(e);
    }
  };
};

// Host objects of classes that no socket class accepts (the tests check that methods called with them as
// `this` throw). The simulator has no test host classes, so instances of its own stand in: a timer for a host
// object with a pointer, a TextDecoder for one with a chunk. There is no host buffer: an ArrayBuffer stands in
// (the socket tests only pass the HostBuffer class itself).
class HostObject {
  constructor() {
    const timer = Timer.set(() => {}, 0x7fffffff);
    Timer.clear(timer);
    return timer;
  }
}
class HostObjectChunk {
  constructor() {
    return new TextDecoder();
  }
}
class HostBuffer {
  constructor(count = 16) {
    return new ArrayBuffer(count);
  }
}

globalThis.$TESTMC = Object.freeze({
  timeout(ms, message = "timeout") {
    Timer.set(() => $DONE(message), ms);
  },
  HostObject,
  HostObjectChunk,
  HostBuffer,
  config: Object.freeze({}),
});

globalThis.$NETWORK = Object.freeze({
  /** The loopback network is always up. */
  get connected() {
    return Promise.resolve();
  },
  /** The loopback address that plays `name` in this run (run-one.js starts a peer there). */
  resolve(name) {
    const address = hosts[name];
    return address ? Promise.resolve(address) : Promise.reject(new Error(`cannot resolve ${name}`));
  },
  invalidDomain: "fail.moddable.com",
});

import(testFile).then(
  () => { if (!isAsync) report("pass"); },
  (e) => report("fail", show(e)),
);
