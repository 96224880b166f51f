/* xsnet simulator: the event loop. Readiness comes from epoll, timers from one ordered list; the
 * loop sleeps in epoll_wait until the earliest timer is due or a descriptor is ready (no polling). */
#include "loop.h"
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#define SIM_MAX_EVENTS 64

static int gEpoll = -1;
static simTimer* gTimers = NULL;     /* ordered by `when`; equal times keep insertion order */
static int gRefs = 0;
static int gDispatching = 0;
static void** gDeferred = NULL;      /* memory freed after the current batch of events */
static int gDeferredCount = 0, gDeferredSize = 0;
static int gTrace = 0;

/* simLoopPost: a queue that other threads fill, drained on the loop's thread when its eventfd is ready */
typedef struct simPost simPost;
struct simPost {
	simPost* next;
	void (*fn)(void* data);
	void* data;
};
static pthread_mutex_t gPostLock = PTHREAD_MUTEX_INITIALIZER;
static simPost* gPosts = NULL;
static simPost** gPostsTail = &gPosts;
static simWatch gPostWatch = { -1, 0, NULL, NULL };

void simTraceEnable(void) { gTrace = 1; }
int simTracing(void) { return gTrace; }

double simNow(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1000000.0;
}

void simRef(void) { gRefs++; }
void simUnref(void) { gRefs--; }
int simRefs(void) { return gRefs; }

static void simPostsRun(simWatch* watch, uint32_t events)
{
	uint64_t count;
	simPost* p;
	if (read(gPostWatch.fd, &count, sizeof(count)) < 0 && errno != EAGAIN)
		perror("read(eventfd)");
	pthread_mutex_lock(&gPostLock);
	p = gPosts;
	gPosts = NULL;
	gPostsTail = &gPosts;
	pthread_mutex_unlock(&gPostLock);
	while (p) {
		simPost* next = p->next;
		(*p->fn)(p->data);
		free(p);
		p = next;
	}
}

int simLoopPost(void (*fn)(void* data), void* data)
{
	simPost* p = malloc(sizeof(simPost));
	uint64_t one = 1;
	if (!p)
		return -1;
	p->next = NULL;
	p->fn = fn;
	p->data = data;
	pthread_mutex_lock(&gPostLock);
	*gPostsTail = p;
	gPostsTail = &p->next;
	pthread_mutex_unlock(&gPostLock);
	if (write(gPostWatch.fd, &one, sizeof(one)) < 0)
		perror("write(eventfd)");
	return 0;
}

void simLoopInit(void)
{
	gEpoll = epoll_create1(EPOLL_CLOEXEC);
	if (gEpoll < 0) {
		perror("epoll_create1");
		exit(2);
	}
	gPostWatch.fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (gPostWatch.fd < 0) {
		perror("eventfd");
		exit(2);
	}
	gPostWatch.callback = simPostsRun;
	simWatchAdd(&gPostWatch, EPOLLIN);
}

void simWatchAdd(simWatch* watch, uint32_t events)
{
	struct epoll_event ev;
	ev.events = events;
	ev.data.ptr = watch;
	watch->events = events;
	if (epoll_ctl(gEpoll, EPOLL_CTL_ADD, watch->fd, &ev) < 0)
		perror("epoll_ctl(ADD)");
}

void simWatchModify(simWatch* watch, uint32_t events)
{
	struct epoll_event ev;
	if (watch->events == events)
		return;                      /* no system call when nothing changes */
	ev.events = events;
	ev.data.ptr = watch;
	watch->events = events;
	if (epoll_ctl(gEpoll, EPOLL_CTL_MOD, watch->fd, &ev) < 0)
		perror("epoll_ctl(MOD)");
}

void simWatchRemove(simWatch* watch)
{
	if (watch->fd >= 0)
		epoll_ctl(gEpoll, EPOLL_CTL_DEL, watch->fd, NULL);
	watch->events = 0;
	watch->callback = NULL;          /* events already fetched for it are ignored */
}

/* Free `p` once the current batch of epoll events, or the current timer callback, is done (a callback may
 * free a record whose event comes later in the batch, or whose own code is still running). */
void simDeferFree(void* p)
{
	if (!gDispatching) {
		free(p);
		return;
	}
	if (gDeferredCount == gDeferredSize) {
		gDeferredSize = gDeferredSize ? gDeferredSize * 2 : 16;
		gDeferred = realloc(gDeferred, gDeferredSize * sizeof(void*));
	}
	gDeferred[gDeferredCount++] = p;
}

/* The records freed during the callback (or batch of events) that just returned. */
static void simLoopFreeDeferred(void)
{
	int i;
	gDispatching = 0;
	for (i = 0; i < gDeferredCount; i++)
		free(gDeferred[i]);
	gDeferredCount = 0;
}

void simTimerSchedule(simTimer* timer, double delay)
{
	simTimer** link;
	if (timer->scheduled)
		simTimerCancel(timer);
	if (delay < 0)
		delay = 0;
	timer->when = simNow() + delay;
	link = &gTimers;
	while (*link && (*link)->when <= timer->when)
		link = &(*link)->next;
	timer->next = *link;
	*link = timer;
	timer->scheduled = 1;
	gRefs++;
}

void simTimerCancel(simTimer* timer)
{
	simTimer** link = &gTimers;
	if (!timer->scheduled)
		return;
	while (*link) {
		if (*link == timer) {
			*link = timer->next;
			break;
		}
		link = &(*link)->next;
	}
	timer->next = NULL;
	timer->scheduled = 0;
	gRefs--;
}

void simLoopRun(double deadline)
{
	struct epoll_event events[SIM_MAX_EVENTS];
	while (gRefs > 0) {
		double now = simNow();
		int timeout = -1, count, i;
		if (gTimers) {
			double wait = gTimers->when - now;
			timeout = wait <= 0 ? 0 : (int)ceil(wait);
		}
		if (deadline > 0) {
			double left = deadline - now;
			if (left <= 0) {
				fprintf(stderr, "xsnet-sim: timed out, %d pending (sockets, timers or lookups)\n", gRefs);
				fflush(stdout);
				exit(124);
			}
			if (timeout < 0 || timeout > left)
				timeout = (int)ceil(left);
		}
		count = epoll_wait(gEpoll, events, SIM_MAX_EVENTS, timeout);
		if (count < 0) {
			if (errno == EINTR)
				continue;
			perror("epoll_wait");
			exit(2);
		}
		gDispatching = 1;
		for (i = 0; i < count; i++) {
			simWatch* watch = events[i].data.ptr;
			if (watch->callback)
				(*watch->callback)(watch, events[i].events);
		}
		simLoopFreeDeferred();
		now = simNow();
		/* Fire the timers due at `now`, in order; one that a callback schedules with no delay is due
		 * after `now`, so it waits for the next pass and a zero-delay repeat cannot starve sockets. */
		gDispatching = 1;
		while (gTimers && gTimers->when <= now) {
			simTimer* timer = gTimers;
			gTimers = timer->next;
			timer->next = NULL;
			timer->scheduled = 0;
			gRefs--;
			(*timer->callback)(timer);
			simLoopFreeDeferred();
			gDispatching = 1;
		}
		gDispatching = 0;
	}
}
