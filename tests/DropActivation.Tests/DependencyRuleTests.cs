using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace DropActivation.Tests;

/// <summary>
/// The dependency rules of docs/architecture.md hold: every project under src/ has a row in the
/// table "Dependency rules", and references (ProjectReference in its .csproj) only the projects of its row.
/// </summary>
public class DependencyRuleTests
{
    [Fact]
    public void Every_source_project_references_only_what_docs_architecture_allows()
    {
        var root = RealData.RepoRoot; // above the test binaries, or above the sources when built elsewhere (--artifacts-path)
        var allowed = AllowedReferences(File.ReadAllText(Path.Combine(root, "docs", "architecture.md")));
        var actual = ActualReferences(Path.Combine(root, "src"));
        Assert.NotEmpty(actual);
        Assert.Empty(Violations(allowed, actual));
    }

    [Fact]
    public void A_forbidden_or_undocumented_reference_is_reported()
    {
        var allowed = AllowedReferences("""
            ## Dependency rules

            | project | may depend on |
            |---|---|
            | `A` | — |
            | `B` | `A` |
            """);
        Assert.Empty(Violations(allowed, new Dictionary<string, string[]> { ["A"] = [], ["B"] = ["A"] }));
        var forbidden = Violations(allowed, new Dictionary<string, string[]> { ["A"] = ["B"], ["B"] = ["A"] });
        Assert.Equal(["A references B, which docs/architecture.md does not allow"], forbidden);
        var undocumented = Violations(allowed, new Dictionary<string, string[]> { ["C"] = [] });
        Assert.Equal(["C has no row in docs/architecture.md's dependency rules"], undocumented);
    }

    [Fact]
    public void The_rules_table_is_read_from_the_section_it_names()
    {
        var allowed = AllowedReferences(File.ReadAllText(Path.Combine(RealData.RepoRoot, "docs", "architecture.md")));
        Assert.Empty(allowed["DropActivation"]);
        Assert.Equal(["DropActivation"], allowed["DropActivation.Models"]);
        Assert.Contains("DropActivation.Training", allowed["DropActivation.Analysis"]);
        Assert.DoesNotContain("DropActivation.Analysis", allowed["DropActivation.Training"]);
    }

    /// <summary>Project → the projects it may reference, from the table under "## Dependency rules".</summary>
    private static Dictionary<string, HashSet<string>> AllowedReferences(string markdown)
    {
        var lines = markdown.Split('\n').Select(l => l.Trim()).ToList();
        int start = lines.FindIndex(l => l.Equals("## Dependency rules", StringComparison.OrdinalIgnoreCase));
        Assert.True(start >= 0, "docs/architecture.md has no '## Dependency rules' section");
        var rules = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)))
        {
            if (!line.StartsWith("| `", StringComparison.Ordinal)) continue;
            var cells = line.Trim('|').Split('|');
            Assert.True(cells.Length == 2, $"a dependency rule row needs two cells: {line}");
            string project = cells[0].Trim().Trim('`');
            rules[project] = Regex.Matches(cells[1], "`([^`]+)`").Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        }
        Assert.True(rules.Count > 0, "the dependency rules table of docs/architecture.md has no rows");
        return rules;
    }

    /// <summary>Project → the projects its .csproj references, for every project under <paramref name="src"/>.</summary>
    private static Dictionary<string, string[]> ActualReferences(string src) =>
        Directory.GetFiles(src, "*.csproj", SearchOption.AllDirectories).ToDictionary(
            p => Path.GetFileNameWithoutExtension(p),
            p => XDocument.Load(p).Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(((string?)r.Attribute("Include") ?? "").Replace('\\', '/')))
                .ToArray());

    private static List<string> Violations(Dictionary<string, HashSet<string>> allowed, Dictionary<string, string[]> actual)
    {
        var problems = new List<string>();
        foreach (var (project, references) in actual.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!allowed.TryGetValue(project, out var ok))
            {
                problems.Add($"{project} has no row in docs/architecture.md's dependency rules");
                continue;
            }
            problems.AddRange(references.Where(r => !ok.Contains(r)).Select(r => $"{project} references {r}, which docs/architecture.md does not allow"));
        }
        return problems;
    }

}
