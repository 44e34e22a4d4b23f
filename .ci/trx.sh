# Sourced by .ci scripts whose checks are not dotnet tests: trx_write FILE TITLE writes the results recorded in
# the arrays trx_names, trx_outcomes (Passed/Failed) and trx_messages as a TRX file, so .ci/run's
# "N passed, N failed" summary counts them like any test. Returns 0 when none failed.
trx_names=(); trx_outcomes=(); trx_messages=()

trx_record() {  # name, outcome (Passed/Failed), message
    trx_names+=("$1"); trx_outcomes+=("$2"); trx_messages+=("$3")
    echo "$1: $2${3:+ - $3}"
}

trx_write() {  # file, title
    local file="$1" title="$2" passed=0 failed=0 i msg
    {
        echo '<?xml version="1.0" encoding="UTF-8"?>'
        echo "<TestRun name=\"$title\" xmlns=\"http://microsoft.com/schemas/VisualStudio/TeamTest/2010\">"
        echo '  <Results>'
        for i in "${!trx_names[@]}"; do
            [ "${trx_outcomes[$i]}" = Passed ] && passed=$((passed + 1)) || failed=$((failed + 1))
            msg="$(sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g' <<<"${trx_messages[$i]}")"
            echo "    <UnitTestResult testName=\"${trx_names[$i]}\" outcome=\"${trx_outcomes[$i]}\"><Output><StdOut>$msg</StdOut></Output></UnitTestResult>"
        done
        echo '  </Results>'
        echo "  <ResultSummary outcome=\"Completed\"><Counters total=\"${#trx_names[@]}\" executed=\"${#trx_names[@]}\" passed=\"$passed\" failed=\"$failed\" /></ResultSummary>"
        echo '</TestRun>'
    } >"$file"
    [ "$failed" -eq 0 ]
}
