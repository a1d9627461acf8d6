cat <<'EOF' | psql
SELECT 1;
EOF
for i in $(seq 3); do echo "${i:-x}" `date`; done > out 2>&1
case $x in a|b) echo $'\n';; esac
[[ $a == b* ]] && (cd /tmp; ls <(echo))
