/* xsnet simulator: what preload.c, aliases.c and flash.c share. */
#ifndef XSNET_PRELOAD_H
#define XSNET_PRELOAD_H

/* Every slot of the heap in use: free slots carry XS_MARK_FLAG between simMarkFree(the, 1) and (the, 0). */
#define SIM_EACH_SLOT(SLOT) \
	for (txSlot* heap_ = the->firstHeap; heap_; heap_ = heap_->next) \
		for (txSlot* SLOT = heap_ + 1; SLOT < heap_->value.reference; SLOT++) \
			if (!(SLOT->flag & XS_MARK_FLAG))

void simMarkFree(txMachine* the, int mark);
int simIsFunction(txSlot* internal);
int simIsFrozen(txMachine* the, txSlot* instance); /* as xsl decides what it need not alias */                 /* the internal slot of a function instance */
void simCheckAliases(txMachine* the, txSlot* modules); /* print the warnings (aliases.c) */
/* Run the bodies of the preloaded modules and make what they made behave as flash does (preload.c; flash.c
 * then shares the machine with the app's) */
void simPreloadBodies(xsMachine* the, const char** specifiers, int count, int warnings);

#endif
