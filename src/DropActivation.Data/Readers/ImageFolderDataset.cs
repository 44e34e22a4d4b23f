using DropActivation.Data.Augmentation;
using SkiaSharp;

namespace DropActivation.Data.Readers;

/// <summary>
/// An ImageNet-style folder: one subfolder per class (sorted by ordinal name), JPEG/PNG/BMP/WebP
/// files inside. Only the file list is held in memory; images are decoded with SkiaSharp on demand,
/// from any number of threads at once (the loader decodes a batch in parallel), into RGB.
/// </summary>
public sealed class ImageFolderDataset : IDataSource
{
    internal static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".bmp", ".webp" };
    private readonly string[] _files;
    private readonly long[] _labels;

    private ImageFolderDataset(string name, string root, string[] classes, string[] files, long[] labels)
    {
        Name = name; Root = root; ClassNames = classes; _files = files; _labels = labels;
    }

    /// <summary>Lists <paramref name="root"/>; throws <see cref="DataNotFoundException"/> when it is missing or holds no images.</summary>
    public static ImageFolderDataset Open(string root, string? name = null)
    {
        if (!Directory.Exists(root))
            throw new DataNotFoundException($"{root}: folder not found (expected one subfolder of images per class)", root);
        var classes = Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>()
            .Where(d => !d.StartsWith('.')).OrderBy(d => d, StringComparer.Ordinal).ToArray();
        if (classes.Length == 0)
            throw new DataNotFoundException($"{root}: holds no class subfolders (expected {root}/<class>/<image>.jpg)", root);
        var files = new List<string>();
        var labels = new List<long>();
        for (int c = 0; c < classes.Length; c++)
        {
            var inClass = Directory.EnumerateFiles(Path.Combine(root, classes[c]), "*", SearchOption.AllDirectories)
                .Where(f => Extensions.Contains(Path.GetExtension(f))).OrderBy(f => f, StringComparer.Ordinal);
            foreach (var f in inClass) { files.Add(f); labels.Add(c); }
        }
        if (files.Count == 0)
            throw new DataNotFoundException($"{root}: the class subfolders hold no .jpg, .jpeg, .png, .bmp or .webp files", root);
        return new ImageFolderDataset(name ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(root)), root, classes, files.ToArray(), labels.ToArray());
    }

    /// <summary>The folder.</summary>
    public string Root { get; }

    /// <summary>Path of sample <paramref name="index"/>.</summary>
    public string FilePath(int index) => _files[index];

    public string Name { get; }
    public int Count => _files.Length;
    public int Channels => 3;
    public (int Height, int Width)? FixedSize => null;
    public IReadOnlyList<string> ClassNames { get; }
    public int PixelMax => 255;
    public long GetLabel(int index) => _labels[index];

    /// <summary>Decodes sample <paramref name="index"/> to RGB; a file that cannot be decoded raises a <see cref="DataFormatException"/> naming it.</summary>
    public void ReadImage(int index, ImageBuffer into) => Decode(_files[index], into);

    /// <summary>Decodes an image file to planar RGB uint8 in <paramref name="into"/>.</summary>
    public static void Decode(string path, ImageBuffer into)
    {
        if (!File.Exists(path)) throw new DataNotFoundException($"{path}: file not found", path);
        using var codec = SKCodec.Create(path, out var result);
        Decode(codec, result, path, into);
    }

    /// <summary>
    /// Decodes an encoded image held in memory (e.g. an archive member) to planar RGB uint8 in
    /// <paramref name="into"/>; <paramref name="name"/> names it in a <see cref="DataFormatException"/>.
    /// </summary>
    public static void Decode(byte[] encoded, string name, ImageBuffer into)
    {
        using var stream = new SKMemoryStream(encoded);
        using var codec = SKCodec.Create(stream, out var result);
        Decode(codec, result, name, into);
    }

    private static unsafe void Decode(SKCodec? codec, SKCodecResult result, string path, ImageBuffer into)
    {
        if (codec is null)
            throw new DataFormatException(path, $"cannot decode image ({result}; corrupt file or unsupported format)");
        int w = codec.Info.Width, h = codec.Info.Height;
        if (w <= 0 || h <= 0 || (long)w * h > 100_000_000) throw new DataFormatException(path, $"implausible image size {w}×{h}");
        var info = new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        int bytes = w * h * 4;
        var rgba = into.Scratch(bytes);
        SKCodecResult r;
        fixed (byte* p = rgba) r = codec.GetPixels(info, (nint)p);
        if (r is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
            throw new DataFormatException(path, $"cannot decode image ({r})");
        if (r == SKCodecResult.IncompleteInput)
            throw new DataFormatException(path, "truncated image file (decoder reports incomplete input)");
        var dst = into.Reset(3, h, w);
        int plane = w * h;
        fixed (byte* s = rgba)
        fixed (byte* d = dst)
        {
            byte* rr = d, gg = d + plane, bb = d + 2 * plane;
            for (int i = 0; i < plane; i++)
            {
                rr[i] = s[4 * i]; gg[i] = s[4 * i + 1]; bb[i] = s[4 * i + 2];
            }
        }
    }
}
