#!/bin/sh
# Sizes the V8 heap from the container's memory limit (cgroup v2, then v1), leaving room for buffers and
# native memory, then hands over to the connector with exec so SIGTERM from the platform reaches Node directly.
# The bin's first line holds the connector's own Node flags, so the image runs it as any user does.
set -eu
limit=""
if [ -r /sys/fs/cgroup/memory.max ]; then
  limit=$(cat /sys/fs/cgroup/memory.max)
elif [ -r /sys/fs/cgroup/memory/memory.limit_in_bytes ]; then
  limit=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)
fi
case "$limit" in
  ""|max) ;;
  *)
    # Unlimited cgroup v1 reports a huge number; only act on a real limit (< 1 TiB).
    if [ "$limit" -lt 1099511627776 ] 2>/dev/null; then
      heap_mb=$((limit * 75 / 100 / 1048576))
      if [ "$heap_mb" -ge 64 ]; then
        NODE_OPTIONS="${NODE_OPTIONS:-} --max-old-space-size=${heap_mb}"
        export NODE_OPTIONS
      fi
    fi
    ;;
esac
exec /airbyte/integration_code/bin/source-concur.js "$@"
