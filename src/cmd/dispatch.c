/* The command table's dispatcher and usage, and the commands too small
 * for a file of their own. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/explain.h"
#include "base/suggest.h"
#include "cmd/commands.h"
#include "plan/profile.h"
#include "seccomp/seccomp.h"

#define WARD_VERSION "0.1.0"
#define HELP_COLUMN 37 /* where the help text starts after "ward " */

static void usage_line(const struct ward_command *c, bool first, FILE *out)
{
	char synopsis[128];
	const char *h = c->help;
	int n = snprintf(synopsis, sizeof(synopsis), "ward %s%s", c->name, c->args);

	fputs(first ? "usage: " : "       ", out);
	if (!h) {
		fprintf(out, "%s\n", synopsis);
		return;
	}
	if (n > HELP_COLUMN - 3)
		fprintf(out, "%s\n%*s", synopsis, HELP_COLUMN + 7, "");
	else
		fprintf(out, "%-*s", HELP_COLUMN, synopsis);
	for (size_t k; (k = strcspn(h, "\n")), h[k]; h += k + 1)
		fprintf(out, "%.*s\n%*s", (int)k, h, HELP_COLUMN + 7, "");
	fprintf(out, "%s\n", h);
}

/* The rows whose first word is @group (every row when NULL). */
static void usage_of(const struct ward_command *table, size_t n,
		     const char *group, FILE *out)
{
	bool first = true;

	for (size_t i = 0; i < n; i++) {
		size_t len = group ? strlen(group) : 0;

		if (!table[i].args || (group && (strncmp(table[i].name, group, len) ||
						 (table[i].name[len] && table[i].name[len] != ' '))))
			continue;
		usage_line(&table[i], first, out);
		first = false;
	}
}

static void usage(const struct ward_command *table, size_t n, FILE *out)
{
	usage_of(table, n, NULL, out);
}

static bool is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0 ||
	       strcmp(arg, "help") == 0;
}

/* "ward seccomp --help": a group of two-word commands, listed. */
static bool group_help(const struct ward_command *table, size_t n, int argc,
		       char **argv)
{
	size_t len = strlen(argv[1]);

	if (argc > 3 || (argc == 3 && !is_help(argv[2])))
		return false;
	for (size_t i = 0; i < n; i++)
		if (strncmp(table[i].name, argv[1], len) == 0 &&
		    table[i].name[len] == ' ') {
			usage_of(table, n, argv[1], argc == 3 ? stdout : stderr);
			return true;
		}
	return false;
}

/* The row named by argv[1] (and argv[2] for two-word names); *words is
 * how many of argv the name took. */
static const struct ward_command *find(const struct ward_command *table,
				       size_t n, int argc, char **argv, int *words)
{
	for (size_t i = 0; i < n; i++) {
		const char *sp = strchr(table[i].name, ' ');
		size_t first = sp ? (size_t)(sp - table[i].name) : strlen(table[i].name);

		if (!table[i].fn || strncmp(argv[1], table[i].name, first) != 0 ||
		    argv[1][first])
			continue;
		*words = sp ? 2 : 1;
		/* a two-word command without arguments takes none */
		if (sp && !*table[i].args && argc > 3)
			continue;
		if (!sp || (argc >= 3 && strcmp(argv[2], sp + 1) == 0))
			return &table[i];
	}
	return NULL;
}

/* "unknown command 'chek'", the nearest command as the hint, then the
 * usage. */
static void unknown_command(const struct ward_command *table, size_t n,
			    int argc, char **argv)
{
	struct ward_suggest sg;
	char word[128];

	ward_suggest_init(&sg, argv[1]);
	for (size_t i = 0; i < n; i++)
		if (table[i].fn && !strchr(table[i].name, ' '))
			ward_suggest_offer(&sg, table[i].name);
	ward_suggest_offer(&sg, "seccomp");
	ward_suggest_offer(&sg, "image");
	if (argc >= 3 && snprintf(word, sizeof(word), "%s %s", argv[1], argv[2]) <
			 (int)sizeof(word) && strchr(argv[1], ' ') == NULL) {
		size_t len = strlen(argv[1]);

		for (size_t i = 0; i < n; i++)
			if (strncmp(table[i].name, argv[1], len) == 0 &&
			    table[i].name[len] == ' ') {
				fprintf(stderr, "ward: usage: unknown command '%s'\n", word);
				usage_of(table, n, argv[1], stderr);
				return;
			}
	}
	fprintf(stderr, "ward: usage: unknown command '%s'\n", argv[1]);
	if (ward_suggest_best(&sg))
		fprintf(stderr, "ward: hint: did you mean ward %s?\n", ward_suggest_best(&sg));
	usage(table, n, stderr);
}

int ward_cmd_dispatch(const struct ward_command *table, size_t n, int argc,
		      char **argv)
{
	const struct ward_command *c;
	int words = 0;

	if (argc < 2) {
		usage(table, n, stderr);
		return WARD_EXIT_USAGE;
	}
	if (is_help(argv[1])) {
		usage(table, n, stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0)
		return ward_cmd_version(0, NULL);
	c = find(table, n, argc, argv, &words);
	if (c)
		return c->fn(argc - 1 - words, argv + 1 + words);
	if (argc == 2 || (argc == 3 && is_help(argv[2])))
		if (group_help(table, n, argc, argv))
			return argc == 3 ? 0 : WARD_EXIT_USAGE;
	unknown_command(table, n, argc, argv);
	return WARD_EXIT_USAGE;
}

int ward_cmd_profiles(int argc, char **argv)
{
	ward_profile_list(stdout);
	return 0;
}

int ward_cmd_seccomp_groups(int argc, char **argv)
{
	ward_seccomp_print_groups(stdout);
	return 0;
}

int ward_cmd_exit_codes(int argc, char **argv)
{
	ward_explain_exit_codes();
	return 0;
}

int ward_cmd_version(int argc, char **argv)
{
	printf("ward %s\n", WARD_VERSION);
	return 0;
}
