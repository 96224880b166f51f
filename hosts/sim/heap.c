/* xsnet simulator: the XS heap's size in 64-bit counts, for xsnet-sim/heap and --report-heap.
 * XS keeps its chunk counters (currentChunksSize, peakChunksSize, maximumChunksSize) in 32-bit signed
 * integers, which wrap above 2 GiB; the block list it allocates chunks from is walked here instead. Chunks are
 * taken from the blocks in order and reclaimed only by the collector, which compacts each block (its `current`
 * is then the end of the live chunks): the bytes up to `current` are the chunk bytes in use. */
#include "engine.h"

/* The heaps' sizes. The app's machine starts with the heaps an ESP32 build gives an app whose manifest sets no
 * "creation" (Moddable's mcconfig, filterCreation: chunks 32,768 bytes growing by 1,024, 2,048 slots growing by
 * 64), so that its collector runs as often as a board's; it grows as far as the host lets it, as a board with a
 * large PSRAM would. A slot is 32 bytes here (16 on an ESP32), chunks hold the same strings and buffers. The
 * linker's machine, whose heap becomes the flash (preload.c), is sized as xsl's is not limited: large, so that
 * the preloads run without a collection. Keys and the stack stay as main.c sets them (an app's own names are not
 * in a preparation here, so a board's fixed key table would not compare). */
void simHeapCreation(xsCreation* app, xsCreation* linker)
{
	app->initialChunkSize = 32 * 1024;
	app->incrementalChunkSize = 1024;
	app->initialHeapCount = 2048;
	app->incrementalHeapCount = 64;
	*linker = *app;
	linker->initialChunkSize = 1024 * 1024;
	linker->incrementalChunkSize = 256 * 1024;
	linker->initialHeapCount = 32768;
	linker->incrementalHeapCount = 8192;
}

void simHeapSizes(xsMachine* the, simHeap* heap)
{
	txMachine* m = the;
	txBlock* block;
	heap->chunks = heap->chunksReserved = 0;
	for (block = m->firstBlock; block; block = block->nextBlock) {
		txByte* start = (txByte*)block + sizeof(txBlock);
		heap->chunks += (uint64_t)(block->current - start);
		heap->chunksReserved += (uint64_t)(block->limit - start);
	}
	heap->slots = (uint64_t)m->currentHeapCount * sizeof(txSlot);
	/* XS's peak is exact while its counters cannot have wrapped. Beyond 2 GiB of blocks the peak of chunks in
	 * use is bounded by the blocks reserved, which XS fills before it collects or grows. */
	heap->chunksPeak = heap->chunksReserved > INT32_MAX || m->peakChunksSize < 0
		? heap->chunksReserved : (uint64_t)m->peakChunksSize;
	if (heap->chunksPeak < heap->chunks)
		heap->chunksPeak = heap->chunks;
	heap->slotsPeak = (uint64_t)m->peakHeapCount * sizeof(txSlot);
}

/* xsnet-sim/heap: used() -> bytes of XS heap in use (chunks + slots), exact right after gc(). */
void xs_sim_heap_used(xsMachine* the)
{
	simHeap heap;
	simHeapSizes(the, &heap);
	xsResult = xsNumber((double)(heap.chunks + heap.slots));
}

/* xsnet-sim/heap: gc() collects garbage. */
void xs_sim_gc(xsMachine* the)
{
	xsCollectGarbage();
}
