namespace DropActivation.Sweeps.Tests;

/// <summary>
/// A stand-in for <c>dropact train</c> (a shell script) for runner tests that need no torch: it writes the
/// files train writes (checkpoint.dact, metrics.jsonl, summary.json with "finished": true), appends its
/// arguments to RUN_DIR/fake-args and its start/end times to RUN_DIR/fake-times. A file RUN_DIR/fail-with
/// holding N makes it print an error and exit with N; SECONDS in RUN_DIR/../fake-sleep makes it sleep;
/// N in RUN_DIR/../fake-barrier makes it wait until N runs are in progress at once (exit 9 after 60 s).
/// </summary>
internal static class FakeTrain
{
    private const string Script = """
        #!/bin/sh
        all="$*"
        out=""; resume=""
        while [ $# -gt 0 ]; do
          case "$1" in
            --out) out="$2"; shift ;;
            --resume) resume="$2"; shift ;;
          esac
          shift
        done
        dir="${out:-$resume}"
        mkdir -p "$dir"
        echo "$all" >> "$dir/fake-args"
        echo "start $(date +%s.%N)" >> "$dir/fake-times"
        if [ -f "$dir/../fake-sleep" ]; then sleep "$(cat "$dir/../fake-sleep")"; fi
        if [ -f "$dir/../fake-barrier" ]; then
          # Wait until N runs have started (at most 60 s): the first N then provably ran at once, whatever the load.
          touch "$dir/../started-$(basename "$dir")"
          need="$(cat "$dir/../fake-barrier")"; waited=0
          while [ "$(ls "$dir/.." | grep -c '^started-')" -lt "$need" ]; do
            sleep 0.05; waited=$((waited + 1))
            if [ "$waited" -gt 1200 ]; then echo "error: no other run started beside this one" >&2; exit 9; fi
          done
        fi
        if [ -f "$dir/fail-with" ]; then echo "error: planted failure" >&2; exit "$(cat "$dir/fail-with")"; fi
        echo "fake epoch" > "$dir/checkpoint.dact"
        echo '{"epoch":1,"test_error":0.5}' >> "$dir/metrics.jsonl"
        echo '{"finished": true, "final_test_error": 0.5}' > "$dir/summary.json"
        echo "end $(date +%s.%N)" >> "$dir/fake-times"
        echo "done: $dir"
        """;

    /// <summary>Writes the script into <paramref name="folder"/> and returns a launcher that runs it in place of dropact.</summary>
    public static DropactLauncher Install(string folder)
    {
        var path = Path.Combine(folder, "fake-dropact.sh");
        File.WriteAllText(path, Script.Replace("\r\n", "\n") + "\n");
        return new DropactLauncher("/bin/sh", [path]);
    }
}
