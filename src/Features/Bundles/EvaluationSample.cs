using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace LeadML.Features.Bundles;

/// <summary>
/// The test-period snapshots stored in a bundle (feature vectors in the bundle's feature order, outcomes, cut-offs),
/// so that a draft rule set can be evaluated before it is approved (what-if) without the history. A small binary
/// file: magic <c>LMES</c>, version, rows, width, then the vectors (float32), labels (one byte each) and cut-offs
/// (int32 days since 1970), little-endian.
/// </summary>
public sealed class EvaluationSample
{
    public const string FileName = "evaluation-sample.bin";
    private const int Version = 1;
    private static ReadOnlySpan<byte> Magic => "LMES"u8;

    public required int Width { get; init; }
    public required float[] X { get; init; }
    public required bool[] Converted { get; init; }
    public required DateTime[] Cutoff { get; init; }

    public int Rows => Converted.Length;

    public ReadOnlySpan<float> Row(int i) => X.AsSpan(i * Width, Width);

    public byte[] ToBytes() => ToBytes(Width, X, Converted, Cutoff);

    /// <summary>The file's bytes for rows given apart (the test period as it lies in the snapshots, without a copy of
    /// its features).</summary>
    public static byte[] ToBytes(int width, ReadOnlySpan<float> x, bool[] converted, DateTime[] cutoff)
    {
        // A stream over an array of the file's size: written in place, no copy (and a wrong size fails to write).
        var bytes = new byte[checked(16 + x.Length * 4 + converted.Length * 5)];
        using var stream = new MemoryStream(bytes);
        Write(stream, width, x, converted, cutoff);
        return bytes;
    }

    /// <summary>Writes the file for rows given apart straight to <paramref name="stream"/>: the vectors are written
    /// where they lie, so that no buffer of the file's size (over a gigabyte at a million leads) is held.</summary>
    /// <param name="stream">Where to write.</param>
    /// <param name="width">Features per row.</param>
    /// <param name="x">The vectors, row after row (<paramref name="converted"/>.Length × <paramref name="width"/>).</param>
    /// <param name="converted">Whether each row's lead converted within the horizon.</param>
    /// <param name="cutoff">Each row's cut-off.</param>
    public static void Write(Stream stream, int width, ReadOnlySpan<float> x, bool[] converted, DateTime[] cutoff)
    {
        var rows = converted.Length;
        if (x.Length != (long)rows * width || cutoff.Length != rows)
        {
            throw new ArgumentException($"expected {rows} × {width} values and {rows} cut-offs, got {x.Length} and {cutoff.Length}", nameof(x));
        }
        Span<byte> header = stackalloc byte[16];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], rows);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], width);
        stream.Write(header);
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(x));
        }
        else
        {
            Span<byte> value = stackalloc byte[4];
            foreach (var v in x)
            {
                BinaryPrimitives.WriteSingleLittleEndian(value, v);
                stream.Write(value);
            }
        }
        var labels = new byte[rows];
        for (var i = 0; i < rows; i++) labels[i] = converted[i] ? (byte)1 : (byte)0;
        stream.Write(labels);
        var days = new byte[rows * 4];
        for (var i = 0; i < rows; i++) BinaryPrimitives.WriteInt32LittleEndian(days.AsSpan(4 * i), (int)Math.Floor((cutoff[i] - DateTime.UnixEpoch).TotalDays));
        stream.Write(days);
    }

    /// <summary>Reads the file; a damaged file is a <see cref="BundleException"/> naming it.</summary>
    public static EvaluationSample Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 16 || !bytes.AsSpan(0, 4).SequenceEqual(Magic) || BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4)) != Version)
        {
            throw new BundleException(directory, $"{FileName} is not an evaluation sample of version {Version}");
        }
        var rows = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
        var width = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12));
        long expected = 16L + (long)rows * width * 4 + rows + rows * 4L;
        if (rows < 0 || width <= 0 || bytes.Length != expected)
        {
            throw new BundleException(directory, $"{FileName} is truncated or damaged ({bytes.Length} bytes, expected {expected})");
        }
        var x = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(16, rows * width * 4)).ToArray();
        var offset = 16 + rows * width * 4;
        var converted = new bool[rows];
        for (var i = 0; i < rows; i++) converted[i] = bytes[offset + i] != 0;
        offset += rows;
        var cutoff = new DateTime[rows];
        for (var i = 0; i < rows; i++) cutoff[i] = DateTime.UnixEpoch.AddDays(BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset + 4 * i)));
        return new EvaluationSample { Width = width, X = x, Converted = converted, Cutoff = cutoff };
    }
}
