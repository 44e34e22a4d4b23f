using System.IO.Compression;
using System.Text;
using DropActivation.Analysis.Digits;

namespace DropActivation.Analysis.Tests;

public class DigitsDataTests
{
    [Fact]
    public void EmbeddedResource_Parses_ToTheKnownData()
    {
        var d = DigitsData.LoadEmbedded();
        Assert.Equal(1797, d.Count);
        Assert.Equal(1797 * 64, d.Pixels.Count);
        Assert.Equal(new[] { 178, 182, 177, 183, 181, 182, 181, 179, 174, 180 }, d.ClassCounts());
        Assert.Equal(16, d.Pixels.Max());
        Assert.Equal(0, d.Pixels.Min());
        // First image of scikit-learn's digits (a zero): row 0 starts 0,0,5,13,9,1,0,0.
        Assert.Equal(new byte[] { 0, 0, 5, 13, 9, 1, 0, 0 }, d.Pixels.Take(8).ToArray());
        Assert.Equal(0, d.Labels[0]);
        Assert.Equal(8, d.Labels[^1]);
    }

    [Fact]
    public void Parse_RejectsMalformedRows()
    {
        string row = string.Join(",", Enumerable.Repeat("0", 64)) + ",3";
        Assert.Equal(1, DigitsData.Parse(new StringReader(row + "\n\n")).Count);
        Assert.Throws<InvalidDataException>(() => DigitsData.Parse(new StringReader(string.Join(",", Enumerable.Repeat("0", 64)))));
        Assert.Throws<InvalidDataException>(() => DigitsData.Parse(new StringReader(row.Replace(",3", ",10"))));
        Assert.Throws<InvalidDataException>(() => DigitsData.Parse(new StringReader("17" + row[1..])));
        Assert.Throws<InvalidDataException>(() => DigitsData.Parse(new StringReader("x" + row[1..])));
        Assert.Throws<InvalidDataException>(() => DigitsData.Parse(new StringReader("")));
    }

    [Fact]
    public void ParseGzip_RoundTrips()
    {
        var rows = Enumerable.Range(0, 10).Select(c => string.Join(",", Enumerable.Repeat((c % 17).ToString(), 64)) + "," + c);
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
            gz.Write(Encoding.ASCII.GetBytes(string.Join("\n", rows)));
        ms.Position = 0;
        var d = DigitsData.ParseGzip(ms);
        Assert.Equal(10, d.Count);
        Assert.Equal(Enumerable.Repeat(1, 10), d.ClassCounts());
        Assert.Equal(9, d.Pixels[9 * 64 + 5]);
    }

    [Fact]
    public void StratifiedSplit_IsDisjoint_Complete_Stratified_AndFixedBySeed()
    {
        var d = DigitsData.LoadEmbedded();
        var (train, test) = DigitsData.StratifiedSplit(d, 0.25, 0);
        Assert.Equal(d.Count, train.Length + test.Length);
        Assert.Empty(train.Intersect(test));
        Assert.InRange(test.Length, 445, 455);
        var counts = d.ClassCounts();
        for (int c = 0; c < 10; c++)
        {
            int inTest = test.Count(i => d.Labels[i] == c);
            Assert.InRange(inTest, (int)Math.Floor(counts[c] * 0.25), (int)Math.Ceiling(counts[c] * 0.25));
        }
        Assert.Equal(test, DigitsData.StratifiedSplit(d, 0.25, 0).Test);
        Assert.NotEqual(test, DigitsData.StratifiedSplit(d, 0.25, 1).Test);
    }
}

public class DigitsExperimentTests
{
    [Fact]
    public void ShortTraining_LearnsTheDigits_AndDrawsTheCurves()
    {
        var dir = RealData.NewTempDir("dropact-analysis-tests");
        var r = DigitsExperiment.Run(new DigitsOptions(Seeds: 1, Epochs: 4, Activations: new[] { "relu", "dropact" }));
        var png = Path.Combine(dir, DigitsPlot.File);
        DigitsPlot.Save(png, r);
        Assert.Equal(2, r.Runs.Count);
        foreach (var run in r.Runs)
        {
            Assert.Equal(4, run.TestErrors.Length);
            Assert.True(run.FinalTestError < 0.10, $"{run.Activation}: test error {run.FinalTestError:P1} after 4 epochs");
            Assert.True(run.TestErrors[0] > run.FinalTestError - 0.02);
        }
        Assert.Equal(4, r.MeanCurve("relu").Length);
        PngAssert.ValidNonTrivial(png);
    }
}
