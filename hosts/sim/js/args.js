// xsnet-sim/args (simulator only): the app's command-line arguments, given after "--".
function args() @ "xs_sim_args";
export default Object.freeze(args());
