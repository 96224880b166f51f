// The gossip protocol over UDP: a port of NodeMCU's lua_modules/gossip/gossip.lua
// (docs/lua-modules/gossip.md). Every round each node sends its whole view of the network ("SYN") to a
// random node of its seed list; the receiver merges what is fresher (by revision, then heartbeat, then
// state) and answers with what the sender lacks ("ACK"). Nodes learn about each other from the views, so one
// common seed is enough for all to end up knowing all.
//   import gossip from "./gossip.js";
//   gossip.setConfig({ seedList: ["192.168.0.1"], debug: true });
//   gossip.updateCallback = (update) => { ... };
//   gossip.start();
//   gossip.pushGossip({ temperature: 78 });
//
// Adapted so that several nodes can share one address (e.g. 127.0.0.1 on a desktop): a node is known by
// "ip:port" instead of its IP alone, in the seed list, in networkState and in the messages. A seed given as a
// bare IP means that IP at `comPort` (the Lua used one fixed port on every node of a LAN, so its seed lists
// of bare IPs work as they are). Other differences:
// - the node's own IP comes from config.ip (the Lua: wifi.sta.getip()); empty: net.ifinfo(0).ip;
// - the revision is kept in memory, not in the file gossip/rev.dat (no file system here): setRevFileValue()
//   sets the value the next start() increments, as in the Lua, but a reboot starts again at 0;
// - config.listenIp (an addition) restricts the UDP socket to one address; empty = every interface (Lua);
// - stop() (an addition) closes the socket and stops the rounds;
// - when a node it has been sending to without answer goes DOWN, updateCallback gets `{address: data}` like
//   every other update (the Lua passed the node's data alone);
// - a message that cannot be sent (too large for one datagram, broadcast refused) is reported with
//   debug() and skipped (the Lua raised, or lost it silently).
import net from "nodemcu/net";
import type { NetUDPSocket } from "nodemcu/net";
import Timer from "timer";

/** What gossip knows about one node. Other fields (like `data`) travel along. */
export interface NodeData {
	revision: number;
	heartbeat: number;
	state: number;
	data?: unknown;
	[field: string]: unknown;
}

/** The view of the network: node address ("ip:port") -> its data. */
export type NetworkState = Record<string, NodeData>;

export interface GossipConfig {
	/** Nodes to gossip with, "ip:port" or "ip" (port comPort); grows as nodes are discovered. */
	seedList: string[];
	/** Milliseconds between rounds. */
	roundInterval: number;
	/** UDP port of this node (and of the seeds given without one). */
	comPort: number;
	debug: boolean;
	debugOutput: (message: string) => void;
	/** This node's IP address (Lua: wifi.sta.getip()); "" = ask net.ifinfo(0). */
	ip: string;
	/** Address the UDP socket listens on; "" = every interface. */
	listenIp: string;
}

export const constants = {
	nodeState: { TICK: 1, UP: 0, SUSPECT: 2, DOWN: 3, REMOVE: 4 },
	defaultConfig: {
		seedList: [],
		roundInterval: 15000,
		comPort: 5000,
		debug: false,
		debugOutput: (message: string) => trace(message + "\n"),
		ip: "",
		listenIp: "",
	} as GossipConfig,
	comparisonFields: ["revision", "heartbeat", "state"] as const,
	updateType: { ACK: "ACK", SYN: "SYN" },
};

export interface Gossip {
	started: boolean;
	config: GossipConfig;
	/** This node's address, "ip:port", once started (the Lua: its IP). */
	ip: string | undefined;
	networkState: NetworkState;
	/** Called with every update (address -> data) received in a SYN or an ACK. */
	updateCallback: ((update: NetworkState) => void) | undefined;
	socket: NetUDPSocket | undefined;
	timer: Timer | undefined;
	setConfig(userConfig: Partial<GossipConfig>): void;
	start(): void;
	stop(): void;
	setRevFileValue(revNumber: number): void;
	getNetworkState(): string;
	pushGossip(data: unknown, ip?: string): void;
}

const BROADCAST_IP = "255.255.255.255";
const bootTime = Date.now();
let revFile: number | undefined; // stands in for gossip/rev.dat

// ---- utils ----

function debug(message: string): void {
	if (gossip.config.debug) gossip.config.debugOutput(message);
}

