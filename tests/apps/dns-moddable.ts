// The resolver used as Moddable's examples use "embedded:network/dns/resolver/udp" (examples/io/udp/dns/main.js,
// and the `dns` configuration of examples/io/tcp/httpclient and examples/io/udp/ntp): no xsnet extension here.
// Moddable's example takes its servers from Net.get("DNS"); this one from the command line.
// args: mode, servers (comma separated), host names...
import Resolver from "embedded:network/dns/resolver/udp";
import UDP from "embedded:io/socket/udp";
import Timer from "timer";
import args from "xsnet-sim/args";

const [mode, list, ...hosts] = args;
const servers = list.split(",");

switch (mode) {
	// examples/io/udp/dns/main.js: one resolver, a resolve(host, callback) helper, lookups from a timer.
	case "example": {
		const resolver = new Resolver({
			socket: {
				io: UDP
			},
			servers
		});

		function resolve(host: string, callback?: (address?: string) => void) {
			resolver.resolve({
				host,
				onResolved: (host, address) => callback?.(address),
				onError: () => callback?.(),
			});
		}

		Timer.set(() => {
			for (const host of hosts)
				resolve(host, address => trace(`${host} ${address}\n`));
		}, 1);
		break;
	}

	// The httpclient/ntp configuration: `new dns.io(dns)` with {io, servers, socket: {io}}; callbacks get the
	// resolver as `this`, the host as given, and always run on a later turn.
	case "config": {
		const dns = {
			io: Resolver,
			servers,
			socket: {
				io: UDP
			}
		};
		const resolver = new dns.io(dns);
		let sync = true;
		for (const host of hosts) {
			resolver.resolve({
				host,
				onResolved(host, address) {
					trace(`resolved ${host} ${address} this ${this === resolver} sync ${sync}\n`);
				},
				onError(host) {
					trace(`error ${host} this ${this === resolver} sync ${sync}\n`);
				}
			});
		}
		// only one of the callbacks: a failure then goes unreported, and nothing stays pending
		resolver.resolve({ host: hosts[0], onResolved: (host, address) => trace(`only-resolved ${host} ${address}\n`) });
		resolver.resolve({ host: hosts[0], onError: (host) => trace(`only-error ${host}\n`) });
		sync = false;
		break;
	}

	// close() while lookups are pending (the server never answers): no callback afterwards, nothing left
	// pending (the app exits), and the closed resolver takes no more lookups.
	case "close": {
		const resolver = new Resolver({ socket: { io: UDP }, servers });
		for (const host of hosts) {
			resolver.resolve({
				host,
				onResolved: (host, address) => trace(`resolved ${host} ${address}\n`),
				onError: (host) => trace(`error ${host}\n`),
			});
		}
		Timer.set(() => {
			resolver.close();
			trace("closed\n");
			try {
				resolver.resolve({ host: "10.0.0.1", onResolved: () => trace("resolved after close\n") });
			}
			catch (e) {
				trace(`resolve after close: ${e}\n`);
			}
		}, 100);
		break;
	}

	// close() from inside a callback (`this` is the resolver) cancels the other lookups.
	case "close-in-callback": {
		const resolver = new Resolver({ socket: { io: UDP }, servers });
		for (const host of hosts) {
			resolver.resolve({
				host,
				onResolved(host, address) {
					trace(`resolved ${host} ${address}\n`);
					this.close();
				},
				onError: (host) => trace(`error ${host}\n`),
			});
		}
		break;
	}

	default:
		trace(`unknown mode ${mode}\n`);
}
