// "embedded:network/dns/resolver/udp" (Moddable's DNS-over-UDP resolver module): the same class as
// "xsnet/dns/resolver". mcconfig maps a source file to one module only, so the second name needs a
// file of its own; the simulator maps it here too, so both builds behave alike.
export { default, DNSError } from "xsnet/dns/resolver";
