/* The seccomp filter cache: see seccomp/cache.h. */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <link.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/random.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include "seccomp/libseccomp_dl.h"

#include "base/cleanup.h"
#include "seccomp/cache.h"
#include "base/util.h"
#include "seccomp/build.h"
#include "seccomp/policy.h"

#define ENTRY_HEAD_MAX 64 /* "bpf <count> <checksum>\n" */

static uint64_t fnv1a(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

void ward_seccomp_cache_name(const char *recipe, size_t rlen, char *buf,
			     size_t len)
{
	snprintf(buf, len, "%016" PRIx64 ".bpf", fnv1a(recipe, rlen));
}

/* The running binary's GNU build id, in hex. */
static int find_build_id(struct dl_phdr_info *info, size_t size, void *data)
{
	char *hex = data;

	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const char *p = (const char *)(info->dlpi_addr + ph->p_vaddr);
		const char *end = p + ph->p_memsz;

		if (ph->p_type != PT_NOTE)
			continue;
		while (p + sizeof(ElfW(Nhdr)) <= end) {
			const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)p;
			const char *name = p + sizeof(*n);
			const unsigned char *desc =
				(const unsigned char *)name + ((n->n_namesz + 3) & ~3u);

			if ((const char *)desc + n->n_descsz > end)
				break;
			if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 &&
			    memcmp(name, "GNU", 4) == 0 && n->n_descsz > 0 &&
			    n->n_descsz <= 64) {
				for (unsigned j = 0; j < n->n_descsz; j++)
					sprintf(hex + 2 * j, "%02x", desc[j]);
				return 1;
			}
			p = (const char *)desc + ((n->n_descsz + 3) & ~3u);
		}
	}
	return 1; /* the first object is the executable: stop either way */
}

