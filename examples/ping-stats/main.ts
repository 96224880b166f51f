// Ping statistics, the example of net.ping() in NodeMCU's docs (ESP8266 3.x):
//   net.ping("www.nodemcu.com", function (b, ip, sq, tm)
//       if ip then print(("%d bytes from %s, icmp_seq=%d time=%dms"):format(b, ip, sq, tm)) else print("Invalid IP address") end
//     end,
//     function (ip, tc, toc, tb, tt)
//       print(("--- %s ping statistics ---\n%d packets transmitted, %d received, %d%% packet loss, time %dms"):format(ip, tc, tc-toc, toc/tc*100, tt))
//     end)
// It pings 127.0.0.1 (4 echo requests, one per second); on a board, set HOST to a name or an address of your
// network. `npx xsnet run examples/ping-stats/main.ts` (the simulator needs root, or a group in
// net.ipv4.ping_group_range, for ICMP). When ping cannot start (the name does not resolve, no ICMP permission)
// the reply callback gets bytes 0 and no ip, as in NodeMCU, plus the reason (an xsnet extension), printed here.
import net from "nodemcu/net";

const HOST = "127.0.0.1";

net.ping(HOST, (b, ip, sq, tm, reason) => {
  if (ip) trace(`${b} bytes from ${ip}, icmp_seq=${sq} time=${tm}ms\n`);
  else trace(`Invalid IP address${reason ? ` (${reason})` : ""}\n`);
},
(ip, tc, toc, tb, tt) => {
  trace(`--- ${ip} ping statistics ---\n${tc} packets transmitted, ${tc - toc} received, ` +
    `${Math.trunc(toc / tc * 100)}% packet loss, time ${tt}ms\n`);
});
