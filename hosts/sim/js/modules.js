// Moddable's `modules` module ($(MODDABLE)/modules/base/modules) for the xsnet simulator: what a build holds,
// asked at run time. Modules.has(specifier): true when the module map resolves it (a board: when the build's
// manifest has it); Modules.importNow(specifier[, namespace]): its default export (the namespace when the second
// argument is truthy), loading and running it synchronously unless it ran already (preloaded modules are).
// Throws as import does for a missing module. The natives are in hosts/sim/modules.c, over the loader's map.
class Modules {
	static has(name) @ "xs_modules_has";
	static importNow(name, namespace) @ "xs_modules_importNow";
}
Object.freeze(Modules.prototype);
export default Object.freeze(Modules);
