# shellcheck shell=bash disable=SC2207
# bash completion for opsbook: commands, their options, environments from ./opsbook.yaml.
_opsbook() {
  local cur prev words cword
  _init_completion || return
  local commands="inspect build check run checklist incident serve init help"
  local cmd="" i
  for ((i = 1; i < cword; i++)); do
    case "${words[i]}" in
      --config|-j|--jobs) ((i++)) ;;
      -*) ;;
      *) cmd=${words[i]}; break ;;
    esac
  done
  case "$prev" in
    --config|-o|--output|--json|--report|--transcripts) _filedir; return ;;
    --format)
      if [ "$cmd" = checklist ]; then COMPREPLY=($(compgen -W "json yaml" -- "$cur"))
      else COMPREPLY=($(compgen -W "text json junit sarif github" -- "$cur")); fi
      return ;;
    --fail-on) COMPREPLY=($(compgen -W "error warning info" -- "$cur")); return ;;
    --env)
      local envs=""
      [ -f opsbook.yaml ] && envs=$(sed -n '/^environments:/,/^[^ #]/s/^  \([A-Za-z0-9_-]*\):.*/\1/p' opsbook.yaml)
      COMPREPLY=($(compgen -W "$envs" -- "$cur")); return ;;
  esac
  local opts
  case "$cmd" in
    "") opts="--config -j --jobs --version --help $commands" ;;
    inspect) opts="--json --pretty --help" ;;
    build) opts="-o --output --report --no-report --env --full --watch --help" ;;
    check) opts="--format -o --output --json --fail-on --no-shell --changed-since --no-shellcheck --live --env --timeout --deadline --retries --live-jobs --shellcheck-timeout --help" ;;
    run) opts="--env -p --param --dry-run -y --yes --allow-destructive --force --timeout --list --report --transcripts --no-transcript --help" ;;
    checklist) opts="--format -o --output --help" ;;
    incident) opts="new list --runbook --severity --title -o --output --env --now --help" ;;
    serve) opts="--port --env --report --no-report --help" ;;
    init) opts="--help" ;;
    help) opts="$commands rules" ;;
  esac
  if [[ "$cur" == -* || "$cmd" == "" || "$cmd" == help || "$cmd" == incident ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  else
    _filedir
  fi
}
complete -F _opsbook opsbook