/** tmr.time(): seconds since start-up. */
function time(): number {
	return Math.floor((Date.now() - bootTime) / 1000);
}

/** "ip" or "ip:port" -> "ip:port". */
function address(seed: string): string {
	return seed.includes(":") ? seed : `${seed}:${gossip.config.comPort}`;
}

function isNodeDataValid(nodeData: unknown): nodeData is NodeData {
	const d = nodeData as NodeData | undefined;
	return typeof d === "object" && d !== null &&
		d.revision !== undefined && d.heartbeat !== undefined && d.state !== undefined;
}

function compare(first: number, second: number): number {
	if (first > second) return -1;
	if (first < second) return 1;
	return 0;
}

/** -1 if `first` is fresher, 1 if `second` is, 0 if neither (utils.compareNodeData). */
function compareNodeData(first: unknown, second: unknown): number {
	const firstValid = isNodeDataValid(first);
	const secondValid = isNodeDataValid(second);
	if (firstValid && secondValid) {
		for (const field of constants.comparisonFields) {
			const result = compare(first[field], second[field]);
			if (result !== 0) return result;
		}
	}
	else if (firstValid) return -1;
	else if (secondValid) return 1;
	return 0;
}

/** data1 - data2: the entries of data1 fresher than data2's (utils.getMinus). */
function getMinus(data1: NetworkState, data2: NetworkState): NetworkState {
	const diff: NetworkState = {};
	for (const ip of Object.keys(data1)) {
		if (compareNodeData(data1[ip], data2[ip]) === -1) diff[ip] = data1[ip];
	}
	return diff;
}

function setConfig(userConfig: Partial<GossipConfig>): void {
	const config = gossip.config as unknown as Record<string, unknown>;
	for (const [k, v] of Object.entries(userConfig)) {
		if (config[k] !== undefined && typeof config[k] === typeof v) config[k] = v;
	}
}

// ---- state ----

function setRev(): number {
	const revision = revFile === undefined ? 0 : revFile + 1;
	revFile = revision;
	debug(`Revision set to ${revision}`);
	return revision;
}

function setRevFileValue(revNumber: number): void {
	if (typeof revNumber === "number") {
		revFile = revNumber;
		debug(`Revision overriden to ${revNumber}`);
	}
	else debug("Please provide a revision number.");
}

function ownIp(): string | undefined {
	if (gossip.config.ip) return gossip.config.ip;
	try {
		const info = (net.ifinfo as unknown as (index: number) => { ip?: string } | undefined)(0);
		return info?.ip;
	}
	catch {
		return undefined;
	}
}

function start(): void {
	if (gossip.started) {
		debug("Gossip already started.");
		return;
	}
	const ip = ownIp();
	if (!ip) {
		debug("Node not connected to network. Gossip will not start.");
		return;
	}
	const self = address(`${ip}:${gossip.config.comPort}`);
	gossip.ip = self;

	// sending to our own address makes no sense
	const seeds = gossip.config.seedList.map(address);
	gossip.config.seedList = seeds.filter((s) => s !== self);
	if (gossip.config.seedList.length !== seeds.length) debug("removing own ip from seed list");

	gossip.networkState[self] = {
		revision: setRev(),
		heartbeat: time(),
		state: constants.nodeState.UP,
	};

	const socket = net.createUDPSocket();
	if (gossip.config.listenIp) socket.listen(gossip.config.comPort, gossip.config.listenIp);
	else socket.listen(gossip.config.comPort);
	socket.on("receive", receiveData);
	gossip.socket = socket;

	gossip.started = true;

	gossip.timer = Timer.repeat(() => sendSyn(), gossip.config.roundInterval);

	debug("Gossip started.");
}

function stop(): void {
	if (!gossip.started) return;
	if (gossip.timer) Timer.clear(gossip.timer);
	gossip.timer = undefined;
	gossip.socket?.close();
	gossip.socket = undefined;
	gossip.started = false;
}

function tickNodeState(ip: string): void {
	const node = gossip.networkState[ip];
	if (node) {
		let nodeState = node.state;
		const oldNodeState = nodeState;
		if (nodeState < constants.nodeState.REMOVE) {
			nodeState = nodeState + constants.nodeState.TICK;
			node.state = nodeState;
		}
		if (oldNodeState === constants.nodeState.DOWN) {
			if (gossip.updateCallback) gossip.updateCallback({ [ip]: node });
		}
	}
}

