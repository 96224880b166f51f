/* xsnet simulator: the connection to xsbug, Moddable's debugger (source maps: sourcemap.c).
 *
 * The debug build (hosts/sim/Makefile DEBUG=1, into build/sim-debug; what `xsnet run` runs) compiles XS with
 * mxDebug: stack traces name file and line, and the engine speaks xsbug's protocol (XML messages over TCP)
 * itself; the host supplies the connection, as Moddable's hosts do. At machine creation the engine calls
 * fxConnect(), which, when the environment variable XSNET_XSBUG is set (`xsnet run --debug`), connects to
 * localhost:5002 (XSBUG_HOST, XSBUG_PORT override) and, when nothing listens there, says so and leaves the
 * machine running without a debugger. Commands that xsbug sends while the app waits in the event loop (a new breakpoint, a
 * break request) are read by a watch of the loop; while the machine is stopped at a breakpoint the engine
 * reads them itself through fxReceive(), which blocks.
 */
#include "../engine.h"
#include "xsScript.h"
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#ifdef mxDebug

static simWatch gDebugWatch = { -1, 0, NULL, NULL };

static void simDebugReadable(simWatch* watch, uint32_t events)
{
	txMachine* the = watch->data;
	if (fxIsReadable(the)) {
		fxDebugCommand(the);
		if (the->breakOnStartFlag) {
			fxBeginHost(the);
			fxDebugLoop(the, NULL, 0, "C: xsDebugger");
			fxEndHost(the);
		}
	}
}

void fxConnect(txMachine* the)
{
	const char* host = getenv("XSBUG_HOST");
	const char* port = getenv("XSBUG_PORT");
	struct addrinfo hints, *info = NULL;
	int fd = -1, error = 0, flag = 1;
	socklen_t length = sizeof(error);
	struct pollfd pfd;
	const char* wanted = getenv("XSNET_XSBUG");
	if (!wanted || !wanted[0] || (the->name && !strcmp(the->name, SIM_LINKER_NAME)))
		return;   /* the preloads run without a debugger, as xsl runs them at build time (preload.c) */
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host && host[0] ? host : "localhost", port && port[0] ? port : "5002", &hints, &info) || !info)
		goto bail;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto bail;
	if (connect(fd, info->ai_addr, info->ai_addrlen) < 0) {
		if (errno != EINPROGRESS)
			goto bail;
		pfd.fd = fd;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, 2000) != 1 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) < 0 || error)
			goto bail;   /* no xsbug there: run without a debugger */
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &flag, sizeof(flag));
	freeaddrinfo(info);
	gDebugWatch.fd = fd;
	gDebugWatch.callback = simDebugReadable;
	gDebugWatch.data = the;
	simWatchAdd(&gDebugWatch, EPOLLIN);   /* no simRef(): the debugger keeps no app alive */
	return;
bail:
	if (info)
		freeaddrinfo(info);
	if (fd >= 0)
		close(fd);
	fprintf(stderr, "xsnet-sim: no debugger at %s:%s (start xsbug first); running without it\n",
		host && host[0] ? host : "localhost", port && port[0] ? port : "5002");
}

void fxDisconnect(txMachine* the)
{
	if (gDebugWatch.fd >= 0) {
		simWatchRemove(&gDebugWatch);
		close(gDebugWatch.fd);
		gDebugWatch.fd = -1;
	}
}

txBoolean fxIsConnected(txMachine* the)
{
	return gDebugWatch.fd >= 0;
}

/* Called when the loop saw the connection readable: the first bytes of a command, or the end of the connection. */
txBoolean fxIsReadable(txMachine* the)
{
	ssize_t count;
	if (gDebugWatch.fd < 0)
		return 0;
	count = recv(gDebugWatch.fd, the->debugBuffer, sizeof(the->debugBuffer) - 1, 0);
	if (count > 0) {
		the->debugOffset = (txSize)count;
		return 1;
	}
	if (count == 0 || (errno != EAGAIN && errno != EINTR))
		fxDisconnect(the);
	return 0;
}

/* More of a command: waits for bytes when none are buffered (the machine is stopped, at a breakpoint). */
void fxReceive(txMachine* the)
{
	for (;;) {
		ssize_t count;
		size_t room = sizeof(the->debugBuffer) - the->debugOffset - 1;
		if (gDebugWatch.fd < 0 || room == 0)
			return;
		count = recv(gDebugWatch.fd, the->debugBuffer + the->debugOffset, room, 0);
		if (count > 0) {
			the->debugOffset += (txSize)count;
			the->debugBuffer[the->debugOffset] = 0;
			return;
		}
		if (count == 0 || (errno != EAGAIN && errno != EINTR)) {
			fxDisconnect(the);
			return;
		}
		if (the->debugOffset)
			return;
		{
			struct pollfd pfd = { gDebugWatch.fd, POLLIN, 0 };
			poll(&pfd, 1, -1);
		}
	}
}

void fxSend(txMachine* the, txBoolean more)
{
	const char* p = the->echoBuffer;
	size_t left = the->echoOffset;
	while (left && gDebugWatch.fd >= 0) {
		ssize_t count = send(gDebugWatch.fd, p, left, MSG_NOSIGNAL);
		if (count > 0) {
			p += count;
			left -= (size_t)count;
		}
		else if (count < 0 && (errno == EAGAIN || errno == EINTR)) {
			struct pollfd pfd = { gDebugWatch.fd, POLLOUT, 0 };
			poll(&pfd, 1, -1);
		}
		else
			fxDisconnect(the);
	}
}

/* trace() also goes to xsbug's log while it is connected, as on Moddable's hosts. */
void simDebugTrace(xsMachine* the, const char* text)
{
	if (fxIsConnected(the))
		fxReport(the, "%s", text);
}

#else

void simDebugTrace(xsMachine* the, const char* text)
{
}

#endif
