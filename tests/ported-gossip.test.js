// The gossip example (examples/gossip, a port of NodeMCU's lua_modules/gossip/gossip.lua +
// lua_examples/gossip_example.lua): three simulator instances on 127.0.0.1, each on its own UDP port, learn
// about each other from one common seed and converge on each other's data within a time bound.
import assert from "node:assert/strict";
import dgram from "node:dgram";
import { startApp } from "./support/sim.js";

/** n distinct UDP ports that are free on 127.0.0.1 right now. */
async function freeUdpPorts(n) {
  const sockets = [];
  const ports = [];
  while (ports.length < n) {
    const s = dgram.createSocket("udp4");
    await new Promise((resolve, reject) => { s.once("error", reject); s.bind(0, "127.0.0.1", resolve); });
    sockets.push(s);
    ports.push(s.address().port);
  }
  for (const s of sockets) s.close();
  return ports;
}

/** The node's latest printed view of the network, or undefined. */
function latestState(app) {
  const lines = app.stdout.match(/^state .*$/gm);
  return lines ? JSON.parse(lines[lines.length - 1].slice(6)) : undefined;
}

/** Every view of the network the node printed so far. */
function allStates(app) {
  return (app.stdout.match(/^state .*$/gm) || []).map((l) => JSON.parse(l.slice(6)));
}

/** Poll until every node's view satisfies `ok`; fails with the views after `ms`. */
async function until(apps, ok, ms, what) {
  const t0 = Date.now();
  for (;;) {
    const views = apps.map(latestState);
    if (views.every((v, i) => v && ok(v, i))) return Date.now() - t0;
    if (Date.now() - t0 > ms) {
      assert.fail(`not within ${ms} ms: ${what}\n` + views.map((v, i) => `node ${i}: ${JSON.stringify(v)}`).join("\n") +
        "\n" + apps.map((a, i) => `node ${i} stderr: ${a.stderr}`).join("\n"));
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("ported: gossip (lua_modules/gossip, UDP)", function () {
  this.timeout(60000);
  const ROUND = 200;       // ms between gossip rounds
  const PUSH = 1500;       // the seed pushes {temperature: 78} then
  const REMOVE = 5000;     // and removes it then
  const BOUND = 10000;     // convergence time bound
  let apps = [];
  let ports;
  let addr;

  before(async function () {
    ports = await freeUdpPorts(3);
    addr = ports.map((p) => `127.0.0.1:${p}`);
    const seed = addr[0];
    const node = (name, i, more = []) => startApp("tests/apps/ported-gossip.ts", {
      timeout: 60,
      args: [name, ports[i], seed, ROUND, PUSH, REMOVE, ...more],
    });
    // A is the starting seed (it knows B, so it never broadcasts); B and C know only A
    apps = [node("A", 0, [addr[1]]), node("B", 1), node("C", 2)];
    for (const a of apps) await a.waitFor(/gossip node 127\.0\.0\.1:\d+ started/);
  });
  after(async () => {
    const results = await Promise.all(apps.map((a) => a.kill()));
    for (const r of results) assert.equal(r.stderr, "", "no uncaught exception in a node");
  });

  it("every node learns every other node (C and B only through the seed A)", async () => {
    await until(apps, (v) => addr.every((a) => a in v), BOUND, "each view lists all three nodes");
    for (const v of apps.map(latestState)) {
      for (const a of addr) {
        assert.equal(typeof v[a].revision, "number");
        assert.equal(typeof v[a].heartbeat, "number");
        assert.equal(typeof v[a].state, "number");
      }
    }
  });

  it("the nodes converge on each other's data", async () => {
    await until(apps, (v) => v[addr[1]]?.data?.name === "B" && v[addr[2]]?.data?.name === "C", BOUND,
      "each view carries B's and C's data");
  });

  it("the seed's alarming data reaches B and C, which warn (the example's updateCallback)", async () => {
    await apps[0].waitFor(/Pushed alarming data\n/, PUSH + BOUND);
    await until(apps, (v) => v[addr[0]]?.data?.temperature === 78, BOUND, "each view has A's temperature 78");
    const warning = new RegExp(`Warning, the temp is above 30 degrees at 127\\.0\\.0\\.1:${ports[0]}\\n`);
    await apps[1].waitFor(warning, BOUND);
    await apps[2].waitFor(warning, BOUND);
  });

  it("the removal of the data spreads too", async () => {
    await apps[0].waitFor(/Removed alarming data from the network\.\n/, REMOVE + BOUND);
    // every node had the data before
    apps.forEach((app, i) => assert.ok(allStates(app).some((v) => v[addr[0]]?.data?.temperature === 78),
      `node ${i} never had A's temperature`));
    const t0 = Date.now();
    await until(apps, (v) => v[addr[0]] && !("data" in v[addr[0]]), BOUND, "no view has data for A any more");
    assert.ok(Date.now() - t0 < BOUND);
    // the other nodes' data stays
    for (const v of apps.map(latestState)) {
      assert.equal(v[addr[1]].data.name, "B");
      assert.equal(v[addr[2]].data.name, "C");
    }
  });
});
