/* xsnet simulator, POSIX backend: the station interface for net.ifinfo (lwIP: netif). */
#include "posix.h"
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

/* `station` (--netif) or else the first up IPv4 interface that is not loopback, else lo */
static int posixFindInterface(const char* station, char* name, uint32_t* ip, uint32_t* mask)
{
	struct ifaddrs *list, *a;
	int found = 0;
	if (getifaddrs(&list) != 0)
		return 0;
	for (int pass = 0; pass < 3 && !found; pass++) {
		for (a = list; a; a = a->ifa_next) {
			if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET || !(a->ifa_flags & IFF_UP))
				continue;
			if (pass == 0 && (!station || strcmp(a->ifa_name, station)))
				continue;
			if (pass == 1 && (station || (a->ifa_flags & IFF_LOOPBACK)))
				continue;
			if (pass == 2 && (station || !(a->ifa_flags & IFF_LOOPBACK)))
				continue;
			snprintf(name, IFNAMSIZ, "%s", a->ifa_name);
			*ip = ((struct sockaddr_in*)a->ifa_addr)->sin_addr.s_addr;
			*mask = a->ifa_netmask ? ((struct sockaddr_in*)a->ifa_netmask)->sin_addr.s_addr : 0;
			found = 1;
			break;
		}
	}
	freeifaddrs(list);
	return found;
}

static uint32_t posixGateway(const char* name)
{
	FILE* f = fopen("/proc/net/route", "r");
	char line[256], iface[IFNAMSIZ + 1];
	unsigned destination, gateway, flags;
	uint32_t result = 0;
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%16s %x %x %x", iface, &destination, &gateway, &flags) == 4
			&& !strcmp(iface, name) && destination == 0 && (flags & 0x2 /* RTF_GATEWAY */)) {
			result = gateway;
			break;
		}
	}
	fclose(f);
	return result;
}

int posixNetif(int index, const char* station, simNetIf* info)
{
	struct ifreq request;
	int fd;
	if (index != 0)
		return 0;               /* the simulator has a station interface, no access point */
	memset(info, 0, sizeof(*info));
	if (!posixFindInterface(station, info->name, &info->ip, &info->netmask))
		return 0;
	memset(&request, 0, sizeof(request));
	snprintf(request.ifr_name, IFNAMSIZ, "%s", info->name);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		if (ioctl(fd, SIOCGIFHWADDR, &request) == 0)
			memcpy(info->hwaddr, request.ifr_hwaddr.sa_data, 6);
		close(fd);
	}
	info->gateway = posixGateway(info->name);
	return 1;
}