/* The seccomp actions this kernel offers, one bit each. */
static unsigned kernel_actions(void)
{
	static const uint32_t actions[] = {
		SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_KILL_THREAD,
		SECCOMP_RET_TRAP, SECCOMP_RET_ERRNO, SECCOMP_RET_USER_NOTIF,
		SECCOMP_RET_TRACE, SECCOMP_RET_LOG, SECCOMP_RET_ALLOW,
	};
	unsigned mask = 0;

	for (unsigned i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (ward_seccomp_kernel_takes(&actions[i], 1))
			mask |= 1u << i;
	return mask;
}

/* Everything outside the source that the program depends on; NULL when
 * the binary has no build id (then nothing can be cached safely). */
static char *identity(void)
{
	char id[129] = "";
	const struct scmp_version *v = seccomp_version();
	struct utsname u;
	char *out = NULL;

	dl_iterate_phdr(find_build_id, id);
	if (!id[0] || !v || uname(&u) < 0)
		return NULL;
	if (asprintf(&out, "build-id %s\nlibseccomp %u.%u.%u api %u\n"
		     "kernel %s %s\nactions %x\n", id, v->major, v->minor,
		     v->micro, seccomp_api_get(), u.release, u.machine,
		     kernel_actions()) < 0)
		return NULL;
	return out;
}

char *ward_seccomp_cache_recipe(const struct ward_seccomp_source *src,
				const char *ident, const char *text,
				size_t len, size_t *out_len)
{
	size_t olen = src->overlay ? strlen(src->overlay) : 0;
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	if (!f)
		return NULL;
	fprintf(f, "ward-seccomp-cache 1\n%smode %d log-only %d caps %016" PRIx64
		"\nsource %zu\n", ident, (int)src->mode, src->log_only ? 1 : 0,
		src->caps, text ? len : 0);
	if (text)
		fwrite(text, 1, len, f);
	fprintf(f, "\noverlay %zu\n", olen);
	if (olen)
		fwrite(src->overlay, 1, olen, f);
	fputs("\n", f);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	*out_len = size;
	return buf;
}

static int make_dirs(const char *path)
{
	char buf[PATH_MAX];

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0700) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0700) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int ward_seccomp_cache_dir(char *buf, size_t len)
{
	const char *env = getenv("WARD_CACHE_DIR");
	int n;

	/* Only root's cache is on by default: a sandbox runs as a host uid
	 * that is not root, so it can never write /var/cache/ward.  A
	 * rootless sandbox runs as the caller's own uid and could write a
	 * cache in the caller's home through a read-write bind. */
	if (env)
		n = env[0] == '/' ? snprintf(buf, len, "%s/seccomp", env) : -1;
	else if (geteuid() == 0)
		n = snprintf(buf, len, "/var/cache/ward/seccomp");
	else
		n = -1;
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

bool ward_seccomp_cache_exposed(const char *path)
{
	char dir[PATH_MAX];

	return ward_seccomp_cache_dir(dir, sizeof(dir)) == 0 &&
	       ward_path_overlaps_dir(path, dir);
}

/* The cache directory at @path, open, when it is the caller's own with
 * no group or other access; -1 otherwise. */
static int open_private_dir(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || st.st_uid != geteuid() || (st.st_mode & 077)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int read_all(int fd, char *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

int ward_seccomp_cache_parse(const char *buf, size_t size, const char *recipe,
			     size_t rlen, struct sock_fprog *out)
{
	const char *head = buf + rlen, *nl;
	char line[ENTRY_HEAD_MAX + 1];
	unsigned count;
	uint64_t sum;
	size_t hlen, bytes;
	int used = 0;

	if (size <= rlen || memcmp(buf, recipe, rlen) != 0)
		return -1;
	nl = memchr(head, '\n', size - rlen < ENTRY_HEAD_MAX ? size - rlen : ENTRY_HEAD_MAX);
	if (!nl)
		return -1;
	hlen = (size_t)(nl - head) + 1;
	memcpy(line, head, hlen);
	line[hlen] = '\0';
	if (sscanf(line, "bpf %u %" SCNx64 "\n%n", &count, &sum, &used) != 2 ||
	    (size_t)used != hlen || count == 0 || count > BPF_MAXINSNS)
		return -1;
	bytes = (size_t)count * sizeof(struct sock_filter);
	if (size != rlen + hlen + bytes || fnv1a(nl + 1, bytes) != sum)
		return -1;
	out->filter = malloc(bytes);
	if (!out->filter)
		return -1;
	memcpy(out->filter, nl + 1, bytes);
	out->len = (unsigned short)count;
	return 0;
}

int ward_seccomp_cache_get(int dfd, const char *recipe, size_t rlen,
			   struct sock_fprog *out)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *buf = NULL;
	char name[32];
	struct stat st;
	size_t max = rlen + ENTRY_HEAD_MAX + BPF_MAXINSNS * sizeof(struct sock_filter);

	ward_seccomp_cache_name(recipe, rlen, name, sizeof(name));
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0)
		return -1;
	if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 07777) != 0600 || st.st_nlink != 1 ||
	    (size_t)st.st_size <= rlen || (size_t)st.st_size > max)
		return -1;
	buf = malloc((size_t)st.st_size);
	if (!buf || read_all(fd, buf, (size_t)st.st_size) < 0)
		return -1;
	return ward_seccomp_cache_parse(buf, (size_t)st.st_size, recipe, rlen, out);
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int ward_seccomp_cache_put(int dfd, const char *recipe, size_t rlen,
			   const struct sock_fprog *prog)
{
	size_t bytes = (size_t)prog->len * sizeof(struct sock_filter);
	char name[32], tmp[64], head[ENTRY_HEAD_MAX];
	int fd, r, hlen;

	uint64_t nonce = 0;

	ward_seccomp_cache_name(recipe, rlen, name, sizeof(name));
	/* A random name: launchers in other pid namespaces share pids. */
	if (getrandom(&nonce, sizeof(nonce), GRND_NONBLOCK) != sizeof(nonce))
		nonce = (uint64_t)getpid() << 32 ^ (uint64_t)time(NULL);
	snprintf(tmp, sizeof(tmp), ".%s.%016" PRIx64, name, nonce);
	hlen = snprintf(head, sizeof(head), "bpf %u %016" PRIx64 "\n", prog->len,
			fnv1a(prog->filter, bytes));
	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		    0600);
	if (fd < 0)
		return -errno;
	r = fchmod(fd, 0600) < 0 ? -errno : 0; /* whatever the umask */
	if (r == 0)
		r = write_all(fd, recipe, rlen);
	if (r == 0)
		r = write_all(fd, head, (size_t)hlen);
	if (r == 0)
		r = write_all(fd, prog->filter, bytes);
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && renameat(dfd, tmp, dfd, name) < 0)
		r = -errno;
	if (r < 0)
		unlinkat(dfd, tmp, 0);
	return r;
}

