/* xsnet simulator: the event loop (loop.c). Readiness from epoll, timers from one ordered list, never a
 * fixed-interval poll. Everything else in the host may use it; it uses nothing of the host (no XS). */
#ifndef XSNET_LOOP_H
#define XSNET_LOOP_H
#include <stddef.h>
#include <stdint.h>

/* A descriptor watched for readiness; `events` are epoll's (EPOLLIN | EPOLLOUT ...). */
typedef struct simWatch simWatch;
typedef void (*simWatchCallback)(simWatch* watch, uint32_t events);
struct simWatch {
	int fd;
	uint32_t events;          /* currently registered */
	simWatchCallback callback;
	void* data;
};
void simWatchAdd(simWatch* watch, uint32_t events);
void simWatchModify(simWatch* watch, uint32_t events);   /* no system call when nothing changes */
void simWatchRemove(simWatch* watch);                    /* events already fetched for it are ignored */

typedef struct simTimer simTimer;
typedef void (*simTimerCallback)(simTimer* timer);
struct simTimer {
	simTimer* next;
	double when;              /* ms, monotonic */
	simTimerCallback callback;
	void* data;
	uint8_t scheduled;
};
double simNow(void);          /* ms, monotonic */
void simTimerSchedule(simTimer* timer, double delay);   /* delay in ms; a scheduled timer keeps the loop running */
void simTimerCancel(simTimer* timer);

/* Work that keeps the process alive: open sockets, scheduled timers, pending lookups. */
void simRef(void);
void simUnref(void);
int simRefs(void);

/* Free `p` after the current batch of events (a callback may free a record whose event comes later in it). */
void simDeferFree(void* p);

/* Call `fn(data)` on the loop's thread at its next turn. The one function of the loop that any thread may call
 * (a network stack running in its own thread, as lwIP's tcpip thread, posts its upcalls with it). A posted
 * call does not keep the loop running: the poster holds a simRef, taken on the loop's thread, for the work
 * whose results it will post. 0, or -1 when out of memory. */
int simLoopPost(void (*fn)(void* data), void* data);

/* --trace-host: host events logged to stderr */
void simTraceEnable(void);
int simTracing(void);

void simLoopInit(void);
/* Run until nothing keeps the process alive; `deadline` (ms, simNow()) > 0: exit(124) when reached. */
void simLoopRun(double deadline);

#endif
