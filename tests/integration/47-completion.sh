#!/bin/bash
# The bash completion (completion/ward.bash, installed by make install):
# it completes ward's commands, every `ward run` option, the values an
# option lists, and the profile names `ward profiles` finds, all asked of
# the ward being completed, so a new directive row completes without an
# edit here.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/tap.sh
. "$here/../lib/tap.sh"

SCRIPT=$here/../../completion/ward.bash
# shellcheck source=completion/ward.bash
. "$SCRIPT" || skip_all "cannot source $SCRIPT"

# complete WORD...: COMPREPLY for the command line WORD... (the last one
# being completed), one sorted line.
complete_line() {
	COMP_WORDS=("$WARD" "$@")
	COMP_CWORD=$#
	COMPREPLY=()
	_ward
	[ ${#COMPREPLY[@]} = 0 ] || printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
}

expect_eq "the script registers _ward for ward" "complete -o default -F _ward ward" \
	"$(complete -p ward)"
expect_eq "ward <TAB>: the commands of ward's usage" \
	"check exit-codes explain image probe profiles reserve-id run seccomp version " \
	"$(complete_line "")"
expect_eq "ward image <TAB>: its commands" "ls prune rm " "$(complete_line image "")"
expect_eq "ward image ls --<TAB>: --json" "--json " "$(complete_line image ls --)"
expect_eq "ward run --pro<TAB>: --profile" "--profile " "$(complete_line run --pro)"
expect_eq "ward run --env<TAB>: --env, --env-file, --env-pass" "--env --env-file --env-pass " \
	"$(complete_line run --env)"
expect_eq "ward run --q<TAB>: --quiet" "--quiet " "$(complete_line run --q)"
expect_eq "ward run --no-<TAB>: the alias --no-init" "--no-init " "$(complete_line run --no-)"

# Every option `ward run --help` names is offered after "--".
all=$(complete_line run --)
missing=""
for o in $("$WARD" run --help | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
	case " $all " in *" $o "*) ;; *) missing="$missing $o" ;; esac
done
expect_eq "ward run --<TAB>: every option of ward run --help" "" "$missing"
expect_match "...and --help" " --help " " $all"

expect_eq "ward run --net <TAB>: its values" "host loopback none veth " "$(complete_line run --net "")"
expect_eq "ward check --mode <TAB>: its values" "auto entrypoint namespaces " \
	"$(complete_line check --mode "")"
mkdir "$TAP_TMP/empty"
expect_eq "ward run --seccomp o<TAB>: off-i-know" "off-i-know " \
	"$(cd "$TAP_TMP/empty" && complete_line run --seccomp o)"

# ward looks for profiles in ./profiles first: the source tree's.
cd "$here/../.." || exit 1
profiles=$("$WARD" profiles | awk '/^profiles:/ {p = 1; next} /^[^ ]/ {p = 0} p && NF {print $1}' |
	sort | tr '\n' ' ')
expect_match "ward profiles lists the shipped profiles" "default .*nginx .*strict" "$profiles"
got=" $(complete_line run --profile "")"
missing=""
for p in $profiles; do
	case $got in *" $p "*) ;; *) missing="$missing $p" ;; esac
done
expect_eq "ward run --profile <TAB>: every profile name (and paths)" "" "$missing"
expect_eq "ward run --profile ng<TAB>: nginx" "nginx " "$(complete_line run --profile ng)"

expect_eq "after --: the program's words, none of ward's" "" "$(complete_line run -- ls --pr)"
expect_eq "ward version --<TAB>: nothing" "" "$(complete_line version --)"

# make install puts the script where bash-completion looks for ward's.
run_cmd make -C "$here/../.." -n install DESTDIR=/nonexistent-destdir
expect_match "make install installs completion/ward.bash as .../bash-completion/completions/ward" \
	"install -D -m 0644 completion/ward.bash /nonexistent-destdir/usr/local/share/bash-completion/completions/ward" "$OUT"

tap_done