/* The policy or profile text @src names, read once: the recipe and the
 * build both use these bytes. */
static int read_source(const struct ward_seccomp_source *src, char **text,
		       size_t *len, struct ward_err *err)
{
	*text = NULL;
	*len = 0;
	if (src->mode == WARD_SECCOMP_FILE && src->path)
		return ward_seccomp_read_file(src->path, WARD_SECCOMP_FILE_MAX,
					      "seccomp policy", text, len, err);
	if (src->mode == WARD_SECCOMP_DOCKER && src->path)
		return ward_seccomp_read_file(src->path, WARD_DOCKER_FILE_MAX,
					      "Docker seccomp profile", text, len,
					      err);
	return 0;
}

int ward_seccomp_cache_lookup(const struct ward_seccomp_source *src,
			      struct sock_fprog *out,
			      enum ward_seccomp_cache_use *use, char **recipe,
			      size_t *rlen, struct ward_err *err)
{
	struct ward_seccomp_source s = *src;
	_cleanup_free_ char *text = NULL, *ident = NULL, *rec = NULL;
	_cleanup_close_ int dfd = -1;
	char dir[PATH_MAX];
	size_t len, n = 0;
	int r;

	*use = WARD_SECCOMP_CACHE_NONE;
	*recipe = NULL;
	*rlen = 0;
	if (src->mode == WARD_SECCOMP_OFF || ward_seccomp_use_precompiled(src, out))
		return 0;
	/* -v: a Docker build says what it skipped; let it */
	if (src->verbose && src->mode == WARD_SECCOMP_DOCKER)
		return ward_seccomp_build_fresh(src, out, err);
	if ((r = read_source(src, &text, &len, err)) < 0)
		return r;
	s.text = text;
	s.text_len = len;
	*use = WARD_SECCOMP_CACHE_UNUSABLE;
	if (ward_seccomp_cache_dir(dir, sizeof(dir)) == 0 && (ident = identity()) &&
	    (rec = ward_seccomp_cache_recipe(&s, ident, text, len, &n)) &&
	    (dfd = open_private_dir(dir)) >= 0 &&
	    ward_seccomp_cache_get(dfd, rec, n, out) == 0) {
		*use = WARD_SECCOMP_CACHE_HIT;
		return 0;
	}
	if ((r = ward_seccomp_build_fresh(&s, out, err)) < 0)
		return r;
	if (rec) { /* whether the directory can take it is the store's to see */
		*use = WARD_SECCOMP_CACHE_MISS;
		*recipe = TAKE_PTR(rec);
		*rlen = n;
	}
	return 0;
}

enum ward_seccomp_cache_use ward_seccomp_cache_store(const char *recipe,
						     size_t rlen,
						     const struct sock_fprog *prog)
{
	_cleanup_close_ int dfd = -1;
	char dir[PATH_MAX];

	if (ward_seccomp_cache_dir(dir, sizeof(dir)) < 0 || make_dirs(dir) < 0 ||
	    (dfd = open_private_dir(dir)) < 0 ||
	    ward_seccomp_cache_put(dfd, recipe, rlen, prog) < 0)
		return WARD_SECCOMP_CACHE_UNUSABLE;
	return WARD_SECCOMP_CACHE_STORED;
}

int ward_seccomp_build_cached(const struct ward_seccomp_source *src,
			      struct sock_fprog *out,
			      enum ward_seccomp_cache_use *use,
			      struct ward_err *err)
{
	_cleanup_free_ char *recipe = NULL;
	size_t rlen;
	int r = ward_seccomp_cache_lookup(src, out, use, &recipe, &rlen, err);

	if (r == 0 && *use == WARD_SECCOMP_CACHE_MISS)
		*use = ward_seccomp_cache_store(recipe, rlen, out);
	return r;
}
