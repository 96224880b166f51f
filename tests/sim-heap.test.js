// The simulator's heap figures (xsnet-sim/heap used(), --report-heap) in 64-bit sizes: right above 2 GiB,
// where XS's own 32-bit counters wrap. App: tests/apps/heap-large.ts (needs ~2.3 GB of memory for a moment).
import assert from "node:assert/strict";
import { runApp } from "./support/sim.js";

const MiB = 1024 * 1024;

describe("simulator: heap report above 2 GiB", function () {
  this.timeout(60000);

  it("used() and --report-heap give the bytes in use, not a wrapped 32-bit count", async () => {
    const count = 9;                        // 9 x 256 MiB = 2.25 GiB
    const r = await runApp("tests/apps/heap-large.ts", { args: [count], reportHeap: true, timeout: 50 });
    assert.equal(r.code, 0, r.stderr);
    const buffers = count * 256 * MiB;
    const used = Number(r.stdout.match(/^used (\d+) buffers 9\n$/)?.[1]);
    assert.ok(used >= buffers && used < buffers + 64 * MiB, `used() = ${r.stdout}`);
    const m = r.stderr.match(/xsnet-sim: heap (\d+) bytes in use \(chunks (\d+) \+ slots (\d+)\), peak (\d+)\n/);
    assert.ok(m, r.stderr);
    const [total, chunks, slots, peak] = m.slice(1).map(Number);
    assert.equal(total, chunks + slots);
    assert.ok(chunks >= buffers && total < buffers + 64 * MiB, r.stderr);
    assert.ok(peak >= total, r.stderr);
  });
});
