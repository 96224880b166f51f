// NodeMCU's gossip example (lua_modules/gossip + lua_examples/gossip_example.lua): this node is the starting
// seed, 127.0.0.1:5000; run node2.ts (127.0.0.1:5001) in a second terminal and watch them gossip:
//   npx xsnet run examples/gossip/main.ts      npx xsnet run examples/gossip/node2.ts
// After 10 s this node pushes {temperature: 78} and node2 warns; after 30 s it removes it again.
// On a LAN of boards, give each board its own IP and the same port, and the seed's IP as startingSeed.
import { startExample } from "./gossip_example.js";

startExample({
	ip: "127.0.0.1",
	comPort: 5000,
	startingSeed: "127.0.0.1:5000",
	seedList: ["127.0.0.1:5001"], // so that the seed never broadcasts (the Lua's discovery when it knows nobody)
});
