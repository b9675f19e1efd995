/* /proc with masked and read-only paths; the minimal /dev. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ward/cleanup.h"
#include "ward/mounts.h"
#include "ward/rootfs.h"
#include "ward/sys.h"

/* Docker's default masked and read-only paths (moby oci defaults). */
static const char *const masked_paths[] = {
	"/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore",
	"/proc/keys", "/proc/latency_stats", "/proc/timer_list",
	"/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
	NULL,
};

static const char *const readonly_paths[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
	"/proc/sysrq-trigger", NULL,
};

static const char *const dev_nodes[] = {
	"null", "zero", "full", "random", "urandom", "tty", NULL,
};

static int mask_path(int rootfd, const char *path, struct ward_err *err)
{
	_cleanup_close_ int fd = ward_mnt_open(rootfd, path);
	struct stat st;

	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return ward_err_set(err, WARD_STEP_PROC, -fd, "open %s", path);
	if (fstat(fd, &st) < 0)
		return ward_err_set(err, WARD_STEP_PROC, errno, "fstat %s", path);
	if (S_ISDIR(st.st_mode))
		return ward_mnt_mount_at("tmpfs", fd, "tmpfs",
					 MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
					 "size=0,mode=0000", WARD_STEP_PROC, path, err);
	return ward_mnt_mount_at(WARD_OLDROOT "/dev/null", fd, NULL, MS_BIND,
				 NULL, WARD_STEP_PROC, path, err);
}

static int readonly_path(int rootfd, const char *path, struct ward_err *err)
{
	_cleanup_close_ int fd = ward_mnt_open(rootfd, path), mnt = -1;
	char self[64];
	int r;

	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return ward_err_set(err, WARD_STEP_PROC, -fd, "open %s", path);
	ward_mnt_fd_path(fd, self, sizeof(self));
	if ((r = ward_mnt_mount_at(self, fd, NULL, MS_BIND | MS_REC, NULL,
				   WARD_STEP_PROC, path, err)) < 0)
		return r;
	mnt = ward_mnt_open(rootfd, path);
	if (mnt < 0)
		return ward_err_set(err, WARD_STEP_PROC, -mnt, "reopen %s", path);
	return ward_mnt_setattr(mnt, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
				     MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
				true, WARD_STEP_PROC, path, err);
}

int ward_rootfs_mount_proc(int rootfd, struct ward_err *err)
{
	_cleanup_close_ int fd = -1;
	int r;

	fd = ward_mnt_open(rootfd, "/proc");
	if (fd < 0)
		return ward_err_set(err, WARD_STEP_PROC, -fd, "open /proc");
	/* hidepid=invisible: a process sees only processes of its own uid
	 * (Linux >= 5.8). */
	if ((r = ward_mnt_mount_at("proc", fd, "proc",
				   MS_NOSUID | MS_NODEV | MS_NOEXEC,
				   "hidepid=invisible", WARD_STEP_PROC, "/proc",
				   err)) < 0)
		return r;
	for (size_t i = 0; masked_paths[i]; i++)
		if ((r = mask_path(rootfd, masked_paths[i], err)) < 0)
			return r;
	for (size_t i = 0; readonly_paths[i]; i++)
		if ((r = readonly_path(rootfd, readonly_paths[i], err)) < 0)
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
	_cleanup_close_ int fd = -1, devfd = -1;
	int r;

	fd = ward_mnt_open(rootfd, "/dev");
	if (fd < 0)
		return ward_err_set(err, WARD_STEP_DEV, -fd, "open /dev");
	/* Not nodev: the device binds below are mounts of their own. */
	if ((r = ward_mnt_mount_at("tmpfs", fd, "tmpfs", MS_NOSUID | MS_NOEXEC,
				   "mode=0755,size=64k", WARD_STEP_DEV, "/dev",
				   err)) < 0)
		return r;
	devfd = ward_mnt_open(rootfd, "/dev");
	if (devfd < 0)
		return ward_err_set(err, WARD_STEP_DEV, -devfd, "reopen /dev");
	{
		_cleanup_close_ int dirfd = openat(devfd, ".", O_RDONLY | O_DIRECTORY |
							       O_CLOEXEC);
		if (dirfd < 0)
			return ward_err_set(err, WARD_STEP_DEV, errno, "open /dev dir");
		for (size_t i = 0; dev_nodes[i]; i++)
			if ((r = bind_dev_node(dirfd, dev_nodes[i], err)) < 0)
				return r;
		if ((r = dev_submounts(dirfd, err)) < 0 ||
		    (r = dev_links(dirfd, err)) < 0)
			return r;
	}
	/* The /dev tmpfs itself becomes read-only; its submounts keep their
	 * own flags (non-recursive). */
	return ward_mnt_setattr(devfd, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
				       MOUNT_ATTR_NOEXEC,
				false, WARD_STEP_DEV, "/dev", err);
}
