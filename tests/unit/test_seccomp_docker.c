/* Unit tests for Docker/OCI seccomp JSON profiles (seccomp_docker.c,
 * seccomp_docker_rules.c), `ward seccomp show` and the learn fragment:
 * both real profiles parse with the expected rules; every refusal names
 * the file and the JSON path; includes/excludes are decided by caps,
 * arch and kernel; each comparison operator and action maps as
 * documented, checked by running the exported BPF in an interpreter;
 * profile additions, log-only and the execve rule; the learn filter, the
 * listener hand-over over a real socketpair, and the fragment. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <cmocka.h>
#include <seccomp.h>

#include "base/err.h"
#include "seccomp/seccomp.h"
#include "seccomp/docker.h"
#include "seccomp/learn.h"
#include "launch/sync.h"
#include "seccomp/policy.h"

#include "bpf_run.h"
#include "under_valgrind.h"

#define F "p.json"
#define HEAD "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
#define EXECVE "{\"names\":[\"execve\"],\"action\":\"SCMP_ACT_ALLOW\"}"

static const struct ward_docker_context no_caps = {0, 6, 1, "amd64"};

/* ---- helpers ---------------------------------------------------------- */

static struct ward_docker_profile *parse_ctx(const char *json,
					     const struct ward_docker_context *c)
{
	struct ward_docker_profile *p = NULL;
	struct ward_err err = {0};

	if (ward_seccomp_docker_parse(F, json, strlen(json), c, &p, &err) != 0)
		fail_msg("unexpected error: %s\njson: %.300s", err.msg, json);
	return p;
}

static struct ward_docker_profile *parse(const char *json)
{
	return parse_ctx(json, &no_caps);
}

static void expect_error(const char *json, const char *want)
{
	struct ward_docker_profile *p = NULL;
	struct ward_err err = {0};
	int r = ward_seccomp_docker_parse(F, json, strlen(json), &no_caps, &p,
					  &err);

	if (r >= 0 || !strstr(err.msg, want) || strncmp(err.msg, F ":", 7))
		fail_msg("json: %.300s\nwant: %s\ngot (%d): %s", json, want, r,
			 err.msg);
	assert_null(p);
	assert_int_equal(err.step, WARD_STEP_SECCOMP_BUILD);
}

static size_t count_rules(const struct ward_docker_profile *p,
			  const char *name)
{
	size_t n = 0;

	for (size_t i = 0; i < p->nrules; i++)
		n += strcmp(p->rules[i].name, name) == 0;
	return n;
}

static const struct ward_docker_rule *rule_of(const struct ward_docker_profile *p,
					      const char *name)
{
	for (size_t i = 0; i < p->nrules; i++)
		if (strcmp(p->rules[i].name, name) == 0)
			return &p->rules[i];
	return NULL;
}

static bool has_note(const struct ward_docker_profile *p, const char *text)
{
	for (size_t i = 0; i < p->nnotes; i++)
		if (strstr(p->notes[i], text))
			return true;
	return false;
}

static char *data_path(const char *name)
{
	const char *slash = strstr(__FILE__, "tests/unit/");
	char *path = NULL;

	assert_non_null(slash);
	assert_true(asprintf(&path, "%.*stests/data/%s",
			     (int)(slash - __FILE__), __FILE__, name) > 0);
	if (access(path, R_OK) != 0) {
		free(path);
		skip(); /* not run from the source tree */
	}
	return path;
}

static struct ward_docker_profile *read_data(const char *name,
					     const struct ward_docker_context *c)
{
	struct ward_docker_profile *p = NULL;
	struct ward_err err = {0};
	char *path = data_path(name);

	if (ward_seccomp_docker_read(path, c, &p, &err) != 0)
		fail_msg("%s: %s", path, err.msg);
	free(path);
	return p;
}

static struct sock_fprog build(struct ward_docker_profile *p,
			       const struct ward_seccomp_policy *over,
			       bool log_only)
{
	struct sock_fprog prog = {0, NULL};
	struct ward_err err = {0};

	if (ward_seccomp_docker_merge(p, over, log_only, &err) != 0 ||
	    ward_seccomp_docker_build(p, over, &prog, &err) != 0)
		fail_msg("build: %s", err.msg);
	assert_true(prog.len > 0);
	return prog;
}

static uint32_t eval_arch(const struct sock_fprog *prog, uint32_t arch, int nr,
			  uint64_t a0)
{
	struct seccomp_data d = {.nr = nr, .arch = arch, .args = {a0}};

	return run_bpf(prog, &d);
}

/* ---- the real profiles ------------------------------------------------ */

