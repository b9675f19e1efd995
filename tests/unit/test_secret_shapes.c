/* secret_shapes.c: the one table of secret shapes that `ward check`,
 * entrypoint mode and the image audit share.  Table-driven: every name
 * shape and every value shape has cases that must match (with the row's
 * label, and for a value the exact span to hide) and cases that must
 * not (no false alarm on look-alikes). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/secret_shapes.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- names ----------------------------------------------------------------------- */

struct name_case {
	const char *name;
	const char *label; /* NULL: not a secret */
};

static const struct name_case names[] = {
	/* the words anywhere, case-insensitively */
	{"API_KEY", "a name holding KEY"},
	{"apikey", "a name holding KEY"},
	{"NPM_TOKEN=abc", "a name holding TOKEN"},
	{"client_secret", "a name holding SECRET"},
	{"DB_PASSWORD", "a name holding PASSWORD"},
	{"PGPASSWORD", "a name holding PASSWORD"},
	{"MYSQL_PASSWD", "a name holding PASSWD"},
	{"GOOGLE_APPLICATION_CREDENTIALS", "a name holding CREDENTIAL"},
	{"GPG_PRIVATE", "a name holding PRIVATE"},
	{"GITHUB_AUTH", "a name holding AUTH"},
	/* A component that is the word, ends with it, or is its plural */
	{"GITHUB_API_TOKENS", "a name holding TOKEN"},
	{"AWS_SECRETACCESSKEY", "a name holding KEY"},
	{"app_credentials", "a name holding CREDENTIAL"},
	{"API_KEY=x", "a name holding KEY"},
	/* ... not one that only begins with it, nor a name of a file */
	{"KEYBOARD", NULL},
	{"TOKENIZERS_PARALLELISM=false", NULL},
	{"GIT_AUTHOR_NAME", NULL},
	{"SECRETARY", NULL},
	{"PASSWD_FILE=/etc/passwd", NULL},
	{"POSTGRES_PASSWORD_FILE=/run/secrets/db", NULL},
	/* _PASS and _PWD: at the end, after an underscore */
	{"DB_PASS", "a name ending in _PASS"},
	{"db_pass=hunter2", "a name ending in _PASS"},
	{"SMTP_PASS", "a name ending in _PASS"},
	{"MYSQL_PWD", "a name ending in _PWD"},
	{"db_pwd=x", "a name ending in _PWD"},
	/* ... and nowhere else */
	{"PATH", NULL},
	{"PATH=/my_token/bin", NULL},
	{"PWD", NULL},
	{"OLDPWD=/", NULL},
	{"COMPASS_DIR", NULL},
	{"BYPASS_CACHE=1", NULL},
	{"PASSENGER_ROOT", NULL},
	{"PASS_THROUGH", NULL},
	{"PGPASS", NULL},
	{"PGPASSFILE=/app/.pgpass", NULL},
	{"DB_PASS_FILE=/run/secrets/db", NULL},
	{"DB_PWD_DIR", NULL},
	{"HOME=/home/app", NULL},
	{"LANG=C.UTF-8", NULL},
	{"", NULL},
};

static void test_names(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(names); i++) {
		const char *got = ward_secret_name_shape(names[i].name);

		if (names[i].label ? !got || strcmp(got, names[i].label) != 0 : got != NULL)
			fail_msg("%s: got %s, want %s", names[i].name,
				 got ? got : "(none)",
				 names[i].label ? names[i].label : "(none)");
		assert_int_equal(ward_secret_name_looks_secret(names[i].name),
				 names[i].label != NULL);
	}
	assert_null(ward_secret_name_shape(NULL));
	assert_false(ward_secret_name_looks_secret(NULL));
}

/* ---- values ---------------------------------------------------------------------- */

struct value_case {
	const char *in;
	const char *label; /* NULL: no token shape */
	const char *span;  /* what is hidden */
};

#define JWT "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
#define GH "ghp_0123456789abcdefghijABCDEFGHIJ"
#define GOOGLE "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q"
#define OPENAI "sk-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6l"
#define OPENAI_PROJ "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8t_Uv1wXy4zAb7cDe0-fGh3iJk6lMn"

