// The DNS server configuration: xsnet/native's getDNSServer/setDNSServer (the same rules in hosts/sim/bindings/native.c,
// modules/native/lin and modules/native/lwip), and a server port set at run time used by nodemcu/net's lookups.
// For tests/net-dns.test.js. args: mode, [server]
import { getDNSServer, setDNSServer } from "xsnet/native";
import net from "nodemcu/net";
import args from "xsnet-sim/args";

const log = (line: string) => trace(line + "\n");
const [mode, server] = args;

switch (mode) {
	// set then get, for each form; errors by name and message
	case "native": {
		const set = (index: number, address: string | undefined) => {
			try {
				setDNSServer(index, address);
				log(`${address} -> ${getDNSServer(index)}`);
			}
			catch (e) {
				log(`${address} ${(e as Error).name}: ${(e as Error).message}`);
			}
		};
		log(`start ${getDNSServer(0)} ${getDNSServer(1)}`);
		for (const address of ["127.0.0.1:5353", "127.0.0.2:53", "127.0.0.3:65535", "127.0.0.4:1", "127.0.0.5",
			"0.0.0.0", "0.0.0.0:5353"])
			set(0, address);
		set(1, "127.0.0.6:5300");
		set(1, undefined);
		set(0, "127.0.0.7:5353");
		for (const address of ["127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:", "127.0.0.1:12a", "127.0.0.1:123456",
			"127.0.0.1:5353:1", "1.2.3", "999.1.1.1", "127.0.0.1 ", ":53", "1111111111111111111111:53"])
			set(0, address);
		log(`kept ${getDNSServer(0)}`);
		set(2, "127.0.0.1");
		break;
	}

	// net.dns.setdnsserver("127.0.0.1:port") at run time, then a lookup that must reach that port
	case "resolve": {
		net.dns.setdnsserver(server, 1);
		log(`servers ${net.dns.getdnsserver(0)} ${net.dns.getdnsserver(1)} port ${net.dns.getdnsport(1)}`);
		net.dns.resolve("x.fake", (_sk, ip) => log(`x.fake ${ip}`));
		break;
	}

	default:
		log(`unknown mode ${mode}`);
}
