namespace DropActivation.Data.Readers;

/// <summary>
/// Reads the UCI optical-recognition digits as CSV (scikit-learn's <c>digits.csv.gz</c>, or UCI's
/// <c>optdigits.tra</c>/<c>optdigits.tes</c>): one row per 8×8 image, 64 pixel values 0..16 then
/// the label 0..9; gzip or plain; an optional non-numeric header row is skipped.
/// </summary>
public static class DigitsCsvReader
{
    /// <summary>The ten digit classes.</summary>
    public static readonly string[] Classes = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>Reads the CSV file at <paramref name="path"/>. Pixels keep their 0..16 range (<see cref="IDataSource.PixelMax"/> is 16).</summary>
    public static unsafe ImageDataset Read(string path, string? name = null)
    {
        var pixels = new List<byte>(1797 * 64);
        var labels = new List<long>(1797);
        using (var s = DataStreams.OpenMaybeGzip(path))
        using (var reader = new StreamReader(s))
        {
            string? line;
            int lineNo = 0;
            Span<byte> row = stackalloc byte[64];
            try
            {
                while ((line = reader.ReadLine()) is not null)
                {
                    lineNo++;
                    if (line.Length == 0) continue;
                    if (lineNo == 1 && !char.IsDigit(line.TrimStart()[0])) continue;
                    int col = 0;
                    foreach (var range in line.AsSpan().Split(','))
                    {
                        var cell = line.AsSpan(range).Trim();
                        if (!int.TryParse(cell, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int v)
                            && !(double.TryParse(cell, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double dv)
                                 && dv == Math.Floor(dv) && (v = (int)dv) == dv))
                            throw new DataFormatException(path, $"line {lineNo}, column {col + 1}: '{cell.ToString()}' is not an integer");
                        if (col < 64)
                        {
                            if (v < 0 || v > 16) throw new DataFormatException(path, $"line {lineNo}, column {col + 1}: pixel value {v} is outside 0..16");
                            row[col] = (byte)v;
                        }
                        else if (col == 64)
                        {
                            if (v < 0 || v > 9) throw new DataFormatException(path, $"line {lineNo}: label {v} is outside 0..9");
                            labels.Add(v);
                        }
                        col++;
                    }
                    if (col != 65)
                    {
                        if (labels.Count > pixels.Count / 64) labels.RemoveAt(labels.Count - 1);
                        throw new DataFormatException(path, $"line {lineNo}: {col} columns, expected 65 (64 pixels and the label)");
                    }
                    foreach (var b in row) pixels.Add(b);
                }
            }
            catch (InvalidDataException e)
            {
                throw new DataFormatException(path, $"corrupt compressed data near line {lineNo} ({e.Message})", e);
            }
        }
        if (labels.Count == 0) throw new DataFormatException(path, "holds no data rows");
        var images = TensorMemory.NewBytes(labels.Count, 1, 8, 8);
        var arr = pixels.ToArray();
        arr.CopyTo(new Span<byte>((void*)TensorMemory.Address(images), arr.Length));
        return new ImageDataset(name ?? "digits", images, labels.ToArray(), Classes, pixelMax: 16);
    }
}
