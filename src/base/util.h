/* Pure helpers: parsing and path normalisation.  No syscalls here. */
#ifndef WARD_UTIL_H
#define WARD_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parse a decimal unsigned 32-bit number; the whole string must be
 * digits.  Returns 0 or -EINVAL / -ERANGE. */
int ward_parse_u32(const char *s, uint32_t *out);

/* Parse a size with an optional K/M/G suffix (powers of 1024).  Returns 0
 * or -EINVAL / -ERANGE. */
int ward_parse_size(const char *s, uint64_t *out);

/* Normalise an absolute path: collapse repeated and trailing slashes and
 * "." components.  ".." components are refused (-EINVAL): sandbox paths
 * are spelled plainly.  @out gets at most @len bytes.  Returns 0,
 * -EINVAL (relative, "..", empty) or -ENAMETOOLONG. */
int ward_path_normalize(const char *in, char *out, size_t len);

/* True when @path is @dir or lies beneath it (both normalised). */
bool ward_path_is_beneath(const char *path, const char *dir);

/* True when a bind of @path (resolved) would show @dir, or something
 * inside or above it; @dir need not exist yet (its existing prefix is
 * resolved, both spellings compared). */
bool ward_path_overlaps_dir(const char *path, const char *dir);

/* True when the @n bytes at @s are an environment variable's name:
 * ASCII letters, digits and '_', not starting with a digit, not empty. */
bool ward_env_name_valid(const char *s, size_t n);

/* Split "a:b:c" at every colon into at most @max fields pointing into
 * @buf (which is modified).  There is no escape: a path holding ':'
 * cannot be given.  Returns the field count or -EINVAL when there are
 * more than @max. */
int ward_split_colon(char *buf, char **fields, int max);

/* A signal as Docker's STOPSIGNAL and `docker run --stop-signal` take
 * it: "SIGQUIT", "QUIT", "3", "SIGRTMIN+3" or "RTMAX-1" (any case for
 * the name).  Returns its number (1 to SIGRTMAX), or -EINVAL. */
int ward_signal_parse(const char *s);

/* The name of @sig ("SIGTERM", "SIGRTMIN+3") into @buf. */
void ward_signal_name(int sig, char *buf, size_t len);

#endif
