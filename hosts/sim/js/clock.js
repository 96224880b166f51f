// xsnet-sim/clock (simulator only): CPU time, for benchmarks that compare layers in one process.
/** Seconds of CPU time this process has used (user + system). */
export function cpu() @ "xs_sim_cpu";
