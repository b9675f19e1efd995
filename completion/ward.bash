# bash completion for ward(1).  make install puts it in
# $(PREFIX)/share/bash-completion/completions/ward.
#
# Nothing here lists ward's options, commands or profiles: each TAB asks
# the ward being completed (`ward run --help`, whose lines come from the
# directive table; `ward`'s usage; `ward profiles`), so the completion
# cannot drift from the binary.

# _ward_run_help WARD: "--option SPEC" per option line of `ward run
# --help` (its column before the description), SPEC empty for a flag.
_ward_run_help() {
	"$1" run --help 2>/dev/null | awk '
		/^  -/ {
			col = substr($0, 3)
			sub(/   .*/, "", col)
			n = split(col, items, ", ")
			for (i = 1; i <= n; i++)
				if (items[i] ~ /^--[a-z]/) {
					sp = index(items[i], " ")
					if (!sp) {
						print items[i], ""
						continue
					}
					spec = substr(items[i], sp + 1)
					sub(/ .*/, "", spec)
					print substr(items[i], 1, sp - 1), spec
				}
		}'
}

# _ward_profiles WARD: the names `ward profiles` lists.
_ward_profiles() {
	"$1" profiles 2>/dev/null | awk '/^profiles:/ {p = 1; next} /^[^ ]/ {p = 0} p && NF {print $1}'
}

# _ward_commands WARD: the first word after "ward" on each usage line.
_ward_commands() {
	"$1" 2>&1 | sed -n 's/^\(usage:\)\{0,1\} *ward \([a-z][a-z-]*\).*/\2/p' | sort -u
}

# _ward_image WARD: `ward image` completes its subcommands (from `ward
# image --help`), --json after ls, and after rm the digests and names
# `ward image ls` lists.
_ward_image() {
	local ward=$1 cur=$2
	if [ "$COMP_CWORD" -eq 2 ]; then
		mapfile -t COMPREPLY < <(compgen -W "$("$ward" image --help 2>/dev/null |
			sed -n 's/^\(usage:\)\{0,1\} *ward image \([a-z]*\).*/\2/p')" -- "$cur")
		return 0
	fi
	case ${COMP_WORDS[2]} in
	ls) mapfile -t COMPREPLY < <(compgen -W "--json" -- "$cur") ;;
	rm) mapfile -t COMPREPLY < <(compgen -W "$("$ward" image ls 2>/dev/null |
		awk 'NR > 1 {print $1; if ($2 != "-") print $2}')" -- "$cur") ;;
	esac
	return 0
}

_ward() {
	local cur prev ward=${COMP_WORDS[0]} i cmd="" spec words
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()
	for ((i = 1; i < COMP_CWORD; i++)); do
		[ "${COMP_WORDS[i]}" = "--" ] && return 0 # the program's own words
	done
	[ "$COMP_CWORD" -gt 1 ] && cmd=${COMP_WORDS[1]}
	if [ -z "$cmd" ]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_ward_commands "$ward")" -- "$cur")
		return 0
	fi
	case $cmd in
	image) _ward_image "$ward" "$cur"; return 0 ;;
	run | check | explain | seccomp) ;;
	*) return 0 ;;
	esac
	if [ "$prev" = "--profile" ]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_ward_profiles "$ward")" -- "$cur")
		mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "$cur")
		return 0
	fi
	case $prev in
	--*)
		spec=$(_ward_run_help "$ward" | awk -v o="$prev" '$1 == o {print $2}')
		if [ -n "$spec" ]; then
			# an alternative in lowercase is a literal value
			# (docker:FILE gives docker:); FILE, PATH, DIR and
			# SRC mean a path
			words=$(tr '|' '\n' <<<"$spec" | sed 's/\[.*//; s/:[A-Z].*/:/' |
				grep -E '^[a-z][a-z-]*:?$')
			mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
			case $spec in
			*FILE* | *PATH* | *DIR* | *SRC*)
				mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "$cur") ;;
			esac
			return 0
		fi
		;;
	esac
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_ward_run_help "$ward" | cut -d' ' -f1) --help" -- "$cur")
	fi
	return 0
}
complete -o default -F _ward ward
