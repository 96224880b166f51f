// luatos/sys (and luatos/sysplus) in the simulator: tasks, the message bus, task messages, timers, errors
// (app: tests/apps/luatos-sys.ts; each scenario prints lines compared here).
import assert from "node:assert/strict";
import { app, cleanup, exitsCleanly, lines } from "./support/net-peers.js";

/** Run scenario `name` to a clean exit; its output lines and how long it ran (ms). */
async function run(name) {
  const t0 = Date.now();
  const r = await exitsCleanly(app("luatos-sys", [name]));
  return { out: lines(r.stdout), ms: Date.now() - t0, stdout: r.stdout };
}

describe("luatos/sys", function () {
  this.timeout(20000);
  afterEach(cleanup);

  it("taskInit runs the task at once up to its first await, with its arguments; wait(ms) waits; run() is a no-op", async () => {
    const { out } = await run("tasks");
    assert.deepEqual(out, [
      "before", "task start x 7", "after true", "plain function 5", 'run "undef"', "plain ended",
      'waited "undef" true', "wait0 true", 'task ended "undef"',
    ]);
  });

  it("publish is queued and dispatched in order to a snapshot of a set of function subscribers", async () => {
    const { out } = await run("publish");
    assert.deepEqual(out, [
      "sync 0",
      'a:[1,"two","undef",4] | b:[1,"two","undef",4] | c:[1,"two","undef",4] | a:[] | a:[true] | a:["seven"]',
      'a:["again"] | b:["again"] | d:["again"]',
      "e1 fx e2 e3",
    ]);
  });

  it("waitUntil sees back-to-back publishes, times out with [false], waitUntilExt gives the topic", async () => {
    const { out, ms } = await run("waitUntil");
    assert.deepEqual(out, [
      "got [true,1]", "got [true,2]", 'got [true,3,"x"]', "got [true,4]", "timeout [false] true", "zero [false] true",
      'ext ["EXT","a",2]', "ext-timeout false", 'both [true,"x"] [true,"x"]', "late [true,9]", "hops [1,2,3]",
    ]);
    assert.ok(ms < 4000, `the 5 s timer of a satisfied waitUntil was not stopped (${ms} ms)`);
  });

  it("taskInitEx / sendMsg / waitMsg: target filter, cbFun for the others, timeout, unknown task, cleanMsg, taskDel", async () => {
    const { out } = await run("msg");
    const waitErr = "E/sys waitMsg: only a task started with sys.taskInitEx can wait for messages";
    assert.deepEqual(out, [
      "unknown-send false", "task arg", "started true", "E/sys taskInitEx: taskName is nil", 'nil-name "undef"',
      'scan ["B",2,3,4] others [["A",1,"undef","undef"]]',
      't2 ["keep",1,"undef","undef"]',
      'any ["C","undef","undef","undef"]',
      't2b "undef"',
      'blocking ["Y","y","undef","undef"] true others [["A",1,"undef","undef"],["X","x","undef","undef"]]',
      'timeout "undef" true',
      'no-timeout ["Z",0,"undef","undef"]',
      'number [33554449,-1,"undef","undef"] others [[33554452,0,"undef","undef"]]',
      'clean true false "undef"',
      waitErr, "unknown-wait false",
      waitErr, "deleted false false",
    ]);
  });

  it("timers: ids, LuatOS's duplicate-timer rule, stop by id / fn+args, stopAll, isActive, loop timers, ms < 1", async () => {
    const { out } = await run("timers");
    assert.deepEqual(out, [
      "id true", 'dup true "undef" true', 'active true true true "undef"', 'g-active "undef" "undef"',
      "E/sys timerStart: timeout 0 ms refused (at least 1 ms)", 'zero "undef" "undef"',
      'loop 3 "undef"', 'fired f["a"] f["b"] f[]', 'after "undef" "undef"', "restarted 3",
    ]);
  });

  it("an exception in a task, subscriber, cbFun or timer is logged with its stack and the VM goes on", async () => {
    const { out, stdout } = await run("errors");
    // each report once, whatever the order of the timed ones under load; "still running" (80 ms) comes last
    const heads = out.filter((l) => !l.startsWith(" at "));
    assert.equal(heads.at(-1), "still running", heads.join("\n"));
    assert.deepEqual([...heads].sort(), [
      "E/sys task failed: TypeError: sync boom",
      "E/sys waitMsg callback: Error: cb boom",
      "E/sys subscriber of S: Error: subscriber boom",
      "E/sys subscriber of (object): Error: evil topic boom",
      "second subscriber 5",
      "E/sys task failed: Error: async boom",
      'cb-error "undef"',
      "E/sys timer callback: Error: timer boom",
      "still running",
    ].sort());
    // each report carries the stack (XS: " at fn ()" lines)
    assert.match(stdout, /sync boom\n at [^\n]*\n at taskInit \(/);
    assert.match(stdout, /subscriber boom\n at [^\n]*\n at dispatch \(/);
    assert.match(stdout, /timer boom\n at [^\n]*\n at fire \(/);
  });

  it("bad arguments throw a TypeError naming the argument", async () => {
    const { out } = await run("bad");
    assert.deepEqual(out, [
      "taskInit TypeError: sys.taskInit: fn must be a function",
      "taskInitEx-fn TypeError: sys.taskInitEx: fn must be a function",
      "taskInitEx-name TypeError: sys.taskInitEx: name must be a string",
      "taskInitEx-cb TypeError: sys.taskInitEx: cbFun must be a function",
      "wait TypeError: sys.wait: ms must be an integer",
      "wait-nan TypeError: sys.wait: ms must be an integer",
      "waitUntil-topic TypeError: sys.waitUntil: topic must not be undefined or null",
      "waitUntil-ms TypeError: sys.waitUntil: ms must be an integer",
      "waitMsg-ms TypeError: sys.waitMsg: ms must be an integer",
      "publish TypeError: sys.publish: topic must not be undefined or null",
      "subscribe-fn TypeError: sys.subscribe: fn must be a function",
      "subscribe-topic TypeError: sys.subscribe: topic must not be undefined or null",
      "unsubscribe-fn TypeError: sys.unsubscribe: fn must be a function",
      "timerStart-fn TypeError: sys.timerStart: fn must be a function",
      "timerStart-ms TypeError: sys.timerStart: ms must be an integer",
      "timerLoopStart-ms TypeError: sys.timerLoopStart: ms must be an integer",
      "timerStop TypeError: sys.timerStop: val must be a timer id or a function",
      "timerStopAll TypeError: sys.timerStopAll: fn must be a function",
    ]);
  });

  it("luatos/sysplus is the same object; the named exports are the same functions", async () => {
    const { out } = await run("plus");
    assert.deepEqual(out, [
      "same true true true", "named true",
      "keys cleanMsg,publish,run,sendMsg,subscribe,taskDel,taskInit,taskInitEx,timerIsActive,timerLoopStart," +
        "timerStart,timerStop,timerStopAll,unsubscribe,wait,waitMsg,waitUntil,waitUntilExt",
    ]);
  });
});
