/* Capabilities with libcap-ng, verified from the kernel.
 *
 * Debian 12's libcap-ng returns 0 from capng_apply even when applying
 * failed, so every change below is read back (PR_CAPBSET_READ,
 * /proc/self/status, PR_GET_SECUREBITS) before ward goes on. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/securebits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <cap-ng.h>

#include "kernel/caps.h"
#include "base/cleanup.h"
#include "base/suggest.h"
#include "base/sys.h"

#define CAP_MAX_BITS 64

int ward_caps_from_name(const char *name)
{
	char lower[64];
	size_t i;
	int cap;

	if (strncasecmp(name, "cap_", 4) == 0)
		name += 4;
	for (i = 0; name[i] && i + 1 < sizeof(lower); i++)
		lower[i] = (char)tolower((unsigned char)name[i]);
	if (name[i] || i == 0)
		return -EINVAL;
	lower[i] = '\0';
	cap = capng_name_to_capability(lower);
	if (cap < 0 || cap >= CAP_MAX_BITS)
		return -EINVAL;
	return cap;
}

int ward_caps_suggest(const char *name, char *out, size_t len)
{
	struct ward_suggest sg;
	const char *best;
	size_t n = strcspn(name, ",");
	char word[WARD_SUGGEST_MAX + 1];

	if (strncasecmp(name, "cap_", 4) == 0) {
		name += 4;
		n = n > 4 ? n - 4 : 0;
	}
	if (n == 0 || n > WARD_SUGGEST_MAX)
		return -ENOENT;
	memcpy(word, name, n);
	word[n] = '\0';
	ward_suggest_init(&sg, word);
	for (int cap = 0; cap <= CAP_LAST_CAP && cap < CAP_MAX_BITS; cap++)
		ward_suggest_offer(&sg, capng_capability_to_name((unsigned)cap));
	if (!(best = ward_suggest_best(&sg)))
		return -ENOENT;
	/* ward's own spelling, as ward check prints it: upper case */
	for (n = 0; best[n] && n + 1 < len; n++)
		out[n] = (char)toupper((unsigned char)best[n]);
	out[n] = '\0';
	return 0;
}

int ward_caps_parse_list(const char *list, uint64_t *mask, size_t *bad)
{
	const char *p = list;
	uint64_t m = 0;

	if (strcmp(list, "none") == 0 || *list == '\0') {
		*mask = 0;
		return 0;
	}
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		char name[64];
		int cap;

		if (n == 0 || n >= sizeof(name)) {
			*bad = (size_t)(p - list);
			return -EINVAL;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		cap = ward_caps_from_name(name);
		if (cap < 0) {
			*bad = (size_t)(p - list);
			return -EINVAL;
		}
		m |= 1ULL << cap;
		if (comma && comma[1] == '\0') { /* "a,": an empty last name */
			*bad = (size_t)(comma + 1 - list);
			return -EINVAL;
		}
		p += n + (comma ? 1 : 0);
	}
	*mask = m;
	return 0;
}

void ward_caps_format(uint64_t mask, char *buf, size_t len)
{
	size_t o = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	if (mask == 0) {
		snprintf(buf, len, "none");
		return;
	}
	for (int c = 0; c < CAP_MAX_BITS; c++) {
		const char *name;
		int n;

		if (!(mask & (1ULL << c)))
			continue;
		name = capng_capability_to_name((unsigned)c);
		n = snprintf(buf + o, len - o, "%scap_%s", o ? "," : "",
			     name ? name : "unknown");
		if (n < 0 || (size_t)n >= len - o)
			return;
		o += (size_t)n;
	}
}

/* "\nKey:\t0000003fffffffff\n": the kernel prints exactly 16 hex digits;
 * anything else (a cut read, junk) is refused. */
static int parse_hex_field(const char *text, const char *key, uint64_t *out)
{
	const char *p = strstr(text, key);
	uint64_t v = 0;
	int digits = 0;

	if (!p)
		return -EINVAL;
	p += strlen(key);
	while (*p == ' ' || *p == '\t')
		p++;
	for (; isxdigit((unsigned char)*p); p++, digits++) {
		if (digits == 16)
			return -EINVAL;
		v = v << 4 | (uint64_t)(isdigit((unsigned char)*p) ? *p - '0'
					: (tolower((unsigned char)*p) - 'a' + 10));
	}
	if (digits != 16 || (*p != '\n' && *p != '\0'))
		return -EINVAL;
	*out = v;
	return 0;
}

int ward_caps_parse_status(const char *text, struct ward_capsets *out)
{
	if (parse_hex_field(text, "\nCapInh:", &out->inh) < 0 ||
	    parse_hex_field(text, "\nCapPrm:", &out->prm) < 0 ||
	    parse_hex_field(text, "\nCapEff:", &out->eff) < 0 ||
	    parse_hex_field(text, "\nCapBnd:", &out->bnd) < 0 ||
	    parse_hex_field(text, "\nCapAmb:", &out->amb) < 0)
		return -EINVAL;
	return 0;
}

/* One pass: PR_CAPBSET_READ answers EINVAL past the kernel's last cap. */
static int check_bounding(uint64_t keep, struct ward_err *err)
{
	for (int c = 0; c < CAP_MAX_BITS; c++) {
		int in = prctl(PR_CAPBSET_READ, c, 0, 0, 0);
		int want = (keep >> c) & 1;

		if (in < 0 && errno == EINVAL && c > 0)
			return 0;
		if (in < 0)
			return ward_err_set(err, WARD_STEP_VERIFY, errno,
					    "PR_CAPBSET_READ %d", c);
		if (in != want)
			return ward_err_set(err, WARD_STEP_VERIFY, 0,
					    "bounding set still holds cap %d after capng_apply",
					    c);
	}
	return 0;
}

