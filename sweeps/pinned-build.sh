#!/usr/bin/env bash
# Builds dropact from one commit into a folder outside the working tree, so that a long experiment
# (`dropact sweep run`, resumed over several sessions) is not changed by later edits of the tree.
# The same commit rebuilds the same program on a new machine: run this again there.
#
#   sweeps/pinned-build.sh [COMMIT]        (default: HEAD)
#   -> $PINNED_ROOT/COMMIT/dropact         (PINNED_ROOT defaults to the folder beside the clone: ../pinned)
#
# The build's informational version carries the commit (machine.jsonl's "build" field in every run folder).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
commit="$(git -C "$repo" rev-parse --verify "${1:-HEAD}^{commit}")"
short="${commit:0:12}"
root="${PINNED_ROOT:-$(dirname "$repo")/pinned}"
source_dir="$root/src-$short"
out="$root/$short"
if [ -x "$out/dropact" ]; then
    echo "$out/dropact (already built)"
    exit 0
fi
mkdir -p "$root"
if [ ! -d "$source_dir" ]; then
    git -C "$repo" worktree add --detach "$source_dir" "$commit" >&2
fi
dotnet publish "$source_dir/src/DropActivation.Cli" -c Release -o "$out.partial" -nologo -v quiet >&2
rm -rf "$out"
mv "$out.partial" "$out"
echo "$commit" > "$out/COMMIT"
echo "$out/dropact"
