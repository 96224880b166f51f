// tests/ported-gossip.test.js: one node of the gossip example (examples/gossip) on 127.0.0.1.
// args: name, port, starting seed ("127.0.0.1:port"), round interval ms, push delay ms, remove delay ms,
// then more seeds. A node other than the seed carries `{name}` as its data. Every 250 ms the node prints its
// view of the network: `state <json>`.
import args from "xsnet-sim/args";
import Timer from "timer";
import { startExample } from "../../examples/gossip/gossip_example.js";

const [name, port, startingSeed, roundInterval, pushDelay, removeDelay, ...seedList] = args;

const gossip = startExample({
	ip: "127.0.0.1",
	listenIp: "127.0.0.1",
	comPort: Number(port),
	startingSeed,
	seedList,
	roundInterval: Number(roundInterval),
	pushDelay: Number(pushDelay),
	removeDelay: Number(removeDelay),
	debug: false,
});
if (gossip.ip !== startingSeed) gossip.networkState[gossip.ip!].data = { name };
Timer.repeat(() => trace(`state ${gossip.getNetworkState()}\n`), 250);
