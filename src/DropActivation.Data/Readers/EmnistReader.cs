using System.IO.Compression;

namespace DropActivation.Data.Readers;

/// <summary>
/// Reads EMNIST Balanced (47 classes, 112,800 + 18,800 images of 28×28) from the IDX gzip files of
/// NIST's <c>gzip.zip</c>, either extracted (<c>emnist-balanced-train-images-idx3-ubyte.gz</c>, ...)
/// or inside the zip itself. EMNIST stores each image transposed; the reader turns it upright.
/// </summary>
public static class EmnistReader
{
    /// <summary>The 47 Balanced classes: digits, upper-case letters, and the 11 lower-case letters that differ from their capitals.</summary>
    public static readonly string[] BalancedClasses =
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabdefghnqrt".Select(c => c.ToString()).ToArray();

    /// <summary>File name of a Balanced split part: <paramref name="kind"/> is "images-idx3" or "labels-idx1".</summary>
    public static string FileName(bool train, string kind) => $"emnist-balanced-{(train ? "train" : "test")}-{kind}-ubyte.gz";

    /// <summary>
    /// Reads the Balanced training or test split from <paramref name="location"/>: a folder holding
    /// the gz files (directly or in a <c>gzip/</c> subfolder), or NIST's <c>gzip.zip</c>.
    /// </summary>
    public static ImageDataset ReadBalanced(string location, bool train)
    {
        string imagesName = FileName(train, "images-idx3"), labelsName = FileName(train, "labels-idx1");
        string name = $"emnist-balanced/{(train ? "train" : "test")}";
        if (Directory.Exists(location))
        {
            foreach (var dir in new[] { location, Path.Combine(location, "gzip") })
            {
                string img = Path.Combine(dir, imagesName), lab = Path.Combine(dir, labelsName);
                if (File.Exists(img) || File.Exists(lab))
                    return IdxReader.ReadDataset(name, img, lab, BalancedClasses, transposed: true);
            }
            var zip = Path.Combine(location, "gzip.zip");
            if (File.Exists(zip)) return ReadFromZip(zip, imagesName, labelsName, name);
            throw new DataNotFoundException($"{location}: holds neither {imagesName} and {labelsName} nor NIST's gzip.zip", location);
        }
        if (File.Exists(location)) return ReadFromZip(location, imagesName, labelsName, name);
        throw new DataNotFoundException($"{location}: folder not found (expected the EMNIST gzip files or gzip.zip)", location);
    }

    private static ImageDataset ReadFromZip(string zipPath, string imagesName, string labelsName, string name)
    {
        ZipArchive archive;
        try { archive = ZipFile.OpenRead(zipPath); }
        catch (InvalidDataException e) { throw new DataFormatException(zipPath, $"not a readable zip archive ({e.Message})", e); }
        using (archive)
        {
            ZipArchiveEntry Find(string file) =>
                archive.Entries.FirstOrDefault(e => e.Name == file)
                ?? throw new DataFormatException(zipPath, $"archive lacks gzip/{file}");
            long[] labels;
            try
            {
                // The central directory is read on first use: a corrupt one fails here.
                var imgEntry = Find(imagesName);
                var labEntry = Find(labelsName);
                using (var s = new GZipStream(labEntry.Open(), CompressionMode.Decompress))
                    labels = IdxReader.ReadLabels(s, $"{zipPath}!{labEntry.FullName}", BalancedClasses.Length);
                using var si = new GZipStream(new BufferedStream(imgEntry.Open(), 1 << 16), CompressionMode.Decompress);
                var images = IdxReader.ReadImages(si, $"{zipPath}!{imgEntry.FullName}", transposed: true);
                long count = images.shape[0];
                if (count != labels.Length)
                {
                    images.Dispose();
                    throw new DataFormatException(zipPath, $"{imagesName} holds {count} images but {labelsName} holds {labels.Length} labels");
                }
                return new ImageDataset(name, images, labels, BalancedClasses);
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
            {
                throw new DataFormatException(zipPath, $"corrupt archive or archive member ({e.Message})", e);
            }
        }
    }
}
