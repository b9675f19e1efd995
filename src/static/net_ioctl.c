/* The static build's network setup.  Debian ships libmnl only as a
 * shared library, so the single static binary (make static, for COPY
 * into images) raises the loopback interface with the classic
 * SIOCSIFFLAGS ioctl instead of rtnetlink and reads the flags back.
 * Everything beyond lo up (--net veth) needs the libmnl build and is
 * refused at launch, before the sandbox runs anything. */
#define _GNU_SOURCE
#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "launch/net.h"

int ward_net_link_up(int ifindex, struct ward_err *err)
{
	struct ifreq ifr;
	int fd, r = 0;

	memset(&ifr, 0, sizeof(ifr));
	if (!if_indextoname((unsigned)ifindex, ifr.ifr_name))
		return ward_err_set(err, WARD_STEP_NET, errno, "interface %d", ifindex);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return ward_err_set(err, WARD_STEP_NET, errno, "socket for SIOCSIFFLAGS");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		r = ward_err_set(err, WARD_STEP_NET, errno, "SIOCGIFFLAGS %s", ifr.ifr_name);
	ifr.ifr_flags |= IFF_UP;
	if (r == 0 && ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		r = ward_err_set(err, WARD_STEP_NET, errno, "SIOCSIFFLAGS %s up", ifr.ifr_name);
	if (r == 0 && (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0 || !(ifr.ifr_flags & IFF_UP)))
		r = ward_err_set(err, WARD_STEP_NET, errno ? errno : EIO,
				 "%s is not up after SIOCSIFFLAGS", ifr.ifr_name);
	close(fd);
	return r;
}

static int veth_refused(struct ward_err *err)
{
	return ward_err_set(err, WARD_STEP_NET, EOPNOTSUPP,
			    "--net veth needs the libmnl build of ward (this is the static one)");
}

int ward_net_child_setup(const struct ward_plan *plan, struct ward_err *err)
{
	if (plan->net == WARD_NET_VETH)
		return veth_refused(err);
	if (plan->net != WARD_NET_LOOPBACK)
		return 0;
	return ward_net_link_up(1, err);
}

int ward_net_parent_setup(pid_t pid, const struct ward_plan *plan,
			  struct ward_net_parent *st, struct ward_err *err)
{
	memset(st, 0, sizeof(*st));
	return plan->net == WARD_NET_VETH ? veth_refused(err) : 0;
}

void ward_net_parent_cleanup(struct ward_net_parent *st)
{
}
