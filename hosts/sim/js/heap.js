// xsnet-sim/heap (simulator only): XS heap measurement for benchmarks.
/** Bytes of XS heap in use (chunks + slots); exact right after gc(). */
export function used() @ "xs_sim_heap_used";
/** Run the garbage collector. */
export function gc() @ "xs_sim_gc";
