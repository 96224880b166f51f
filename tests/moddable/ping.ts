// net.ping on Moddable's desktop simulator, which has no ICMP (modules/native/lin): the reply callback must
// get the reason, without an abort. On a board it pings.
import net from "nodemcu/net";

const log = (line: string) => trace(line + "\n");

net.ping("127.0.0.1", 1, (bytes, ip, seq, time, reason) => {
	log(`check: ping reply ${bytes} ${ip} ${seq} ${time} ${reason}`);
}, (ip, sent, lost) => {
	log(`check: ping done ${ip} ${sent} ${lost}`);
});
log("check: ping started");
