#!/usr/bin/env bash
# Prints each dist file's size raw and gzipped (-9), and the totals.
set -euo pipefail
dir=${1:-dist}
[ -d "$dir" ] || { echo "size: $dir does not exist; run make dist first" >&2; exit 1; }
total_raw=0; total_gz=0
printf '%-44s %10s %10s\n' file bytes gzip
while IFS= read -r file; do
  raw=$(stat -c %s "$file"); gz=$(gzip -9 -c "$file" | wc -c)
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
  printf '%-44s %10d %10d\n' "${file#"$dir"/}" "$raw" "$gz"
done < <(find "$dir" -type f | sort)
printf '%-44s %10d %10d  (%.1f KB gzipped)\n' total "$total_raw" "$total_gz" "$(awk "BEGIN { print $total_gz / 1024 }")"
