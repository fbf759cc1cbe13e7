#!/bin/bash
# Random policies judged three ways (the policy's meaning, the simulator,
# the real kernel) by sf-diffcheck; fixed seeds so a failure reproduces
# with `build/tests/helpers/sf-diffcheck SEED 300 16`.
. "$(dirname "$0")/../lib.sh"
export SF_BASE_INC=$SF_ROOT/tests/policies/base.inc
seeds="1 2 3 4 5"
policies=300
if [ "${SANITIZE:-0}" = 1 ]; then
	# Every fork of an ASan process maps its shadow again: a smaller run
	# still puts the whole compiler under the sanitizers.
	seeds="1 2 3"
	policies=150
fi
for seed in $seeds; do
	if "$SF_HELPERS/sf-diffcheck" "$seed" "$policies" 16 >"$T/out" 2>&1; then
		ok "random policies, seed $seed: $(tail -1 "$T/out")"
	else
		not_ok "random policies, seed $seed"
		grep -A40 MISMATCH "$T/out" | head -60 | sed 's/^/    | /'
		tail -3 "$T/out" | sed 's/^/    | /'
	fi
done
