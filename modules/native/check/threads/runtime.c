/* The Moddable runtime functions that modules/native/lwip uses (declared in ../moddable_device.h), for the
 * two-thread checks host.c and slirp.c: modMessagePostToMachine (a queue the main thread serves, as Moddable's ESP32
 * message queue) and modCriticalSectionBegin/End (one mutex; a spinlock on ESP32). */
#include "runtime.h"
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

typedef struct Message Message;
struct Message {
	Message* next;
	modMessageDeliver callback;
	void* refcon;
};
static pthread_mutex_t gQueueMutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gQueueCondition = PTHREAD_COND_INITIALIZER;
static Message* gQueue = NULL;
static pthread_mutex_t gCritical = PTHREAD_MUTEX_INITIALIZER;

void modCriticalSectionBegin(void) { pthread_mutex_lock(&gCritical); }
void modCriticalSectionEnd(void) { pthread_mutex_unlock(&gCritical); }

int modMessagePostToMachine(xsMachine* the, uint8_t* message, uint16_t messageLength, modMessageDeliver callback, void* refcon)
{
	Message* m = malloc(sizeof(Message));
	Message** link;
	if (!m)
		return -1;
	m->next = NULL;
	m->callback = callback;
	m->refcon = refcon;
	pthread_mutex_lock(&gQueueMutex);
	for (link = &gQueue; *link; link = &(*link)->next)
		;
	*link = m;
	pthread_cond_signal(&gQueueCondition);
	pthread_mutex_unlock(&gQueueMutex);
	return 0;
}

/* Run the posted messages, waiting up to `ms` for the first. Returns how many ran. Main thread. */
int serviceMessages(xsMachine* the, int ms)
{
	struct timespec until;
	int count = 0;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += (long)ms * 1000000L;
	until.tv_sec += until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	for (;;) {
		Message* m;
		pthread_mutex_lock(&gQueueMutex);
		while (!gQueue && ms > 0) {
			if (pthread_cond_timedwait(&gQueueCondition, &gQueueMutex, &until) == ETIMEDOUT)
				break;
		}
		m = gQueue;
		if (m)
			gQueue = m->next;
		pthread_mutex_unlock(&gQueueMutex);
		if (!m)
			return count;
		(*m->callback)(the, m->refcon, NULL, 0);
		free(m);
		count++;
		ms = 0;
	}
}

/* Wait up to `ms` until a message is posted, without running it. Returns 1 when one is. Main thread. */
int waitForMessage(int ms)
{
	struct timespec until;
	int posted;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += (long)ms * 1000000L;
	until.tv_sec += until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	pthread_mutex_lock(&gQueueMutex);
	while (!gQueue) {
		if (pthread_cond_timedwait(&gQueueCondition, &gQueueMutex, &until) == ETIMEDOUT)
			break;
	}
	posted = gQueue != NULL;
	pthread_mutex_unlock(&gQueueMutex);
	return posted;
}

uint16_t icmpChecksum(const uint8_t* data, int length)
{
	uint32_t sum = 0;
	int i;
	for (i = 0; i + 1 < length; i += 2)
		sum += (uint32_t)(data[i] << 8 | data[i + 1]);
	if (length & 1)
		sum += (uint32_t)(data[length - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xFFFF) + (sum >> 16);
	return (uint16_t)~sum;
}