static const struct value_case values[] = {
	/* the shapes ward knew before */
	{"x=github_pat_11ABCDEFG0123456789abcdef_xyz", "a GitHub token",
	 "github_pat_11ABCDEFG0123456789abcdef_xyz"},
	{"token:" GH " rest", "a GitHub token", GH},
	{"glpat-abcdefghij0123456789", "a GitLab token", "glpat-abcdefghij0123456789"},
	{"SLACK=xoxb-1234567890-abcdef", "a Slack token", "xoxb-1234567890-abcdef"},
	{"id AKIAABCDEFGHIJKLMNOP", "an AWS access key id", "AKIAABCDEFGHIJKLMNOP"},
	{"//registry.npmjs.org/:_authToken=npm_SECRET123\n", "an npm token", "npm_SECRET123"},
	{"xoxb-1", NULL, NULL},
	{"myghp_0123456789abcdefghij0123", NULL, NULL},
	{"AKIAabcdefghijklmnop", NULL, NULL},
	{"_authToken=", NULL, NULL},
	/* Google API keys: AIza and exactly 35 of [0-9A-Za-z_-] */
	{"key=" GOOGLE "&q=1", "a Google API key", GOOGLE},
	{"AIzaSy_-1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6", "a Google API key",
	 "AIzaSy_-1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6"},
	{"AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p", NULL, NULL},    /* 34 */
	{"AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6QR", NULL, NULL}, /* 36 */
	{"xAIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q", NULL, NULL}, /* inside a word */
	{"AIza", NULL, NULL},
	{"x-AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q", NULL, NULL}, /* inside a name */
	/* OpenAI-style keys: sk-, 32 or more, mixed case and digits, a run of 20 */
	{"OPENAI=" OPENAI, "an OpenAI-style API key", OPENAI},
	{"Bearer " OPENAI_PROJ "\n", "an OpenAI-style API key", OPENAI_PROJ},
	{"sk-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z", "an OpenAI-style API key",
	 "sk-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z"}, /* 32 */
	{"sk-lang", NULL, NULL},
	{"pip install sk-learn scikit-learn", NULL, NULL},
	{"sk-this-is-a-long-kebab-case-package-name-v2", NULL, NULL},
	{"sk-Release-2024-Build-Number-Twelve-Final", NULL, NULL}, /* no run of 20 */
	{"sk-abcdefghijklmnopqrstuvwxyz0123456789", NULL, NULL},   /* no upper case */
	{"sk-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4", NULL, NULL},        /* 31 */
	{"task-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6l", NULL, NULL},
	{"x-sk-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6l", NULL, NULL}, /* inside a name */
	/* JWTs: eyJ header . payload . signature */
	{"Authorization: Bearer " JWT "\n", "a JWT", JWT},
	{"\"" JWT "\"", "a JWT", JWT},
	{"jwe=" JWT ".aXY.dGFn;", "a JWT", JWT ".aXY.dGFn"}, /* every part hidden */
	{JWT ". Next sentence", "a JWT", JWT},
	{"eyJhbGciOiJIUzI1NiJ9", NULL, NULL},
	{"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0", NULL, NULL},
	{"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.", NULL, NULL}, /* unsigned */
	{"eyJhbGc.e30.sig", NULL, NULL},                             /* header too short */
	{"abceyJhbGciOiJIUzI1NiJ9.e30.sig", NULL, NULL},             /* inside a word */
	{"v1.eyJhbGciOiJIUzI1NiJ9.e30.sig", NULL, NULL},             /* inside a dotted name */
	/* URLs with credentials: the password is hidden */
	{"postgres://user:pw@host/db", "a URL with credentials", "pw"},
	{"DATABASE_URL=postgresql://app:s3cr3t@db.internal:5432/app?ssl=1",
	 "a URL with credentials", "s3cr3t"},
	{"git clone https://user:token123@example.com/o/r.git", "a URL with credentials",
	 "token123"},
	{"redis://:s3cret@cache:6379/0", "a URL with credentials", "s3cret"},
	{"amqp://u:p@ss:w@[::1]/vhost", "a URL with credentials", "p@ss:w"},
	{"\"mongodb+srv://admin:hunter2@cluster0.example.net\"", "a URL with credentials",
	 "hunter2"},
	/* a known token as the password keeps its own name */
	{"https://x:" GH "@github.com/o/r", "a GitHub token", GH},
	{"https://user@host/path", NULL, NULL},
	{"postgres://host/db", NULL, NULL},
	{"https://host:8080/path", NULL, NULL},
	{"http://[::1]:8080/", NULL, NULL},
	{"https://user:@host/", NULL, NULL},    /* empty password */
	{"postgres://user:pw", NULL, NULL},     /* no host */
	{"https://host/a:b@c", NULL, NULL},     /* past the authority */
	{"https://u:p@/x", NULL, NULL},         /* no host after '@' */
	{"://u:p@host", NULL, NULL},            /* no scheme */
	{"user:pw@host", NULL, NULL},           /* no scheme */
	{"mailto:someone@example.com", NULL, NULL},
	{"ssh://git@github.com:22/o/r", NULL, NULL},
	{"x://u:p w@host", NULL, NULL},         /* a space ends it */
	/* plain values */
	{"/etc/passwd", NULL, NULL},
	{"C.UTF-8", NULL, NULL},
	{"hello world", NULL, NULL},
	{"", NULL, NULL},
};

