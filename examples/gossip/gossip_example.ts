// NodeMCU's lua_examples/gossip_example.lua on gossip.ts: every node has the starting seed in its seed list;
// the seed pushes "alarming data" ({temperature: 78}) onto the network after a while and removes it later;
// every node warns when an update carries a temperature above 30.
// Differences from the Lua: nodes are "ip:port" (see gossip.ts), so the options name the port and the seed
// with its port; the Wi-Fi set-up and its 5-second wait are gone (a Moddable app starts on the network); the
// timings are options (the Lua: rounds every 15 s, push after 50 s, removal after 150 s).
import Timer from "timer";
import gossip from "./gossip.js";
import type { NetworkState } from "./gossip.js";

export interface ExampleOptions {
	/** This node's IP address (default "127.0.0.1"; on a board its address on the LAN). */
	ip?: string;
	/** This node's UDP port (default 5000). */
	comPort?: number;
	/** The starting seed, "ip:port" (default "127.0.0.1:5000"): the node that pushes the alarming data. */
	startingSeed?: string;
	/** More seeds ("ip:port"), e.g. so that the starting seed knows someone and never broadcasts. */
	seedList?: string[];
	/** Milliseconds between gossip rounds (default 3000). */
	roundInterval?: number;
	/** When the seed pushes the alarming data, ms after start (default 10000). */
	pushDelay?: number;
	/** When the seed removes it again, ms after start (default 30000). */
	removeDelay?: number;
	/** gossip's debug messages (default true, as the Lua example). */
	debug?: boolean;
	/** Address the UDP socket listens on (default every interface). */
	listenIp?: string;
}

// push a message onto the network
// (this can also be done by changing gossip.networkState[gossip.ip].data = {temperature: 78})
function sendAlarmingData(): void {
	gossip.pushGossip({ temperature: 78 });
	trace("Pushed alarming data\n");
}

function removeAlarmingData(): void {
	gossip.pushGossip(undefined);
	trace("Removed alarming data from the network.\n");
}

// callback function for when gossip receives an update
function treatAlarmingData(updateData: NetworkState): void {
	for (const k of Object.keys(updateData)) {
		const data = updateData[k].data as { temperature?: number } | undefined;
		if (data && typeof data.temperature === "number" && data.temperature > 30) {
			trace(`Warning, the temp is above 30 degrees at ${k}\n`);
		}
	}
}

/** Configure and start gossip as the Lua example's Startup(). */
export function startExample(options: ExampleOptions = {}): typeof gossip {
	const ip = options.ip ?? "127.0.0.1";
	const comPort = options.comPort ?? 5000;
	const startingSeed = options.startingSeed ?? "127.0.0.1:5000";
	const self = `${ip}:${comPort}`;

	// initialize all nodes with the seed except for the seed itself;
	// eventually they will all know about each other
	const seedList = [...(options.seedList ?? [])];
	if (self !== startingSeed) seedList.push(startingSeed);

	gossip.setConfig({
		debug: options.debug ?? true,
		seedList,
		ip,
		comPort,
		roundInterval: options.roundInterval ?? 3000,
		listenIp: options.listenIp ?? "",
	});

	// add the update callback
	gossip.updateCallback = treatAlarmingData;

	// start gossiping
	gossip.start();
	trace(`gossip node ${gossip.ip} started, seeds: ${gossip.config.seedList.join(" ")}\n`);

	// the seed sends some alarming data later
	if (self === startingSeed) {
		Timer.set(sendAlarmingData, options.pushDelay ?? 10000);
		Timer.set(removeAlarmingData, options.removeDelay ?? 30000);
	}
	return gossip;
}
