using System.Text.Json.Nodes;

namespace DropActivation.Sweeps.Tests;

/// <summary>A run's metrics.jsonl without what measures the machine rather than the run: wall-clock times and resident memory.</summary>
internal static class RunMetrics
{
    public static List<string> WithoutTimes(string folder) =>
        File.ReadAllLines(Path.Combine(folder, "metrics.jsonl")).Where(l => l.Trim().Length > 0).Select(l =>
        {
            var node = JsonNode.Parse(l)!.AsObject();
            foreach (var field in new[] { "seconds", "train_seconds", "test_seconds", "rss_mib" }) node.Remove(field);
            return node.ToJsonString();
        }).ToList();
}