static void check_value(const struct value_case *c)
{
	size_t off = 0, n = 0, len = strlen(c->in);
	const char *what = NULL;
	bool found = ward_secret_token_find(c->in, len, &off, &n, &what);

	if (!c->label) {
		if (found)
			fail_msg("%s: found %s at %zu+%zu, want none", c->in, what, off, n);
		assert_null(ward_secret_shape(c->in, len));
		return;
	}
	if (!found)
		fail_msg("%s: found nothing, want %s", c->in, c->label);
	if (strcmp(what, c->label) != 0)
		fail_msg("%s: found %s, want %s", c->in, what, c->label);
	if (n != strlen(c->span) || off + n > len ||
	    memcmp(c->in + off, c->span, n) != 0)
		fail_msg("%s: span %zu+%zu is \"%.*s\", want \"%s\"", c->in, off, n,
			 (int)(off <= len ? (n <= len - off ? n : len - off) : 0),
			 c->in + (off <= len ? off : len), c->span);
	assert_string_equal(ward_secret_shape(c->in, len), c->label);
}

static void test_values(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(values); i++)
		check_value(&values[i]);
}

/* A shape that runs to the end of the buffer, cut one byte short: a
 * token found is inside the bytes given, never past them. */
static void test_values_cut_short(void **state)
{
	static const char *const whole[] = {GOOGLE, OPENAI, JWT, GH};
	size_t off, n;
	const char *what;

	(void)state;
	for (size_t i = 0; i < N_ELEMS(whole); i++) {
		size_t len = strlen(whole[i]);

		for (size_t cut = 0; cut <= len; cut++)
			if (ward_secret_token_find(whole[i], cut, &off, &n, &what))
				assert_true(off + n <= cut);
	}
	/* "postgres://u:pw@h" cut before the host's first byte */
	assert_false(ward_secret_token_find("postgres://u:pw@h", 16, &off, &n, &what));
	assert_true(ward_secret_token_find("postgres://u:pw@h", 17, &off, &n, &what));
}

/* ---- a variable, by name or by value ------------------------------------------------- */

static void test_env(void **state)
{
	(void)state;
	assert_true(ward_secret_env_looks_secret("DB_PASS=x"));
	assert_true(ward_secret_env_looks_secret("API_TOKEN=t0k"));
	assert_true(ward_secret_env_looks_secret("DATABASE_URL=postgres://u:pw@db/app"));
	assert_true(ward_secret_env_looks_secret("SESSION=" JWT));
	assert_true(ward_secret_env_looks_secret("MAPS=" GOOGLE));
	assert_true(ward_secret_env_looks_secret("LLM=" OPENAI));
	assert_true(ward_secret_env_looks_secret("CONFIG_VALUE=" GH));
	assert_true(ward_secret_env_looks_secret("TLS=-----BEGIN PRIVATE KEY-----\nx"));
	assert_false(ward_secret_env_looks_secret("DATABASE_URL=postgres://db/app"));
	assert_false(ward_secret_env_looks_secret("REPO=https://user@host/r.git"));
	assert_false(ward_secret_env_looks_secret("COMPASS_DIR=/opt/compass"));
	assert_false(ward_secret_env_looks_secret("PWD=/app"));
	assert_false(ward_secret_env_looks_secret("PLAIN"));
	assert_false(ward_secret_env_looks_secret(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_values_cut_short),
		cmocka_unit_test(test_env),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
