/* xsnet simulator, POSIX backend: listening sockets. Connections are accepted as they arrive, while the owner
 * is accepting (its queue has room), and handed over in accepted upcalls, then one batch upcall.
 * Out of descriptors (EMFILE, ENFILE) or kernel memory, accept() fails while connections wait: the listener then
 * stops watching its descriptor (level-triggered epoll would report it ready at once, forever), says so once on
 * stderr, and tries again every SIM_LISTEN_RETRY_MS until an accept succeeds. The owner is told nothing: the
 * clients wait in the kernel's backlog, as on a board whose lwIP has no pcb left. */
#include "posix.h"
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>

struct simNetListener {
	simWatch watch;            /* first */
	const simNetListenerUpcalls* up;
	void* owner;
	uint8_t accepting;         /* the owner takes more */
	uint8_t starved;           /* accept() failed for want of descriptors, and has not succeeded since */
	uint8_t closed;
	simTimer retry;            /* scheduled while accept() lacks descriptors: the descriptor is not watched */
	uint32_t address;
	uint16_t port;
};

/* The epoll events the listener needs now: none while the owner is full or descriptors are lacking. */
static void posixListenerWatch(simNetListener* l)
{
	if (l->watch.fd >= 0)
		simWatchModify(&l->watch, (l->retry.scheduled || !l->accepting) ? 0 : EPOLLIN);
}

static void posixListenerRetry(simTimer* timer)
{
	posixListenerWatch(timer->data);  /* watched again: a connection still waiting makes the loop call accept() */
}

/* accept() failed with `error`: 1 when the loop must stop for now (nothing waits, or no resource). */
static int posixListenerAcceptFailed(simNetListener* l, int error)
{
	char address[16];
	if (error == EINTR || error == ECONNABORTED)
		return 0;                   /* that connection is gone: take the next one */
	posixFormat(l->address, address);
	if (error == EMFILE || error == ENFILE || error == ENOBUFS || error == ENOMEM) {
		if (!l->starved)
			fprintf(stderr, "xsnet-sim: listener %s:%d cannot accept: %s; retrying every second\n",
				address, l->port, strerror(error));
		l->starved = 1;
		simTimerSchedule(&l->retry, SIM_LISTEN_RETRY_MS);   /* cancelled when the listener closes */
		return 1;
	}
	if (error != EAGAIN && error != EWOULDBLOCK && simTracing())
		fprintf(stderr, "[listener %s:%d] accept: %s\n", address, l->port, strerror(error));
	return 1;                       /* EAGAIN; or a network error of one connection (Linux), taken as EAGAIN */
}

static void posixListenerEvents(simWatch* watch, uint32_t events)
{
	simNetListener* l = (simNetListener*)watch;
	int count = 0;
	while (l->accepting && !l->closed) {
		simNetTCP* tcp;
		int fd = accept4(l->watch.fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (posixListenerAcceptFailed(l, errno))
				break;
			continue;
		}
		tcp = posixTCPAccepted(fd);
		if (!tcp)
			continue;
		count++;
		(*l->up->accepted)(l->owner, tcp);
	}
	if (l->closed)
		return;
	if (l->starved && !l->retry.scheduled) {
		char address[16];
		posixFormat(l->address, address);
		l->starved = 0;             /* every waiting connection was taken */
		fprintf(stderr, "xsnet-sim: listener %s:%d accepting again\n", address, l->port);
	}
	posixListenerWatch(l);         /* the owner is behind, or no descriptor: leave the rest in the kernel's backlog */
	if (count)
		(*l->up->batch)(l->owner);
}

simNetListener* posixListen(uint32_t address, uint16_t port, const simNetListenerUpcalls* up, void* owner, int* error)
{
	simNetListener* l;
	struct sockaddr_in a;
	socklen_t length = sizeof(a);
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		*error = errno;
		return NULL;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = address;
	a.sin_port = htons(port);
	if (bind(fd, (struct sockaddr*)&a, sizeof(a)) < 0 || listen(fd, SIM_LISTEN_KERNEL_BACKLOG) < 0) {
		*error = errno;
		close(fd);
		return NULL;
	}
	getsockname(fd, (struct sockaddr*)&a, &length);
	l = calloc(1, sizeof(simNetListener));
	if (!l) {
		close(fd);
		*error = ENOMEM;
		return NULL;
	}
	l->watch.fd = fd;
	l->watch.callback = posixListenerEvents;
	l->watch.data = l;
	l->up = up;
	l->owner = owner;
	l->accepting = 1;
	l->retry.callback = posixListenerRetry;
	l->retry.data = l;
	l->address = a.sin_addr.s_addr;
	l->port = ntohs(a.sin_port);
	simWatchAdd(&l->watch, EPOLLIN);
	return l;
}

void posixListenerAccepting(simNetListener* l, int on)
{
	l->accepting = on ? 1 : 0;
	posixListenerWatch(l);
}

int posixListenerAddress(simNetListener* l, uint32_t* address, uint16_t* port)
{
	*address = l->address;
	*port = l->port;
	return 0;
}

void posixListenerClose(simNetListener* l)
{
	l->closed = 1;
	simTimerCancel(&l->retry);
	simWatchRemove(&l->watch);
	close(l->watch.fd);
	l->watch.fd = -1;
	simDeferFree(l);
}
