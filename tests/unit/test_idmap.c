/* idmap.c: the uid_map/gid_map text the parent writes. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "launch/idmap.h"

static struct ward_plan *new_plan(bool rootless, uid_t caller_uid,
				  gid_t caller_gid, uid_t uid, gid_t gid)
{
	struct ward_plan *p = calloc(1, sizeof(*p));

	assert_non_null(p);
	p->rootless = rootless;
	p->caller_uid = caller_uid;
	p->caller_gid = caller_gid;
	p->uid = uid;
	p->gid = gid;
	/* as the plan resolves them for a rootless launch or --user */
	p->host_uid = rootless ? caller_uid : uid;
	p->host_gid = rootless ? caller_gid : gid;
	return p;
}

static void set_groups(struct ward_plan *p, const gid_t *g, size_t n)
{
	memcpy(p->group_list, g, n * sizeof(*g));
	p->ngroups = n;
	p->groups = WARD_GROUPS_LIST;
}

/* Rootless: the one line an unprivileged user may write, target onto the
 * caller's own id. */
static void test_rootless_maps_target_to_caller(void **state)
{
	struct ward_plan *p = new_plan(true, 1000, 1001, 65534, 65533);
	char buf[256];

	assert_int_equal(ward_idmap_format_uid(p, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "65534 1000 1\n");
	assert_int_equal(ward_idmap_format_gid(p, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "65533 1001 1\n");
	free(p);
}

/* Rootless: a group list (refused at plan time anyway) never adds lines. */
static void test_rootless_ignores_group_list(void **state)
{
	static const gid_t g[] = {5, 6};
	struct ward_plan *p = new_plan(true, 1000, 1000, 10001, 10001);
	char buf[256];

	set_groups(p, g, 2);
	assert_int_equal(ward_idmap_format_gid(p, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "10001 1000 1\n");
	free(p);
}

/* Root: the target id maps onto the same host id; host root (0) is never
 * on the outside of a map. */
static void test_root_maps_target_to_same_id(void **state)
{
	struct ward_plan *p = new_plan(false, 0, 0, 10001, 10002);
	char buf[256];

	assert_int_equal(ward_idmap_format_uid(p, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "10001 10001 1\n");
	assert_int_equal(ward_idmap_format_gid(p, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "10002 10002 1\n");
	free(p);
}

/* Root, default user: the target maps onto the id reserved for ward in
 * /etc/subuid and /etc/subgid, never onto the same number. */
static void test_root_default_maps_to_reserved_id(void **state)
{
	struct ward_plan *p = new_plan(false, 0, 0, 10001, 10001);
	char buf[256];

	p->host_uid = 1879048192;
	p->host_gid = 1879048193;
	assert_int_equal(ward_idmap_format_uid(p, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "10001 1879048192 1\n");
	assert_int_equal(ward_idmap_format_gid(p, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "10001 1879048193 1\n");
	free(p);
}

/* Root with --groups: one line per distinct group, the primary gid once,
 * in the list's order. */
static void test_root_group_lines_dedupe(void **state)
{
	static const gid_t g[] = {5, 10002, 5, 7, 7, 10002, 8};
	struct ward_plan *p = new_plan(false, 0, 0, 10001, 10002);
	char buf[256];

	set_groups(p, g, sizeof(g) / sizeof(g[0]));
	assert_int_equal(ward_idmap_format_gid(p, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "10002 10002 1\n"
				 "5 5 1\n"
				 "7 7 1\n"
				 "8 8 1\n");
	/* uid_map is unaffected by groups. */
	assert_int_equal(ward_idmap_format_uid(p, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "10001 10001 1\n");
	free(p);
}

static void test_root_group_list_only_primary(void **state)
{
	static const gid_t g[] = {10002, 10002};
	struct ward_plan *p = new_plan(false, 0, 0, 10001, 10002);
	char buf[256];

	set_groups(p, g, 2);
	assert_int_equal(ward_idmap_format_gid(p, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "10002 10002 1\n");
	free(p);
}

static void test_max_ids(void **state)
{
	struct ward_plan *p = new_plan(true, 4294967294u, 4294967294u,
				       4294967294u, 4294967294u);
	char buf[64];

	assert_int_equal(ward_idmap_format_uid(p, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "4294967294 4294967294 1\n");
	free(p);
}

/* Every size that cannot hold the text with its NUL gives -ENOSPC. */
static void test_enospc_uid(void **state)
{
	struct ward_plan *p = new_plan(true, 1000, 1000, 65534, 65534);
	const char *want = "65534 1000 1\n";
	size_t need = strlen(want) + 1;
	char buf[64];

	for (size_t len = 0; len < need; len++)
		if (ward_idmap_format_uid(p, buf, len) != -ENOSPC)
			fail_msg("uid map in %zu bytes did not give -ENOSPC", len);
	assert_int_equal(ward_idmap_format_uid(p, buf, need), 0);
	assert_string_equal(buf, want);
	free(p);
}

static void test_enospc_gid_list(void **state)
{
	static const gid_t g[] = {5, 6, 7};
	struct ward_plan *p = new_plan(false, 0, 0, 1000, 1000);
	const char *want = "1000 1000 1\n5 5 1\n6 6 1\n7 7 1\n";
	size_t need = strlen(want) + 1;
	char buf[128];

	set_groups(p, g, 3);
	for (size_t len = 0; len < need; len++)
		if (ward_idmap_format_gid(p, buf, len) != -ENOSPC)
			fail_msg("gid map in %zu bytes did not give -ENOSPC", len);
	assert_int_equal(ward_idmap_format_gid(p, buf, need), 0);
	assert_string_equal(buf, want);
	free(p);
}

/* The largest map the parent's buffer must hold: 32 distinct groups of
 * 10 digits (userns.c sizes its gid_map buffer for this). */
static void test_full_group_list_fits_userns_buffer(void **state)
{
	struct ward_plan *p = new_plan(false, 0, 0, 4000000000u, 4000000000u);
	char buf[64 * (WARD_MAX_GROUPS + 1)];
	gid_t g[WARD_MAX_GROUPS];

	for (size_t i = 0; i < WARD_MAX_GROUPS; i++)
		g[i] = 4000000001u + (gid_t)i;
	set_groups(p, g, WARD_MAX_GROUPS);
	assert_int_equal(ward_idmap_format_gid(p, buf, sizeof(buf)), 0);
	assert_int_equal(strlen(buf), (WARD_MAX_GROUPS + 1) *
					      strlen("4000000000 4000000000 1\n"));
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rootless_maps_target_to_caller),
		cmocka_unit_test(test_rootless_ignores_group_list),
		cmocka_unit_test(test_root_default_maps_to_reserved_id),
		cmocka_unit_test(test_root_maps_target_to_same_id),
		cmocka_unit_test(test_root_group_lines_dedupe),
		cmocka_unit_test(test_root_group_list_only_primary),
		cmocka_unit_test(test_max_ids),
		cmocka_unit_test(test_enospc_uid),
		cmocka_unit_test(test_enospc_gid_list),
		cmocka_unit_test(test_full_group_list_fits_userns_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
