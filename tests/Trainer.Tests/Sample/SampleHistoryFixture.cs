using System.Globalization;
using LeadML.Trainer.Sample;

namespace LeadML.Trainer.Tests.Sample;

/// <summary>One sample history (8,000 leads, true probabilities with fewer replicates: content checks need no more),
/// generated once for the tests that look at its content, read back into memory, and deleted afterwards.</summary>
public sealed class SampleHistoryFixture : IDisposable
{
    public SampleHistoryFixture()
    {
        Folder = Path.Combine(Path.GetTempPath(), "leadml-sample-" + Guid.NewGuid().ToString("N"));
        Options = new SampleOptions { Leads = 8000, TruthReplicates = 16 };
        Summary = SampleGenerator.Write(Folder, Options);
        Leads = ReadCsv(Path.Combine(Folder, "leads.csv"));
        Events = ReadCsv(Path.Combine(Folder, "events.csv"));
        TruthProbabilities = ReadCsv(Path.Combine(Folder, "truth-probabilities.csv"));
    }

    public string Folder { get; }
    internal SampleOptions Options { get; }
    internal SampleSummary Summary { get; }
    public List<Dictionary<string, string>> Leads { get; }
    public List<Dictionary<string, string>> Events { get; }
    public List<Dictionary<string, string>> TruthProbabilities { get; }

    public static List<Dictionary<string, string>> ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(line =>
        {
            var fields = line.Split(',');
            Assert.Equal(header.Length, fields.Length);
            return header.Zip(fields).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
        }).ToList();
    }

    public static DateTime Time(string value) =>
        DateTime.ParseExact(value, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
