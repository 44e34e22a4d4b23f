using System.Globalization;
using System.IO.Compression;
using System.Reflection;

namespace DropActivation.Analysis.Digits;

/// <summary>
/// The UCI optical-digits images (8×8, pixel counts 0..16) with their labels 0..9.
/// <see cref="Pixels"/> holds <see cref="Count"/> rows of 64 values, row-major.
/// </summary>
public sealed class DigitsDataset
{
    /// <summary>Pixels per image (8 × 8).</summary>
    public const int Features = 64;

    /// <summary>Number of classes.</summary>
    public const int Classes = 10;

    internal DigitsDataset(byte[] pixels, byte[] labels)
    {
        Pixels = pixels;
        Labels = labels;
    }

    /// <summary>Count × 64 pixel values (0..16).</summary>
    public IReadOnlyList<byte> Pixels { get; }

    /// <summary>Labels 0..9.</summary>
    public IReadOnlyList<byte> Labels { get; }

    /// <summary>Number of images.</summary>
    public int Count => Labels.Count;

    /// <summary>Images per class, index = digit.</summary>
    public int[] ClassCounts()
    {
        var h = new int[Classes];
        foreach (var l in Labels) h[l]++;
        return h;
    }
}

/// <summary>
/// Reads the optical-digits data embedded in this assembly (a gzip CSV: 64 pixel columns then the
/// label, no header). See Resources/digits.ATTRIBUTION.md for source and licence (CC BY 4.0).
/// </summary>
public static class DigitsData
{
    /// <summary>Manifest name of the embedded file.</summary>
    public const string ResourceName = "DropActivation.Analysis.digits.csv.gz";

    /// <summary>Number of images of the embedded file.</summary>
    public const int ExpectedCount = 1797;

    /// <summary>Source and licence, for reports.</summary>
    public const string Attribution =
        "UCI ML Repository, \"Optical Recognition of Handwritten Digits\" (E. Alpaydin, C. Kaynak, 1998), " +
        "https://archive.ics.uci.edu/dataset/80, CC BY 4.0; the 1,797-image version shipped with scikit-learn.";

    /// <summary>Loads the embedded data set (1,797 images).</summary>
    public static DigitsDataset LoadEmbedded()
    {
        using var s = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing from {Assembly.GetExecutingAssembly().GetName().Name}.");
        return ParseGzip(s);
    }

    /// <summary>Parses a gzip-compressed digits CSV.</summary>
    public static DigitsDataset ParseGzip(Stream gzipStream)
    {
        using var gz = new GZipStream(gzipStream, CompressionMode.Decompress, leaveOpen: true);
        using var reader = new StreamReader(gz);
        return Parse(reader);
    }

    /// <summary>Parses a digits CSV: per line 64 integers 0..16 then a label 0..9; blank lines are skipped.</summary>
    /// <exception cref="InvalidDataException">A line with another column count or an out-of-range value.</exception>
    public static DigitsDataset Parse(TextReader reader)
    {
        var pixels = new List<byte>(ExpectedCount * DigitsDataset.Features);
        var labels = new List<byte>(ExpectedCount);
        string? line;
        int lineNo = 0;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var parts = line.Split(',');
            if (parts.Length != DigitsDataset.Features + 1)
                throw new InvalidDataException($"digits CSV line {lineNo}: expected {DigitsDataset.Features + 1} columns, found {parts.Length}.");
            for (int j = 0; j < parts.Length; j++)
            {
                if (!int.TryParse(parts[j], NumberStyles.Integer, CultureInfo.InvariantCulture, out int v))
                    throw new InvalidDataException($"digits CSV line {lineNo}, column {j + 1}: '{parts[j]}' is not an integer.");
                int max = j < DigitsDataset.Features ? 16 : DigitsDataset.Classes - 1;
                if (v < 0 || v > max)
                    throw new InvalidDataException($"digits CSV line {lineNo}, column {j + 1}: {v} is outside 0..{max}.");
                if (j < DigitsDataset.Features) pixels.Add((byte)v); else labels.Add((byte)v);
            }
        }
        if (labels.Count == 0) throw new InvalidDataException("digits CSV holds no rows.");
        return new DigitsDataset(pixels.ToArray(), labels.ToArray());
    }

    /// <summary>
    /// A stratified split: in every class, round(count · testFraction) images (chosen with
    /// <paramref name="seed"/>) go to the test set. Returns sorted index lists.
    /// </summary>
    public static (int[] Train, int[] Test) StratifiedSplit(DigitsDataset data, double testFraction = 0.25, int seed = 0)
    {
        if (!(testFraction > 0 && testFraction < 1)) throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "Must lie in (0, 1).");
        var rng = new Random(seed);
        var train = new List<int>();
        var test = new List<int>();
        for (int c = 0; c < DigitsDataset.Classes; c++)
        {
            var idx = Enumerable.Range(0, data.Count).Where(i => data.Labels[i] == c).ToArray();
            rng.Shuffle(idx);
            int nTest = (int)Math.Round(idx.Length * testFraction, MidpointRounding.AwayFromZero);
            test.AddRange(idx.Take(nTest));
            train.AddRange(idx.Skip(nTest));
        }
        train.Sort();
        test.Sort();
        return (train.ToArray(), test.ToArray());
    }
}
