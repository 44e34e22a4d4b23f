using System.Text;
using System.Text.RegularExpressions;

namespace DropActivation.Tests;

/// <summary>
/// The front door stays short and every page behind it is reachable: README.md is at most 250 lines,
/// links every page of docs/, and every relative link in README.md and docs/*.md (and its #anchor,
/// for a Markdown target) leads somewhere that exists.
/// </summary>
public class DocumentationTests
{
    private const int MaxReadmeLines = 250;

    private static string Root => RealData.RepoRoot;

    [Fact]
    public void The_readme_is_at_most_250_lines()
    {
        int lines = File.ReadAllLines(Path.Combine(Root, "README.md")).Length;
        Assert.True(lines <= MaxReadmeLines,
            $"README.md has {lines} lines, more than {MaxReadmeLines}: move the details into a docs/ page and link it");
    }

    [Fact]
    public void Every_docs_page_is_linked_from_the_readme()
    {
        var linked = RelativeLinks(Path.Combine(Root, "README.md"))
            .Select(l => Path.GetFullPath(l.Target))
            .ToHashSet(StringComparer.Ordinal);
        var unlinked = Directory.GetFiles(Path.Combine(Root, "docs"), "*.md")
            .Where(page => !linked.Contains(Path.GetFullPath(page)))
            .Select(page => "docs/" + Path.GetFileName(page))
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.True(unlinked.Length == 0, "README.md does not link: " + string.Join(", ", unlinked));
    }

    [Fact]
    public void Every_relative_link_in_the_readme_and_the_docs_pages_points_to_something_that_exists()
    {
        var pages = new[] { Path.Combine(Root, "README.md") }
            .Concat(Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Order(StringComparer.Ordinal));
        var broken = new List<string>();
        foreach (var page in pages)
            foreach (var link in RelativeLinks(page))
            {
                string from = Path.GetRelativePath(Root, page);
                if (link.Path.Length > 0 && !File.Exists(link.Target) && !Directory.Exists(link.Target))
                    broken.Add($"{from}: {link.Text} (no such file)");
                else if (link.Anchor is { } anchor && link.Target.EndsWith(".md", StringComparison.Ordinal)
                         && File.Exists(link.Target) && !Anchors(File.ReadAllText(link.Target)).Contains(anchor))
                    broken.Add($"{from}: {link.Text} (no heading with that anchor)");
            }
        Assert.True(broken.Count == 0, "broken links:\n" + string.Join("\n", broken));
    }

    [Fact]
    public void The_examples_the_readme_example_tests_run_are_on_the_pages()
    {
        // ReadmeExampleTests compiles and runs these lines; they must stay where a reader finds them.
        string readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        string layer = File.ReadAllText(Path.Combine(Root, "docs", "layer.md"));
        foreach (var line in new[] { "DA.DropAct(p: 0.95)", "DA.DropAct(ElementwiseActivation.GELU, p: 0.9)",
                                     "model.UseDropActivation(p: 0.95)", "model.Fold()" })
            Assert.Contains(line, readme);
        foreach (var line in new[]
                 {
                     "DA.functional.drop_act(x, p: 0.95, training: true)",
                     "DA.functional.drop_act(x, 0.8, training: true, activation: ElementwiseActivation.Tanh)",
                     "ElementwiseActivation.Custom(\"softsign\", t => t / (t.abs() + 1))",
                     "model.UseDropActivation(p: 0.95)", "model.Fold()", "DA.backward(loss)",
                     "model.AvoidStridedPointwiseConvolutions()",
                 })
            Assert.Contains(line, layer);
    }

    [Fact]
    public void The_link_checker_finds_a_missing_file_and_a_missing_anchor()
    {
        string dir = RealData.NewTempDir();
        Directory.CreateDirectory(Path.Combine(dir, "docs"));
        File.WriteAllText(Path.Combine(dir, "docs", "a.md"), "# A page\n\n## Some `code` here (really)\n");
        File.WriteAllText(Path.Combine(dir, "README.md"),
            "[a](docs/a.md#some-code-here-really) [b](docs/b.md) [c](docs/a.md#nowhere) [web](https://example.org/x.md)\n" +
            "```\n[in a fence](docs/fenced.md)\n```\n`[in code](docs/code.md)` ![img](docs/images/x.png)\n");
        var links = RelativeLinks(Path.Combine(dir, "README.md"));
        Assert.Equal(["docs/a.md#some-code-here-really", "docs/b.md", "docs/a.md#nowhere", "docs/images/x.png"],
            links.Select(l => l.Text).ToArray());
        var anchors = Anchors(File.ReadAllText(Path.Combine(dir, "docs", "a.md")));
        Assert.Contains("some-code-here-really", anchors);
        Assert.DoesNotContain("nowhere", anchors);
        Assert.False(File.Exists(links[1].Target));
    }

    private sealed record Link(string Text, string Path, string? Anchor, string Target);

    private static readonly Regex LinkPattern = new(@"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+""[^""]*"")?\s*\)", RegexOptions.Compiled);
    private static readonly Regex InlineCode = new(@"`[^`]*`", RegexOptions.Compiled);

    /// <summary>The links of a Markdown file that are not URLs (nor in code), resolved against its folder.</summary>
    private static List<Link> RelativeLinks(string file)
    {
        var links = new List<Link>();
        string folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
        bool fenced = false;
        foreach (var raw in File.ReadAllLines(file))
        {
            if (raw.TrimStart().StartsWith("```", StringComparison.Ordinal)) { fenced = !fenced; continue; }
            if (fenced) continue;
            foreach (Match m in LinkPattern.Matches(InlineCode.Replace(raw, "")))
            {
                string text = m.Groups[1].Value;
                if (Regex.IsMatch(text, @"^[a-zA-Z][a-zA-Z0-9+.-]*:")) continue; // https:, mailto:, ...
                int hash = text.IndexOf('#');
                string path = hash >= 0 ? text[..hash] : text;
                string? anchor = hash >= 0 ? text[(hash + 1)..] : null;
                string target = path.Length == 0 ? Path.GetFullPath(file) : Path.GetFullPath(Path.Combine(folder, Uri.UnescapeDataString(path)));
                links.Add(new Link(text, path, anchor, target));
            }
        }
        return links;
    }

    /// <summary>The anchors GitHub gives a Markdown file's headings (lower case, punctuation dropped, spaces to hyphens, -1, -2 for repeats).</summary>
    private static HashSet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        bool fenced = false;
        foreach (var line in markdown.Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal)) { fenced = !fenced; continue; }
            if (fenced) continue;
            var heading = Regex.Match(line, @"^#{1,6}\s+(.*?)\s*#*\s*$");
            if (!heading.Success) continue;
            var slug = new StringBuilder();
            foreach (char c in heading.Groups[1].Value.ToLowerInvariant())
                if (char.IsLetterOrDigit(c) || c == '-' || c == '_') slug.Append(c);
                else if (c == ' ') slug.Append('-');
            string s = slug.ToString();
            int n = seen.GetValueOrDefault(s);
            seen[s] = n + 1;
            anchors.Add(n == 0 ? s : $"{s}-{n}");
        }
        return anchors;
    }
}