// ---- network ----

function pushGossip(data: unknown, ip?: string): void {
	if (!gossip.started) {
		debug("Gossip not started.");
		return;
	}
	const own = gossip.networkState[gossip.ip!];
	if (data === undefined || data === null) delete own.data;
	else own.data = data;
	sendSyn(ip === undefined ? undefined : address(ip));
}

function updateNetworkState(updateData: NetworkState): void {
	if (gossip.updateCallback) gossip.updateCallback(updateData);
	const broadcast = address(BROADCAST_IP);
	for (const ip of Object.keys(updateData)) {
		if (!gossip.config.seedList.includes(ip) && ip !== broadcast && ip !== gossip.ip) gossip.config.seedList.push(ip);
		if (ip !== gossip.ip) gossip.networkState[ip] = updateData[ip];
	}
}

function sendSyn(ip?: string): void {
	const destination = ip ?? pickRandomNode();
	gossip.networkState[gossip.ip!].heartbeat = time();
	if (destination) {
		sendData(destination, gossip.networkState, constants.updateType.SYN);
		tickNodeState(destination);
	}
}

function pickRandomNode(): string {
	const seeds = gossip.config.seedList;
	if (seeds.length > 0) {
		const pick = seeds[Math.floor(Math.random() * seeds.length)];
		debug(`Randomly picked: ${pick}`);
		return pick;
	}
	debug(`Seedlist is empty. Using broadcast IP ${BROADCAST_IP} to discover.`);
	return address(BROADCAST_IP);
}

function sendData(destination: string, data: NetworkState, sendType: string): void {
	const dataToSend = JSON.stringify(Object.assign({}, data, { type: sendType }));
	const colon = destination.lastIndexOf(":");
	const ip = destination.slice(0, colon);
	const port = Number(destination.slice(colon + 1));
	try {
		gossip.socket!.send(port, ip, dataToSend);
		debug(`Sent ${dataToSend.length} bytes`);
	}
	catch (e) {
		debug(`Could not send to ${destination}: ${(e as Error).message}`);
	}
}

function receiveSyn(ip: string, synData: NetworkState): void {
	debug(`Received SYN from ${ip}`);
	const update = getMinus(synData, gossip.networkState);
	const diff = getMinus(gossip.networkState, synData);
	updateNetworkState(update);
	sendAck(ip, diff);
}

function receiveAck(ip: string, ackData: NetworkState): void {
	debug(`Received ACK from ${ip}`);
	const update = getMinus(ackData, gossip.networkState);
	updateNetworkState(update);
}

function sendAck(ip: string, diff: NetworkState): void {
	debug(`Sending ACK to ${ip} with ${Object.keys(diff).map((k) => " " + k).join("")} updates.`);
	sendData(ip, diff, constants.updateType.ACK);
}

function receiveData(_socket: NetUDPSocket, data: string | ArrayBuffer, port: number, fromIp: string): void {
	const ip = `${fromIp}:${port}`;
	if (gossip.networkState[ip]) gossip.networkState[ip].state = constants.nodeState.UP;
	let updateData: Record<string, unknown>;
	try {
		updateData = JSON.parse(String(data));
		if (typeof updateData !== "object" || updateData === null || Array.isArray(updateData)) throw new Error();
	}
	catch {
		debug(`Invalid JSON received from ${ip}`);
		return;
	}
	const updateType = updateData.type;
	delete updateData.type;
	if (updateType === constants.updateType.SYN) receiveSyn(ip, updateData as NetworkState);
	else if (updateType === constants.updateType.ACK) receiveAck(ip, updateData as NetworkState);
	else debug(`Invalid data comming from ip ${ip}. No valid type specified.`);
}

// ---- the module ----

/** The gossip module object, as the Lua's (one per application). */
const gossip: Gossip = {
	started: false,
	config: constants.defaultConfig,
	ip: undefined,
	networkState: {},
	updateCallback: undefined,
	socket: undefined,
	timer: undefined,
	setConfig,
	start,
	stop,
	setRevFileValue,
	getNetworkState: () => JSON.stringify(gossip.networkState),
	pushGossip,
};

export default gossip;
