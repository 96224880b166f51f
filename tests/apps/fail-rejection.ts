// An unhandled rejection must end the simulator with status 1 and the reason on stderr.
import args from "xsnet-sim/args";
trace("before");
if (args[0] === "reject") Promise.reject(new Error("nobody handles this"));
else if (args[0] === "throw") throw new TypeError("top-level throw");
else if (args[0] === "pending") setInterval(() => {}, 1000);
else if (args[0] === "handled") Promise.reject(new Error("handled")).catch(() => trace(" handled"));