static void test_docker_default(void **state)
{
	struct ward_docker_profile *p;
	const struct ward_docker_rule *r;
	struct sock_fprog prog;

	(void)state;
	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_BUILD);
	p = read_data("docker-default-seccomp.json", &no_caps);
	assert_int_equal(p->def_action, SCMP_ACT_ERRNO(EPERM));
	assert_non_null(rule_of(p, "read"));
	assert_non_null(rule_of(p, "execve"));
	assert_null(rule_of(p, "mount"));     /* needs CAP_SYS_ADMIN */
	assert_null(rule_of(p, "s390_pci_mmio_read"));
	assert_non_null(rule_of(p, "arch_prctl")); /* amd64 only */
	/* clone: (arg0 & 0x7e020000) == 0, as in Docker's Go code */
	r = rule_of(p, "clone");
	assert_non_null(r);
	assert_int_equal(count_rules(p, "clone"), 1);
	assert_int_equal(r->nargs, 1);
	assert_int_equal(r->args[0].op, SCMP_CMP_MASKED_EQ);
	assert_int_equal(r->args[0].value, 0x7E020000);
	assert_int_equal(r->args[0].value_two, 0);
	assert_int_equal(count_rules(p, "personality"), 5);
	assert_int_equal(count_rules(p, "socket"), 3);
	assert_int_equal(rule_of(p, "clone3")->action, SCMP_ACT_ERRNO(ENOSYS));
	assert_true(p->unknown_names > 0); /* 32-bit names: skipped */
	assert_true(has_note(p, "needs CAP_SYS_ADMIN"));
	assert_true(has_note(p, "sub-architectures are not added"));
	prog = build(p, NULL, false);
	assert_int_equal(eval(&prog, __NR_read, 0, 0, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(eval(&prog, __NR_mount, 0, 0, 0), RET_ERRNO(EPERM));
	assert_int_equal(eval(&prog, __NR_clone, 0x11, 0, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(eval(&prog, __NR_clone, 0x10000011, 0, 0),
			 RET_ERRNO(EPERM));
	assert_int_equal(eval(&prog, __NR_clone3, 0, 0, 0), RET_ERRNO(ENOSYS));
	assert_int_equal(eval(&prog, __NR_personality, 0x8, 0, 0),
			 SECCOMP_RET_ALLOW);
	assert_int_equal(eval(&prog, __NR_personality, 0x400000, 0, 0),
			 RET_ERRNO(EPERM));
	assert_int_equal(eval(&prog, __NR_socket, 2, 1, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(eval(&prog, __NR_socket, 40, 1, 0), RET_ERRNO(EPERM));
	/* only the native arch is in the filter */
	assert_int_equal(eval_arch(&prog, AUDIT_ARCH_I386, 3, 0),
			 SECCOMP_RET_KILL_PROCESS);
	ward_seccomp_free(&prog);
	ward_seccomp_docker_free(p);
}

static void test_docker_default_with_caps(void **state)
{
	const struct ward_docker_context admin = {
		1ULL << CAP_SYS_ADMIN, 6, 1, "amd64"};
	struct ward_docker_profile *p;

	(void)state;
	p = read_data("docker-default-seccomp.json", &admin);
	/* CAP_SYS_ADMIN: clone unconditionally, the masked rule excluded */
	assert_int_equal(count_rules(p, "clone"), 1);
	assert_int_equal(rule_of(p, "clone")->nargs, 0);
	assert_non_null(rule_of(p, "mount"));
	/* clone3 too: the ENOSYS rule is excluded */
	assert_int_equal(rule_of(p, "clone3")->action, SCMP_ACT_ALLOW);
	assert_true(has_note(p, "left out while CAP_SYS_ADMIN is kept"));
	ward_seccomp_docker_free(p);
}

static void test_containers_common(void **state)
{
	struct ward_docker_profile *p;
	struct sock_fprog prog;

	(void)state;
	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_BUILD);
	p = read_data("containers-common-seccomp.json", &no_caps);
	assert_int_equal(p->def_action, SCMP_ACT_ERRNO(ENOSYS));
	assert_int_equal(rule_of(p, "kexec_load")->action, SCMP_ACT_ERRNO(EPERM));
	/* setns: allowed by the big list first, denied again later: the
	 * first unconditional rule decides, as in libseccomp */
	assert_int_equal(count_rules(p, "setns"), 1);
	assert_int_equal(rule_of(p, "setns")->action, SCMP_ACT_ALLOW);
	assert_true(has_note(p, "setns errno=EPERM has no effect"));
	assert_int_equal(count_rules(p, "socket"), 4);
	prog = build(p, NULL, false);
	/* socket(AF_NETLINK, _, NETLINK_AUDIT) -> EINVAL without the cap */
	{
		struct seccomp_data d = {.nr = __NR_socket,
					 .arch = AUDIT_ARCH_X86_64,
					 .args = {16, 3, 9}};

		assert_int_equal(run_bpf(&prog, &d), RET_ERRNO(EINVAL));
		d.args[2] = 0;
		assert_int_equal(run_bpf(&prog, &d), SECCOMP_RET_ALLOW);
	}
	assert_int_equal(eval(&prog, 1000, 0, 0, 0), RET_ERRNO(ENOSYS));
	ward_seccomp_free(&prog);
	ward_seccomp_docker_free(p);
}

/* ---- refusals name the file and the JSON path ------------------------- */

static void test_errors(void **state)
{
	static const struct {
		const char *json, *want;
	} cases[] = {
		{"", "p.json:1:1: JSON syntax error"},
		{"{\"defaultAction\":\"SCMP_ACT_ALLOW\",}", "p.json:1:35: JSON syntax error"},
		{"{\"defaultAction\":\"SCMP_ACT_ALLOW\"} x", "p.json:1:36: JSON syntax error"},
		{"{\"defaultAction\":\"SCMP_ACT_ALLOW\"} // c", "JSON syntax error"},
		{"[]", "$: expected an object, found an array"},
		{"{}", "$.defaultAction: missing"},
		{"{\"defaultAction\":1}", "$.defaultAction: expected a string"},
		{"{\"defaultAction\":\"SCMP_ACT_FOO\"}",
		 "$.defaultAction: unknown action \"SCMP_ACT_FOO\""},
		{"{\"defaultAction\":\"SCMP_ACT_NOTIFY\"}", "$.defaultAction: SCMP_ACT_NOTIFY"},
		{"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"bogus\":1}",
		 "$.bogus: unknown key \"bogus\""},
		{"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":-1}",
		 "$.defaultErrnoRet: negative number"},
		{"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":4096}",
		 "$.defaultErrnoRet: 4096 is too large"},
		{"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrno\":\"EFOO\"}",
		 "$.defaultErrno: unknown errno name \"EFOO\""},
		{"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrno\":\"EPERM\","
		 "\"defaultErrnoRet\":38}", "$.defaultErrno: \"EPERM\" is 1"},
		{"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"defaultErrnoRet\":1}",
		 "only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno"},
		{"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\"]}",
		 "$.flags[0]: SECCOMP_FILTER_FLAG_LOG is not supported"},
		{"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"X\"]}",
		 "$.flags[0]: unknown flag \"X\""},
		{"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/s\"}",
		 "$.listenerPath: a seccomp agent is not supported"},
		{"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_FOO\"]}",
		 "$.architectures[0]: unknown architecture \"SCMP_ARCH_FOO\""},
		{"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86\"],"
		 "\"archMap\":[{\"architecture\":\"SCMP_ARCH_X86_64\"}]}",
		 "$: both \"architectures\" and \"archMap\""},
		{"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"archMap\":[{\"architecture\":"
		 "\"SCMP_ARCH_X86_64\",\"subArchitectures\":[\"x\"]}]}",
		 "$.archMap[0].subArchitectures[0]: unknown architecture"},
		{HEAD "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_FOO\"}]}",
		 "$.syscalls[0].action: unknown action \"SCMP_ACT_FOO\""},
		{HEAD EXECVE ",{\"names\":[\"read\"]}]}", "$.syscalls[1].action: missing"},
		{HEAD EXECVE ",{\"action\":\"SCMP_ACT_ALLOW\"}]}", "$.syscalls[1]: no syscall names"},
		{HEAD "{\"names\":[\"read\"],\"name\":\"read\",\"action\":\"SCMP_ACT_ALLOW\"}]}",
		 "$.syscalls[0]: both \"name\" and \"names\""},
		{HEAD "{\"names\":[\"Read me\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
		 "$.syscalls[0].names[0]: not a syscall name: \"Read me\""},
		{HEAD "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"x\":1}]}",
		 "$.syscalls[0].x: unknown key"},
		{HEAD "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"comment\":1}]}",
		 "$.syscalls[0]: \"comment\" must be a string"},
		{HEAD "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
		 "\"args\":[{\"index\":6,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
		 "$.syscalls[0].args[0].index: 6 is too large"},
		{HEAD "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
		 "\"args\":[{\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
		 "$.syscalls[0].args[0].index: missing"},
		{HEAD "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
		 "\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_XX\"}]}]}",
		 "$.syscalls[0].args[0].op: unknown operator \"SCMP_CMP_XX\""},
		{HEAD "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
		 "\"args\":[{\"index\":0,\"value\":1.5,\"op\":\"SCMP_CMP_EQ\"}]}]}",
		 "$.syscalls[0].args[0].value: expected a number, found a fraction"},
		{HEAD "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
		 "\"args\":[{\"index\":0,\"value\":1,\"valueTwo\":2,\"op\":\"SCMP_CMP_EQ\"}]}]}",
		 "$.syscalls[0].args[0].valueTwo: only SCMP_CMP_MASKED_EQ"},
		{HEAD "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":["
		 "{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_GE\"},"
		 "{\"index\":0,\"value\":9,\"op\":\"SCMP_CMP_LE\"}]}]}",
		 "$.syscalls[0].args[1]: a second condition on argument 0"},
		{HEAD "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
		 "\"includes\":{\"caps\":[\"CAP_NOPE\"]}}]}",
		 "$.syscalls[0].includes.caps[0]: unknown capability \"CAP_NOPE\""},
		{HEAD "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
		 "\"excludes\":{\"caps\":[\"sys_admin\"]}}]}",
		 "$.syscalls[0].excludes.caps[0]: unknown capability"},
		{HEAD "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
		 "\"includes\":{\"arches\":[\"vax\"]}}]}",
		 "$.syscalls[0].includes.arches[0]: unknown architecture \"vax\""},
		{HEAD "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
		 "\"includes\":{\"minKernel\":\"4\"}}]}",
		 "$.syscalls[0].includes.minKernel: expected \"MAJOR.MINOR\""},
		{HEAD "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
		 "\"includes\":{\"os\":\"linux\"}}]}",
		 "$.syscalls[0].includes.os: unknown key"},
		{HEAD "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}",
		 "$.syscalls[0].action: SCMP_ACT_NOTIFY needs a supervisor"},
		{HEAD "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_KILL\",\"errnoRet\":1}]}",
		 "$.syscalls[0].errnoRet: only SCMP_ACT_ERRNO"},
		/* a mistake in a rule that does not apply here still counts */
		{HEAD "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_BAD\","
		 "\"includes\":{\"arches\":[\"s390x\"]}}]}",
		 "$.syscalls[0].action: unknown action"},
		/* control bytes are escaped in messages */
		{"{\"defaultAction\":\"SCMP_\\u001b[31m\"}", "SCMP_\\x1b[31m"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_error(cases[i].json, cases[i].want);
	/* trailing white space is not "data after the end" */
	ward_seccomp_docker_free(parse("{\"defaultAction\":\"SCMP_ACT_ALLOW\"} \n\n"));
}

static void test_depth_and_size(void **state)
{
	char *deep = malloc(4096), *path = NULL;
	struct ward_docker_profile *p = NULL;
	struct ward_err err = {0};
	size_t o = 0;
	FILE *f;

	(void)state;
	assert_non_null(deep);
	o += (size_t)sprintf(deep, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"comment\":");
	for (int i = 0; i < 40; i++)
		deep[o++] = '[';
	for (int i = 0; i < 40; i++)
		deep[o++] = ']';
	strcpy(deep + o, "}");
	expect_error(deep, "JSON syntax error"); /* nesting over the cap */
	free(deep);
	/* a file over the size cap is refused before it is parsed */
	assert_true(asprintf(&path, "/tmp/ward-docker-big-%d.json", getpid()) > 0);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(ftruncate(fileno(f), WARD_DOCKER_FILE_MAX + 1), 0);
	fclose(f);
	assert_true(ward_seccomp_docker_read(path, &no_caps, &p, &err) < 0);
	assert_non_null(strstr(err.msg, "larger than"));
	unlink(path);
	free(path);
}

/* ---- includes and excludes -------------------------------------------- */

static void test_includes_excludes(void **state)
{
	static const char json[] = HEAD EXECVE ","
		"{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
		"\"includes\":{\"caps\":[\"CAP_SYS_ADMIN\",\"CAP_NET_ADMIN\"]}},"
		"{\"names\":[\"write\"],\"action\":\"SCMP_ACT_ALLOW\","
		"\"excludes\":{\"caps\":[\"CAP_SYS_ADMIN\",\"CAP_CHOWN\"]}},"
		"{\"names\":[\"open\"],\"action\":\"SCMP_ACT_ALLOW\","
		"\"includes\":{\"arches\":[\"arm64\",\"amd64\"]}},"
		"{\"names\":[\"close\"],\"action\":\"SCMP_ACT_ALLOW\","
		"\"excludes\":{\"arches\":[\"amd64\"]}},"
		"{\"names\":[\"stat\"],\"action\":\"SCMP_ACT_ALLOW\","
		"\"includes\":{\"minKernel\":\"6.1\"}},"
		"{\"names\":[\"fstat\"],\"action\":\"SCMP_ACT_ALLOW\","
		"\"includes\":{\"minKernel\":\"6.2\"}},"
		"{\"names\":[\"lstat\"],\"action\":\"SCMP_ACT_ALLOW\","
		"\"excludes\":{\"minKernel\":\"5.10\"}}]}";
	const struct ward_docker_context both = {
		(1ULL << CAP_SYS_ADMIN) | (1ULL << CAP_NET_ADMIN), 6, 1, "amd64"};
	const struct ward_docker_context one = {1ULL << CAP_SYS_ADMIN, 5, 4,
						"arm64"};
	struct ward_docker_profile *p;

	(void)state;
	p = parse(json);
	assert_null(rule_of(p, "read"));   /* includes: every cap needed */
	assert_non_null(rule_of(p, "write"));
	assert_non_null(rule_of(p, "open"));
	assert_null(rule_of(p, "close"));
	assert_non_null(rule_of(p, "stat"));  /* 6.1 >= 6.1 */
	assert_null(rule_of(p, "fstat"));     /* 6.1 < 6.2 */
	assert_null(rule_of(p, "lstat"));     /* only before 5.10 */
	assert_true(has_note(p, "(fstat) not applied: needs kernel 6.2"));
	assert_true(has_note(p, "(read) not applied: needs CAP_SYS_ADMIN"));
	ward_seccomp_docker_free(p);
	p = parse_ctx(json, &both);
	assert_non_null(rule_of(p, "read"));
	assert_null(rule_of(p, "write"));  /* excludes: any cap is enough */
	assert_true(has_note(p, "(write) not applied: left out while "
			       "CAP_SYS_ADMIN is kept"));
	ward_seccomp_docker_free(p);
	p = parse_ctx(json, &one);
	assert_non_null(rule_of(p, "open"));
	assert_non_null(rule_of(p, "close"));
	assert_null(rule_of(p, "stat"));   /* 5.4 < 6.1 */
	assert_non_null(rule_of(p, "lstat"));
	ward_seccomp_docker_free(p);
}

/* ---- operators and actions, through the BPF --------------------------- */

static void test_operators(void **state)
{
	static const struct {
		const char *op;
		uint64_t value, two;
		uint64_t probe[4];
		bool allowed[4];
	} cases[] = {
		{"SCMP_CMP_EQ", 10, 0, {9, 10, 11, 10 | 1ULL << 32}, {0, 1, 0, 0}},
		{"SCMP_CMP_NE", 10, 0, {9, 10, 11, 10 | 1ULL << 32}, {1, 0, 1, 1}},
		{"SCMP_CMP_LT", 10, 0, {9, 10, 11, 1ULL << 32}, {1, 0, 0, 0}},
		{"SCMP_CMP_LE", 10, 0, {9, 10, 11, 1ULL << 32}, {1, 1, 0, 0}},
		{"SCMP_CMP_GT", 10, 0, {9, 10, 11, 1ULL << 32}, {0, 0, 1, 1}},
		{"SCMP_CMP_GE", 10, 0, {9, 10, 11, 1ULL << 32}, {0, 1, 1, 1}},
		{"SCMP_CMP_MASKED_EQ", 0xf0, 0x20, {0x20, 0x12f, 0x30, 0x10},
		 {1, 1, 0, 0}},
	};

	(void)state;
	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_BUILD);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char json[512];
		struct ward_docker_profile *p;
		struct sock_fprog prog;

		snprintf(json, sizeof(json), HEAD EXECVE ",{\"names\":[\"personality\"],"
			 "\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":1,"
			 "\"value\":%llu,\"valueTwo\":%llu,\"op\":\"%s\"}]}]}",
			 (unsigned long long)cases[i].value,
			 (unsigned long long)cases[i].two, cases[i].op);
		p = parse(json);
		prog = build(p, NULL, false);
		for (int k = 0; k < 4; k++) {
			uint32_t got = eval(&prog, __NR_personality, 0,
					    cases[i].probe[k], 0);
			uint32_t want = cases[i].allowed[k] ? SECCOMP_RET_ALLOW
							    : RET_ERRNO(EPERM);

			if (got != want)
				fail_msg("%s: arg1=%#llx: got %#x, want %#x",
					 cases[i].op,
					 (unsigned long long)cases[i].probe[k],
					 got, want);
		}
		ward_seccomp_free(&prog);
		ward_seccomp_docker_free(p);
	}
}

static void test_actions(void **state)
{
	static const struct {
		const char *action;
		const char *extra;
		uint32_t want;
	} cases[] = {
		{"SCMP_ACT_ALLOW", "", SECCOMP_RET_ALLOW},
		{"SCMP_ACT_ERRNO", "", SECCOMP_RET_ERRNO | EPERM},
		{"SCMP_ACT_ERRNO", ",\"errnoRet\":13", SECCOMP_RET_ERRNO | EACCES},
		{"SCMP_ACT_ERRNO", ",\"errno\":\"ENOSYS\"", SECCOMP_RET_ERRNO | ENOSYS},
		{"SCMP_ACT_ERRNO", ",\"errno\":\"EINVAL\",\"errnoRet\":22",
		 SECCOMP_RET_ERRNO | EINVAL},
		{"SCMP_ACT_KILL", "", SECCOMP_RET_KILL_PROCESS},
		{"SCMP_ACT_KILL_THREAD", "", SECCOMP_RET_KILL_PROCESS},
		{"SCMP_ACT_KILL_PROCESS", "", SECCOMP_RET_KILL_PROCESS},
		{"SCMP_ACT_TRAP", "", SECCOMP_RET_TRAP},
		{"SCMP_ACT_TRACE", "", SECCOMP_RET_ERRNO | ENOSYS},
		{"SCMP_ACT_TRACE", ",\"errnoRet\":5", SECCOMP_RET_ERRNO | ENOSYS},
		{"SCMP_ACT_LOG", "", SECCOMP_RET_LOG},
	};

	(void)state;
	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_BUILD);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char json[512];
		struct ward_docker_profile *p;
		struct sock_fprog prog;

		/* default ERRNO(ENOENT), distinct from every case */
		snprintf(json, sizeof(json), "{\"defaultAction\":\"SCMP_ACT_ERRNO\","
			 "\"defaultErrnoRet\":2,\"syscalls\":[" EXECVE ","
			 "{\"names\":[\"getpid\"],\"action\":\"%s\"%s}]}",
			 cases[i].action, cases[i].extra);
		p = parse(json);
		prog = build(p, NULL, false);
		if (eval(&prog, __NR_getpid, 0, 0, 0) != cases[i].want)
			fail_msg("%s%s: got %#x, want %#x", cases[i].action,
				 cases[i].extra, eval(&prog, __NR_getpid, 0, 0, 0),
				 cases[i].want);
		assert_int_equal(eval(&prog, __NR_read, 0, 0, 0), RET_ERRNO(ENOENT));
		ward_seccomp_free(&prog);
		ward_seccomp_docker_free(p);
	}
}

/* libseccomp's rule for several rules of one syscall, made visible. */
static void test_shadowed_rules(void **state)
{
	static const char json[] = HEAD EXECVE ","
		"{\"names\":[\"getpid\",\"read\"],\"action\":\"SCMP_ACT_ALLOW\"},"
		"{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_KILL\"},"
		"{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":5,"
		"\"args\":[{\"index\":0,\"value\":3,\"op\":\"SCMP_CMP_EQ\"}]},"
		"{\"names\":[\"write\"],\"action\":\"SCMP_ACT_ERRNO\"},"
		"{\"names\":[\"close\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13},"
		"{\"names\":[\"no_such_call\", \"socketcall\"],\"action\":\"SCMP_ACT_ALLOW\"}]}";
	struct ward_docker_profile *p;

	(void)state;
	p = parse(json);
	assert_int_equal(count_rules(p, "getpid"), 1);
	assert_int_equal(rule_of(p, "getpid")->action, SCMP_ACT_ALLOW);
	assert_int_equal(count_rules(p, "read"), 1);
	assert_int_equal(rule_of(p, "read")->nargs, 0);
	assert_true(has_note(p, "getpid kill has no effect"));
	assert_true(has_note(p, "read errno=EIO with conditions has no effect"));
	/* the default action already: nothing to add */
	assert_null(rule_of(p, "write"));
	assert_true(has_note(p, "errno=EPERM is the default action already"));
	assert_int_equal(rule_of(p, "close")->action, SCMP_ACT_ERRNO(EACCES));
	/* unknown here (and socketcall, which x86_64 has not): skipped */
	assert_int_equal(p->unknown_names, 2);
	assert_true(has_note(p, "no_such_call socketcall"));
	ward_seccomp_docker_free(p);
}

/* ---- additions, log-only, execve -------------------------------------- */

static struct ward_seccomp_policy *overlay(const char *lines)
{
	struct ward_seccomp_policy *pol = NULL;
	struct ward_err err = {0};
	char *text = NULL;

	assert_true(asprintf(&text, "ward-seccomp 1\nallow execve\n%s", lines) > 0);
	if (ward_seccomp_policy_parse("profile", text, strlen(text), &pol, &err))
		fail_msg("%s", err.msg);
	free(text);
	return pol;
}

static void test_merge(void **state)
{
	static const char json[] = HEAD EXECVE ","
		"{\"names\":[\"getpid\",\"read\"],\"action\":\"SCMP_ACT_ALLOW\"},"
		"{\"names\":[\"clone\"],\"action\":\"SCMP_ACT_ALLOW\"}]}";
	struct ward_seccomp_policy *over;
	struct ward_docker_profile *p;
	struct sock_fprog prog;

	(void)state;
	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_BUILD);
	p = parse(json);
	over = overlay("deny getpid errno=EACCES\nallow clone ptrace\n"
		       "default errno=EIO\n");
	prog = build(p, over, false);
	assert_null(rule_of(p, "getpid")); /* replaced by the addition */
	assert_int_equal(eval(&prog, __NR_getpid, 0, 0, 0), RET_ERRNO(EACCES));
	assert_int_equal(eval(&prog, __NR_read, 0, 0, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(eval(&prog, __NR_ptrace, 0, 0, 0), SECCOMP_RET_ALLOW);
	/* ward's allow of clone keeps its guard: no namespace flags */
	assert_int_equal(eval(&prog, __NR_clone, 0x11, 0, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(eval(&prog, __NR_clone, 0x10000011, 0, 0),
			 RET_ERRNO(EPERM));
	assert_int_equal(eval(&prog, __NR_mount, 0, 0, 0), RET_ERRNO(EIO));
	ward_seccomp_free(&prog);
	ward_seccomp_docker_free(p);
	ward_seccomp_policy_free(over);
	/* a new default leaves what the JSON named with the old one */
	p = parse(HEAD EXECVE ",{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ERRNO\"},"
		  "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\"},"
		  "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":"
		  "[{\"index\":0,\"value\":0,\"op\":\"SCMP_CMP_EQ\"}]}]}");
	assert_null(rule_of(p, "getpid")); /* the default: set aside */
	over = overlay("default kill\n");
	prog = build(p, over, false);
	assert_int_equal(eval(&prog, __NR_getpid, 0, 0, 0), RET_ERRNO(EPERM));
	/* read has a conditional rule: what it leaves open goes to kill */
	assert_int_equal(eval(&prog, __NR_read, 0, 0, 0), SECCOMP_RET_ALLOW);
	assert_int_equal(eval(&prog, __NR_read, 1, 0, 0),
			 SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(eval(&prog, __NR_mount, 0, 0, 0),
			 SECCOMP_RET_KILL_PROCESS);
	ward_seccomp_free(&prog);
	ward_seccomp_docker_free(p);
	ward_seccomp_policy_free(over);
	/* log-only: every refusal logged and let through */
	p = parse(json);
	prog = build(p, NULL, true);
	assert_int_equal(eval(&prog, __NR_mount, 0, 0, 0), SECCOMP_RET_LOG);
	assert_int_equal(eval(&prog, __NR_read, 0, 0, 0), SECCOMP_RET_ALLOW);
	ward_seccomp_free(&prog);
	ward_seccomp_docker_free(p);
}

static void test_execve_required(void **state)
{
	struct ward_docker_profile *p;
	struct ward_err err = {0};

	(void)state;
	p = parse(HEAD "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}]}");
	assert_true(ward_seccomp_docker_merge(p, NULL, false, &err) < 0);
	assert_non_null(strstr(err.msg, "p.json: execve is not allowed"));
	ward_seccomp_docker_free(p);
	p = parse(HEAD "{\"names\":[\"execve\"],\"action\":\"SCMP_ACT_ALLOW\","
		  "\"args\":[{\"index\":2,\"value\":0,\"op\":\"SCMP_CMP_EQ\"}]}]}");
	assert_true(ward_seccomp_docker_merge(p, NULL, false, &err) < 0);
	ward_seccomp_docker_free(p);
	/* default ALLOW: fine */
	p = parse("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":["
		  "{\"names\":[\"ptrace\"],\"action\":\"SCMP_ACT_ERRNO\"}]}");
	assert_int_equal(ward_seccomp_docker_merge(p, NULL, false, &err), 0);
	ward_seccomp_docker_free(p);
}

/* ---- show ------------------------------------------------------------- */

static char *show(const struct ward_seccomp_source *src)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	struct ward_err err = {0};

	assert_non_null(f);
	if (ward_seccomp_show(src, f, &err) != 0)
		fail_msg("show: %s", err.msg);
	fclose(f);
	return text;
}

static void assert_line(const char *text, const char *line)
{
	if (!strstr(text, line))
		fail_msg("missing %s in:\n%.2000s", line, text);
}

static void test_show(void **state)
{
	struct ward_seccomp_source src = {.mode = WARD_SECCOMP_DEFAULT};
	char *path, *text, *over;
	char *lines[] = {"allow ptrace", "deny getpid errno=EACCES"};

	(void)state;
	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_BUILD);
	text = show(&src);
	assert_line(text, "allow read ");
	assert_line(text, "# @ward-default (@basic-io)\n");
	assert_line(text, "deny ptrace errno=EPERM");
	assert_line(text, "allow clone without namespace flags");
	assert_line(text, "\ndefault errno=ENOSYS");
	free(text);
	over = ward_seccomp_overlay_text(lines, 2);
	src.overlay = over;
	text = show(&src);
	assert_line(text, "allow ptrace                                   # profile (@debug)");
	assert_line(text, "deny getpid errno=EACCES");
	free(text);
	path = data_path("docker-default-seccomp.json");
	src = (struct ward_seccomp_source){.mode = WARD_SECCOMP_DOCKER,
					   .path = path, .overlay = over};
	text = show(&src);
	assert_line(text, "allow clone if (arg0 & 0x7e020000) == 0");
	assert_line(text, "allow socket if arg0 < 38");
	assert_line(text, "deny clone3 errno=ENOSYS");
	assert_line(text, "# $.syscalls[16] (open_by_handle_at) not applied: "
			  "needs CAP_DAC_READ_SEARCH");
	assert_line(text, "allow ptrace                                   # profile (@debug)");
	assert_line(text, "\ndefault errno=EPERM");
	free(text);
	free(over);
	free(path);
}

/* ---- learn ------------------------------------------------------------ */

static void test_learn_filter(void **state)
{
	struct sock_fprog prog = {0, NULL};
	struct ward_err err = {0};
	struct seccomp_data d = {.nr = __NR_sendmsg, .arch = AUDIT_ARCH_X86_64};

	(void)state;
	SKIP_UNDER_VALGRIND(NEEDS_SECCOMP_BUILD);
	assert_int_equal(ward_seccomp_learn_filter(&prog, &err), 0);
	assert_int_equal(eval(&prog, __NR_read, 0, 0, 0), SECCOMP_RET_USER_NOTIF);
	assert_int_equal(eval(&prog, __NR_sendmsg, 5, 0, 0),
			 SECCOMP_RET_USER_NOTIF);
	/* the tagged hand-over passes; the kernel sees fd 5 */
	d.args[0] = WARD_LEARN_FD_TAG | 5;
	assert_int_equal(run_bpf(&prog, &d), SECCOMP_RET_ALLOW);
	/* other arches are reported too, not killed */
	assert_int_equal(eval_arch(&prog, AUDIT_ARCH_I386, 3, 0),
			 SECCOMP_RET_USER_NOTIF);
	ward_seccomp_free(&prog);
}

static void test_learn_fragment(void **state)
{
	struct ward_seccomp_learned l;
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	(void)state;
	memset(&l, 0, sizeof(l));
	/* all of @timer is not needed for a group line: all of @sync */
	static const char *const used[] = {
		"read", "write", "execve", "exit_group", "fdatasync", "fsync",
		"msync", "sync", "sync_file_range", "syncfs", "ptrace", NULL,
	};
	for (const char *const *n = used; *n; n++)
		ward_seccomp_learned_add(&l, AUDIT_ARCH_X86_64,
					 seccomp_syscall_resolve_name(*n));
	ward_seccomp_learned_add(&l, AUDIT_ARCH_X86_64, __NR_read);
	ward_seccomp_learned_add(&l, AUDIT_ARCH_I386, 11);
	assert_int_equal(l.calls, 13);
	ward_seccomp_learned_print(&l, "/bin/x", f);
	fclose(f);
	assert_line(text, "# REVIEW BEFORE USE.");
	assert_line(text, "(11 distinct, 13 calls)");
	assert_line(text, "not listed");
	assert_line(text, "seccomp-allow execve exit_group\n");
	assert_line(text, "seccomp-allow read write\n");
	assert_line(text, "seccomp-allow @sync\n");
	/* refused by ward's policies: only commented out */
	assert_line(text, "# seccomp-allow ptrace\n");
	assert_null(strstr(text, "\nseccomp-allow ptrace"));
	assert_line(text, "arch 0x40000003 nr 11");
	free(text);
}

/* The listener hand-over on a real socketpair: the tag in the upper half
 * of the socket argument does not matter to the kernel. */
static void test_learn_handover(void **state)
{
	struct ward_err err = {0}, sent = {0};
	int fds[2], got = -1, pipefd[2];
	struct stat a, b;

	(void)state;
	assert_int_equal(ward_sync_pair(fds, &err), 0);
	assert_int_equal(pipe(pipefd), 0);
	assert_int_equal(ward_sync_send_fd(fds[1], pipefd[0], WARD_LEARN_FD_TAG), 0);
	assert_int_equal(ward_sync_recv_fd(fds[0], &got, &err), 0);
	assert_true(got >= 0 && got != pipefd[0]);
	assert_int_equal(fstat(got, &a), 0);
	assert_int_equal(fstat(pipefd[0], &b), 0);
	assert_true(a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	assert_int_equal(fcntl(got, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	close(got);
	/* an error record instead: the child's failure, reported */
	ward_err_set(&sent, WARD_STEP_SECCOMP, EINVAL, "no listener");
	ward_sync_send_error(fds[1], &sent);
	assert_int_equal(ward_sync_recv_fd(fds[0], &got, &err), -EINVAL);
	assert_int_equal(err.step, WARD_STEP_SECCOMP);
	assert_string_equal(err.msg, "no listener");
	/* EOF: the sandbox is gone */
	close(fds[1]);
	assert_true(ward_sync_recv_fd(fds[0], &got, &err) < 0);
	assert_int_equal(err.step, WARD_STEP_SYNC);
	close(fds[0]);
	close(pipefd[0]);
	close(pipefd[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_docker_default),
		cmocka_unit_test(test_docker_default_with_caps),
		cmocka_unit_test(test_containers_common),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_depth_and_size),
		cmocka_unit_test(test_includes_excludes),
		cmocka_unit_test(test_operators),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_shadowed_rules),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_execve_required),
		cmocka_unit_test(test_show),
		cmocka_unit_test(test_learn_filter),
		cmocka_unit_test(test_learn_fragment),
		cmocka_unit_test(test_learn_handover),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
