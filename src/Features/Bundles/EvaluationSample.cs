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

    public byte[] ToBytes()
    {
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms);
        w.Write(Magic);
        w.Write(Version);
        w.Write(Rows);
        w.Write(Width);
        w.Write(MemoryMarshal.AsBytes(X.AsSpan()));
        foreach (var c in Converted) w.Write(c ? (byte)1 : (byte)0);
        foreach (var c in Cutoff) w.Write((int)Math.Floor((c - DateTime.UnixEpoch).TotalDays));
        w.Flush();
        return ms.ToArray();
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
