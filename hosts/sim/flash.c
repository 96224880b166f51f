/* xsnet simulator: the preloads' heap held as a board holds it in flash, outside the app's collected heap.
 *
 * On a device, xsl writes what the built-ins and the preloaded bodies made to flash, and the app's machine is
 * prepared from it (xsPrepareMachine); its collector only sees RAM. Here the preload phase (preload.c) runs in a
 * linker machine, which XS's own mechanism for a shared machine then makes read-only for another one
 * (xsShareMachine, xsCloneMachine); this file does that and what XS 13.3's version of it leaves to do so that the
 * app's machine sees the linker's heap as a board sees its flash (docs/simulator-host.md, "Flash and RAM"). */
#include "engine.h"
#include "preload.h"

static xsMachine* gSimLinker = NULL;   /* the machine the preloaded bodies ran in: its heap is the flash */

/* Number the aliases as xsl does (xslSlot.c), after xsShareMachine numbered them its own way: an instance is
 * frozen by xsl's rule (simIsFrozen: its internal values other than an array's items do not count, so a frozen
 * Date stays read-only) and aliases are numbered from 1, since 0 is XS_NO_ID: XS 13.3's fxShare counts from 0,
 * and the first aliasable object would be written in place, in flash. */
static void simNumberAliases(txMachine* the)
{
	txID count = 1;
	txSlot *heap, *slot;
	for (heap = the->firstHeap; heap; heap = heap->next)
		for (slot = heap + 1; slot < heap->value.reference; slot++)
			if (slot->kind == XS_CLOSURE_KIND && !(slot->value.closure->flag & XS_DONT_SET_FLAG))
				slot->value.closure->ID = XS_NO_ID;
	for (heap = the->firstHeap; heap; heap = heap->next) {
		for (slot = heap + 1; slot < heap->value.reference; slot++) {
			if (slot->kind == XS_INSTANCE_KIND)
				slot->ID = simIsFrozen(the, slot) ? XS_NO_ID : count++;
			else if (slot->kind == XS_CLOSURE_KIND) {
				txSlot* closure = slot->value.closure;
				if (!(closure->flag & XS_DONT_SET_FLAG) && closure->ID == XS_NO_ID)
					closure->ID = count++;
			}
		}
	}
	the->aliasCount = count;
}

/* A string or bigint of the linker's heap becomes its X kind (its text where it lies, as in flash), so that the app's
 * machine copies the pointer without taking the chunk for one of its own: XS's shared machine leaves them in
 * chunks, which the app's collector would then mark and, compacting, move by the linker's chunk links. */
static void simFlashValue(txSlot* slot)
{
	if (slot->kind == XS_STRING_KIND)
		slot->kind = XS_STRING_X_KIND;
	else if (slot->kind == XS_BIGINT_KIND)
		slot->kind = XS_BIGINT_X_KIND;
}

/* The linker's heap as flash for the app's collector: strings and bigints in X kinds (in slots and in the items of
 * arrays), and every chunk's forwarding link cleared, so that a value of the app's machine that points into a chunk
 * of the linker (a function's byte code, a copied property's data) is left where it is when the app's collector
 * compacts its own chunks (fxSweepValue moves a pointer only by a chunk's non-null `temporary`). */
static void simFlashChunks(txMachine* the)
{
	txSlot *heap, *slot;
	txBlock* block;
	for (heap = the->firstHeap; heap; heap = heap->next) {
		for (slot = heap + 1; slot < heap->value.reference; slot++) {
			simFlashValue(slot);
			if ((slot->kind == XS_ARRAY_KIND || slot->kind == XS_ARGUMENTS_SLOPPY_KIND || slot->kind == XS_ARGUMENTS_STRICT_KIND
					|| slot->kind == XS_STACK_KIND) && slot->value.array.address) {
				txSlot* item = slot->value.array.address;
				txIndex length = fxGetIndexSize(the, slot);
				while (length--)
					simFlashValue(item++);
			}
		}
	}
	for (block = the->firstBlock; block; block = block->nextBlock) {
		txByte* current = (txByte*)block + sizeof(txBlock);
		while (current < block->current) {
			txChunk* chunk = (txChunk*)current;
			txSize size = chunk->size & 0x7FFFFFFF;
			if (size <= 0)
				break;
			chunk->temporary = C_NULL;
			current += size;
		}
	}
}

/* The preload phase in `linker` (a machine nothing else has run in but the host's set-up), then the machine the
 * app runs in, made with `creation`. As on a device, where xsl writes the linker's heap to flash and the app's
 * machine is prepared from it (xsPrepareMachine), what the built-ins and the preloaded bodies made is then outside
 * the app's collected heap: XS's shared machine (xsShareMachine) marks every slot of `linker` for good, so the
 * app's collector neither marks nor sweeps them, and numbers the instances and closures that are not frozen;
 * the app's machine (xsCloneMachine) has a heap of its own, sees the linker's modules and globals, and copies an
 * unfrozen object or variable of the linker into its own heap when it first writes it (XS's aliases, as a device
 * does for an object in flash). The linker machine lives until exit. */
xsMachine* simPreload(xsMachine* linker, const char** specifiers, int count, int warnings, xsCreation* creation)
{
	xsMachine* the;
	simPreloadBodies(linker, specifiers, count, warnings);
	xsShareMachine(linker);
	simNumberAliases(linker);
	simFlashChunks(linker);
	gSimLinker = linker;
	the = xsCloneMachine(creation, linker, "xsnet-sim", NULL);
	if (!the) {
		fprintf(stderr, "xsnet-sim: cannot make the app's machine (memory full)\n");
		exit(2);
	}
	return the;
}

/* What the simulator holds as a board holds it in flash: the linker machine's heap (what the built-ins and the
 * preloaded bodies made, in 64-bit slots) and the byte code of the modules (archive.c). */
void simFlashSizes(uint64_t* heap, uint64_t* code)
{
	simHeap sizes = { 0 };
	if (gSimLinker)
		simHeapSizes(gSimLinker, &sizes);
	*heap = sizes.chunks + sizes.slots;
	*code = simArchiveBytes();
}

