// "embedded:network/dns/resolver/udp": xsnet's resolver (src/dns/resolver.ts) under Moddable's specifier
// (the manifest and the simulator map it to modules/dns/udp.js). Its types are a superset of
// @moddable/typings' embedded_network/dns/resolver/udp.d.ts: Moddable's `resolve({host, onResolved, onError})`
// plus xsnet's extensions (the callback form, cancel(), "a.b.c.d:port" servers, retryGaps).
declare module "embedded:network/dns/resolver/udp" {
  export { default, DNSError } from "xsnet/dns/resolver";
  export type { ResolveOptions, ResolverOptions, ResolveCallback } from "xsnet/dns/resolver";
}
