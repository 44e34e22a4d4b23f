#!/usr/bin/env bash
# Prints "failed: <test name>" and the first 6 lines of its message for every failed result in the given TRX
# files (VSTest's and .ci/trx.sh's), so the end of .ci/run's log names what failed. Prints nothing when none did.
set -uo pipefail
for f in "$@"; do
    awk -v file="$(basename "$f")" '
        function unescape(s) { gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\047", s); gsub(/&amp;/, "\\&", s); return s }
        /<UnitTestResult / {
            failed = ($0 ~ /outcome="Failed"/)
            if (failed) {
                name = $0; sub(/.*testName="/, "", name); sub(/".*/, "", name)
                printf "failed: %s (%s)\n", unescape(name), file
                lines = 0; inmsg = 0
            }
        }
        failed && /<Message>/ { inmsg = 1; sub(/.*<Message>/, "") }
        failed && inmsg {
            done = sub(/<\/Message>.*/, "")
            if (lines < 6) { print "    " unescape($0); lines++ }
            if (done) { inmsg = 0; failed = 0 }
        }
        # .ci/trx.sh writes a whole result on one line, its message as StdOut.
        failed && /<UnitTestResult .*<StdOut>/ { m = $0; sub(/.*<StdOut>/, "", m); sub(/<\/StdOut>.*/, "", m); print "    " unescape(m) }
        failed && /<\/UnitTestResult>/ { failed = 0 }
    ' "$f"
done
