/* /proc with masked and read-only paths; the minimal /dev. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cleanup.h"
#include "launch/mounts.h"
#include "base/openat2.h"
#include "launch/rootfs.h"

/* Docker's default masked and read-only paths (moby oci defaults),
 * relative to /proc. */
static const char *const masked_paths[] = {
	"asound", "acpi", "interrupts", "kcore", "keys", "latency_stats",
	"timer_list", "timer_stats", "sched_debug", "scsi", NULL,
};

static const char *const readonly_paths[] = {
	"bus", "fs", "irq", "sys", "sysrq-trigger", NULL,
};

static const char *const dev_nodes[] = {
	"null", "zero", "full", "random", "urandom", "tty", NULL,
};

/* Open @name inside the proc mount @procfd itself: resolved from the
 * mount's fd, never through the image's paths, so a rename race in the
 * image cannot move a mask away from the real procfs. */
static int open_in_proc(int procfd, const char *name)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
			   RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
	};

	return ward_openat2(procfd, name, &how);
}

static int mask_path(int procfd, const char *name, struct ward_err *err)
{
	static const char *const opts[] = {"size", "0", "mode", "0000", NULL};
	_cleanup_close_ int fd = open_in_proc(procfd, name), empty = -1;
	struct stat st;

	if (fd == -ENOENT) /* not in this kernel */
		return 0;
	if (fd < 0)
		return ward_err_set(err, WARD_STEP_PROC, -fd, "open /proc/%s", name);
	if (fstat(fd, &st) < 0)
		return ward_err_set(err, WARD_STEP_PROC, errno, "fstat /proc/%s", name);
	if (!S_ISDIR(st.st_mode))
		return ward_mnt_mount_at(WARD_OLDROOT "/dev/null", fd, NULL, MS_BIND,
					 NULL, WARD_STEP_PROC, name, err);
	empty = ward_mnt_new_fs("tmpfs", opts, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
					       MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
				WARD_STEP_PROC, name, err);
	if (empty < 0)
		return empty;
	return ward_mnt_attach(empty, fd, WARD_STEP_PROC, name, err);
}

static int readonly_path(int procfd, const char *name, struct ward_err *err)
{
	_cleanup_close_ int fd = open_in_proc(procfd, name), tree = -1;

	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return ward_err_set(err, WARD_STEP_PROC, -fd, "open /proc/%s", name);
	tree = ward_mnt_clone(fd, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
				  MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
			      WARD_STEP_PROC, name, err);
	if (tree < 0)
		return tree;
	return ward_mnt_attach(tree, fd, WARD_STEP_PROC, name, err);
}

int ward_rootfs_mount_proc(int rootfd, struct ward_err *err)
{
	/* hidepid=invisible: a process sees only processes it may ptrace
	 * (Linux >= 5.8); ward's non-dumpable pid 1 is among the hidden. */
	static const char *const opts[] = {"hidepid", "invisible", NULL};
	_cleanup_close_ int dir = -1, procfd = -1;
	int r;

	dir = ward_mnt_open(rootfd, "/proc");
	if (dir < 0)
		return ward_err_set(err, WARD_STEP_PROC, -dir, "open /proc");
	procfd = ward_mnt_new_fs("proc", opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
					       MOUNT_ATTR_NOEXEC,
				 WARD_STEP_PROC, "/proc", err);
	if (procfd < 0)
		return procfd;
	if ((r = ward_mnt_attach(procfd, dir, WARD_STEP_PROC, "/proc", err)) < 0)
		return r;
	for (size_t i = 0; masked_paths[i]; i++)
		if ((r = mask_path(procfd, masked_paths[i], err)) < 0)
			return r;
	for (size_t i = 0; readonly_paths[i]; i++)
		if ((r = readonly_path(procfd, readonly_paths[i], err)) < 0)
			return r;
	return 0;
}

static int bind_dev_node(int devfd, const char *name, struct ward_err *err)
{
	_cleanup_close_ int fd = -1;
	char src[64];

	fd = openat(devfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
			       O_CLOEXEC, 0666);
	if (fd < 0)
		return ward_err_set(err, WARD_STEP_DEV, errno, "create /dev/%s", name);
	close(fd);
	fd = openat(devfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return ward_err_set(err, WARD_STEP_DEV, errno, "open /dev/%s", name);
	snprintf(src, sizeof(src), WARD_OLDROOT "/dev/%s", name);
	return ward_mnt_mount_at(src, fd, NULL, MS_BIND, NULL, WARD_STEP_DEV,
				 src + strlen(WARD_OLDROOT), err);
}

static int dev_submounts(int devfd, struct ward_err *err)
{
	_cleanup_close_ int pts = -1, shm = -1;
	int r;

	if (mkdirat(devfd, "pts", 0755) < 0 || mkdirat(devfd, "shm", 01777) < 0)
		return ward_err_set(err, WARD_STEP_DEV, errno, "mkdir /dev/pts, /dev/shm");
	pts = openat(devfd, "pts", O_PATH | O_NOFOLLOW | O_CLOEXEC);
	shm = openat(devfd, "shm", O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (pts < 0 || shm < 0)
		return ward_err_set(err, WARD_STEP_DEV, errno, "open /dev/pts, /dev/shm");
	if ((r = ward_mnt_mount_at("devpts", pts, "devpts", MS_NOSUID | MS_NOEXEC,
				   "newinstance,ptmxmode=0666,mode=0620",
				   WARD_STEP_DEV, "/dev/pts", err)) < 0)
		return r;
	return ward_mnt_mount_at("tmpfs", shm, "tmpfs",
				 MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777",
				 WARD_STEP_DEV, "/dev/shm", err);
}

static int dev_links(int devfd, struct ward_err *err)
{
	static const char *const links[][2] = {
		{"pts/ptmx", "ptmx"}, {"/proc/self/fd", "fd"},
		{"/proc/self/fd/0", "stdin"}, {"/proc/self/fd/1", "stdout"},
		{"/proc/self/fd/2", "stderr"},
	};

	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		if (symlinkat(links[i][0], devfd, links[i][1]) < 0)
			return ward_err_set(err, WARD_STEP_DEV, errno,
					    "symlink /dev/%s", links[i][1]);
	return 0;
}

int ward_rootfs_mount_dev(int rootfd, struct ward_err *err)
{
	static const char *const opts[] = {"mode", "0755", "size", "64k", NULL};
	_cleanup_close_ int dir = -1, devfd = -1;
	int r;

	dir = ward_mnt_open(rootfd, "/dev");
	if (dir < 0)
		return ward_err_set(err, WARD_STEP_DEV, -dir, "open /dev");
	/* Not nodev: the device binds below are mounts of their own.  The
	 * new mount is filled through its own fd, never through the image's
	 * paths. */
	devfd = ward_mnt_new_fs("tmpfs", opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC,
				WARD_STEP_DEV, "/dev", err);
	if (devfd < 0)
		return devfd;
	if ((r = ward_mnt_attach(devfd, dir, WARD_STEP_DEV, "/dev", err)) < 0)
		return r;
	for (size_t i = 0; dev_nodes[i]; i++)
		if ((r = bind_dev_node(devfd, dev_nodes[i], err)) < 0)
			return r;
	if ((r = dev_submounts(devfd, err)) < 0 ||
	    (r = dev_links(devfd, err)) < 0)
		return r;
	/* The /dev tmpfs itself becomes read-only; its submounts keep their
	 * own flags (non-recursive). */
	return ward_mnt_setattr(devfd, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
				       MOUNT_ATTR_NOEXEC,
				false, WARD_STEP_DEV, "/dev", err);
}
