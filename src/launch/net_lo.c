/* lo up, in both builds: the classic SIOCSIFFLAGS ioctl on a datagram
 * socket, then the flags read back.  No netlink socket and no library
 * for the one interface every default sandbox raises; rtnetlink (net.c)
 * is for --net veth. */
#define _GNU_SOURCE
#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/sys.h"
#include "launch/net.h"

int ward_net_lo_up(struct ward_err *err)
{
	struct ifreq ifr;
	int fd, r = 0;

	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return ward_err_set(err, WARD_STEP_NET, errno, "socket for SIOCSIFFLAGS");
	if (sys_ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		r = ward_err_set(err, WARD_STEP_NET, errno, "SIOCGIFFLAGS lo");
	ifr.ifr_flags |= IFF_UP;
	if (r == 0 && sys_ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		r = ward_err_set(err, WARD_STEP_NET, errno, "SIOCSIFFLAGS lo up");
	if (r == 0 && sys_ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		r = ward_err_set(err, WARD_STEP_NET, errno, "SIOCGIFFLAGS lo, after up");
	else if (r == 0 && !(ifr.ifr_flags & IFF_UP))
		r = ward_err_set(err, WARD_STEP_NET, EIO, "lo is not up after SIOCSIFFLAGS");
	close(fd);
	return r;
}