static unsigned long wanted_securebits(uint64_t keep)
{
	unsigned long bits = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED |
			     SECBIT_NO_SETUID_FIXUP |
			     SECBIT_NO_SETUID_FIXUP_LOCKED |
			     SECBIT_KEEP_CAPS_LOCKED;

	if (keep == 0)
		bits |= SECBIT_NO_CAP_AMBIENT_RAISE |
			SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED;
	return bits;
}

int ward_caps_drop_bounding(uint64_t keep, struct ward_err *err)
{
	capng_clear(CAPNG_SELECT_ALL);
	for (int c = 0; c < CAP_MAX_BITS; c++) {
		if (!(keep & (1ULL << c)))
			continue;
		if (capng_update(CAPNG_ADD, CAPNG_BOUNDING_SET, (unsigned)c) < 0)
			return ward_err_set(err, WARD_STEP_CAPS, EINVAL,
					    "capng_update bounding cap %d", c);
	}
	if (sys_capng_apply(CAPNG_SELECT_BOUNDS) < 0)
		return ward_err_set(err, WARD_STEP_CAPS, EPERM,
				    "capng_apply(CAPNG_SELECT_BOUNDS)");
	if (check_bounding(keep, err) < 0)
		return -EPERM;
	if (sys_prctl(PR_SET_SECUREBITS, wanted_securebits(keep), 0, 0, 0) < 0)
		return ward_err_set(err, WARD_STEP_CAPS, errno,
				    "PR_SET_SECUREBITS");
	return 0;
}

int ward_caps_trim(uint64_t keep, struct ward_err *err)
{
	capng_clear(CAPNG_SELECT_CAPS);
	capng_clear(CAPNG_SELECT_AMBIENT);
	for (int c = 0; c < CAP_MAX_BITS; c++) {
		if (!(keep & (1ULL << c)))
			continue;
		if (capng_update(CAPNG_ADD,
				 CAPNG_EFFECTIVE | CAPNG_PERMITTED |
				 CAPNG_INHERITABLE | CAPNG_AMBIENT,
				 (unsigned)c) < 0)
			return ward_err_set(err, WARD_STEP_CAPS, EINVAL,
					    "capng_update cap %d", c);
	}
	if (sys_capng_apply(CAPNG_SELECT_CAPS) < 0)
		return ward_err_set(err, WARD_STEP_CAPS, EPERM,
				    "capng_apply(CAPNG_SELECT_CAPS)");
	if (sys_capng_apply(CAPNG_SELECT_AMBIENT) < 0)
		return ward_err_set(err, WARD_STEP_CAPS, EPERM,
				    "capng_apply(CAPNG_SELECT_AMBIENT)");
	return 0;
}

static int read_status(char *buf, size_t len, struct ward_err *err)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/status", "re");
	size_t n;

	if (!f)
		return ward_err_set(err, WARD_STEP_VERIFY, errno,
				    "open /proc/self/status");
	n = fread(buf + 1, 1, len - 2, f);
	buf[0] = '\n';
	buf[n + 1] = '\0';
	return 0;
}

int ward_caps_read_self(struct ward_capsets *out, struct ward_err *err)
{
	char text[8192];

	if (read_status(text, sizeof(text), err) < 0)
		return -EIO;
	if (ward_caps_parse_status(text, out) < 0)
		return ward_err_set(err, WARD_STEP_VERIFY, 0,
				    "cannot parse Cap* lines of /proc/self/status");
	return 0;
}

int ward_caps_verify_unprivileged(struct ward_err *err)
{
	struct ward_capsets got;

	if (ward_caps_read_self(&got, err) < 0)
		return -EIO;
	if (got.inh || got.prm || got.eff || got.amb)
		return ward_err_set(err, WARD_STEP_VERIFY, 0,
				    "capability sets not empty: inh=%016" PRIx64
				    " prm=%016" PRIx64 " eff=%016" PRIx64
				    " amb=%016" PRIx64,
				    got.inh, got.prm, got.eff, got.amb);
	return 0;
}

int ward_caps_verify(uint64_t keep, struct ward_err *err)
{
	char text[8192];
	struct ward_capsets got;
	long bits;
	unsigned long want = wanted_securebits(keep);

	if (read_status(text, sizeof(text), err) < 0)
		return -EIO;
	if (ward_caps_parse_status(text, &got) < 0)
		return ward_err_set(err, WARD_STEP_VERIFY, 0,
				    "cannot parse Cap* lines of /proc/self/status");
	if (got.inh != keep || got.prm != keep || got.eff != keep ||
	    got.bnd != keep || got.amb != keep)
		return ward_err_set(err, WARD_STEP_VERIFY, 0,
				    "capability sets differ from the plan: "
				    "inh=%016" PRIx64 " prm=%016" PRIx64
				    " eff=%016" PRIx64 " bnd=%016" PRIx64
				    " amb=%016" PRIx64 " want=%016" PRIx64,
				    got.inh, got.prm, got.eff, got.bnd, got.amb,
				    keep);
	bits = prctl(PR_GET_SECUREBITS, 0, 0, 0, 0);
	if (bits < 0 || ((unsigned long)bits & want) != want)
		return ward_err_set(err, WARD_STEP_VERIFY, bits < 0 ? errno : 0,
				    "securebits 0x%lx lack 0x%lx", bits, want);
	return 0;
}
