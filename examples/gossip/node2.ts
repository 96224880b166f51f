// A second gossip node for examples/gossip/main.ts: 127.0.0.1:5001, starting seed 127.0.0.1:5000.
//   npx xsnet run examples/gossip/node2.ts
import { startExample } from "./gossip_example.js";

startExample({
	ip: "127.0.0.1",
	comPort: 5001,
	startingSeed: "127.0.0.1:5000",
});
