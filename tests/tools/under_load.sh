#!/usr/bin/env bash
# Run a command with CPU-burning processes beside it, as on a busy machine, then stop them
# by their process ids whatever the command's outcome. LOAD_PROCS sets how many (default 2).
#   tests/tools/under_load.sh .venv/bin/python -m pytest -n 2
set -u
count=${LOAD_PROCS:-2}
burners=()
stop_burners() {
  for pid in "${burners[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${burners[@]}"; do wait "$pid" 2>/dev/null; done
  burners=()
}
trap 'stop_burners' EXIT
trap 'stop_burners; exit 130' INT TERM
for _ in $(seq "$count"); do
  python3 -c "while True: pass" &
  burners+=("$!")
done
echo "under load: $count CPU-burning processes beside the command (pids ${burners[*]})" >&2
"$@"
status=$?
stop_burners
echo "under load: burners stopped; the command exited with $status" >&2
exit "$status"
