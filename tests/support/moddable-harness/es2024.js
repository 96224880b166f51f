// ES2024's Promise.withResolvers, which Moddable's socket tests use and the simulator's XS 13.3 predates (the
// harness's concern, not the sockets'). Preloaded by run-one.js: only a preloaded module can patch a built-in.
if (typeof Promise.withResolvers !== "function") {
  Object.defineProperty(Promise, "withResolvers", {
    configurable: true,
    writable: true,
    value: function withResolvers() {
      let resolve, reject;
      const promise = new this((a, b) => { resolve = a; reject = b; });
      return { promise, resolve, reject };
    },
  });
}
