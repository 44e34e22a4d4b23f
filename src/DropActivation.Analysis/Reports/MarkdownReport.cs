using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using DropActivation.Analysis.Statistics;

namespace DropActivation.Analysis.Reports;

/// <summary>A small markdown document builder (headings, paragraphs, tables, images).</summary>
public sealed class MarkdownReport
{
    private readonly StringBuilder _sb = new();

    public MarkdownReport Heading(int level, string text)
    {
        if (level is < 1 or > 6) throw new ArgumentOutOfRangeException(nameof(level), level, "Heading level must be 1..6.");
        _sb.Append('#', level).Append(' ').AppendLine(text).AppendLine();
        return this;
    }

    public MarkdownReport Paragraph(string text)
    {
        _sb.AppendLine(text).AppendLine();
        return this;
    }

    /// <summary>A table; '|' inside cells is escaped.</summary>
    public MarkdownReport Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        static string Cell(string s) => s.Replace("|", "\\|").Replace("\n", " ");
        _sb.Append("| ").AppendJoin(" | ", headers.Select(Cell)).AppendLine(" |");
        _sb.Append('|').AppendJoin("|", headers.Select(_ => "---")).AppendLine("|");
        foreach (var r in rows)
        {
            if (r.Count != headers.Count) throw new ArgumentException($"Row has {r.Count} cells, table has {headers.Count} columns.", nameof(rows));
            _sb.Append("| ").AppendJoin(" | ", r.Select(Cell)).AppendLine(" |");
        }
        _sb.AppendLine();
        return this;
    }

    /// <summary>An image; <paramref name="path"/> is written with forward slashes.</summary>
    public MarkdownReport Image(string alt, string path)
    {
        _sb.Append("![").Append(alt).Append("](").Append(path.Replace('\\', '/')).AppendLine(")").AppendLine();
        return this;
    }

    public MarkdownReport Append(MarkdownReport other)
    {
        _sb.Append(other._sb);
        return this;
    }

    public override string ToString() => _sb.ToString();

    /// <summary>Writes the document (UTF-8), creating the folder.</summary>
    public void Save(string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        File.WriteAllText(path, ToString(), new UTF8Encoding(false));
    }
}

/// <summary>Number formatting and JSON for reports (invariant culture).</summary>
public static class Fmt
{
    public static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);

    public static string Pct(double fraction, int decimals = 2) => (100 * fraction).ToString("F" + decimals, CultureInfo.InvariantCulture) + " %";

    public static string PctPm(MeanStd m, int decimals = 2) =>
        $"{(100 * m.Mean).ToString("F" + decimals, CultureInfo.InvariantCulture)} ± {(100 * m.Std).ToString("F" + decimals, CultureInfo.InvariantCulture)} %";

    public static string Pm(MeanStd m, string format = "0.0000") => $"{F(m.Mean, format)} ± {F(m.Std, format)}";

    /// <summary>Options for the analyses' JSON: indented, camelCase, enums as strings, NaN/∞ as strings.</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string ToJson(object value) => JsonSerializer.Serialize(value, value.GetType(), Json);
}
