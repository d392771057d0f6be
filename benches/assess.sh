#!/usr/bin/env bash
# Whole-process timings of `acre assess` at the sizes README's performance section gives
# (issue 15's targets), with peak memory. Generates the cases (python3) into a scratch
# folder, runs each command three times and prints the fastest.
# Run from the project root after `cargo build --release`:  bash benches/assess.sh
set -euo pipefail
acre="${ACRE:-target/release/acre}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
python3 - "$dir" <<'PY'
import sys
out = sys.argv[1]
terms = ["remote chance", "highly unlikely", "unlikely", "realistic possibility",
         "likely", "highly likely", "almost certain"]
def gen(name, k, n, m, sources=10, graded=True):
    t = ['case "bench" { question "q" }']
    t += [f"hypothesis h{h}" + (" catch-all" if h + 1 == k else "") for h in range(k)]
    t += [f"source s{s} reliability {'ABC'[s % 3]}" for s in range(sources)]
    t += [f"assumption a{a} prior unlikely" for a in range(m)]
    state = 42
    def nxt(b):
        nonlocal state
        state = (state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        return (state >> 33) % b
    for i in range(n):
        src, cred = nxt(sources), nxt(6) + 1
        t.append(f"evidence e{i} {{")
        if graded:
            t.append(f"  from s{src} credibility {cred}")
        for h in range(min(k, 3)):
            t.append(f"  given h{h}: {terms[nxt(7)]}")
        if m > 0 and nxt(3) == 0:
            t.append(f"  given h0 if a{nxt(m)}: {terms[nxt(7)]}")
        t.append(f"  otherwise: {terms[nxt(7)]}")
        t.append("}")
    open(f"{out}/{name}.acre", "w").write("\n".join(t) + "\n")
gen("n10", 5, 10, 0)
gen("n1000_m8", 5, 1000, 8)
gen("n20000", 5, 20000, 0)
gen("n20000_one_source", 5, 20000, 0, sources=1)
gen("n100000", 5, 100000, 0)
gen("n1000_m20", 5, 1000, 20)
gen("n100_m16_s16", 5, 100, 16, sources=16)
PY
run() {
  local runs="$1" label="$2"; shift 2
  local best=""
  for _ in $(seq "$runs"); do
    local line
    /usr/bin/time -o "$dir/time" -f "%e %M" "$acre" "$@" >/dev/null 2>&1 || true
    line=$(tail -1 "$dir/time")
    if [ -z "$best" ] || awk -v a="${line%% *}" -v b="${best%% *}" 'BEGIN{exit !(a<b)}'; then best="$line"; fi
  done
  printf '%-44s %8s s %8.0f MB\n' "$label" "${best%% *}" "$(awk -v kb="${best##* }" 'BEGIN{print kb/1024}')"
}
echo "acre assess, whole process (fastest of 3; the n=100,000 default and m=20 runs once), $(nproc) cores, $(date -u +%F)"
run 3 "n=10, default" assess "$dir/n10.acre"
run 3 "n=1,000, m=8, default" assess "$dir/n1000_m8.acre"
run 3 "n=20,000, ten sources, default" assess "$dir/n20000.acre"
run 3 "n=20,000, one source, default" assess "$dir/n20000_one_source.acre"
run 3 "n=20,000, ten sources, --samples 0" assess "$dir/n20000.acre" --samples 0
run 3 "n=100,000, --samples 0" assess "$dir/n100000.acre" --samples 0
run 1 "n=100,000, default" assess "$dir/n100000.acre"
run 1 "n=1,000, m=20, --samples 0" assess "$dir/n1000_m20.acre" --samples 0
run 1 "n=1,000, m=20, default (no draws: see draws_limited)" assess "$dir/n1000_m20.acre"
run 3 "n=100, m=16 over 16 sources, default" assess "$dir/n100_m16_s16.acre"

