using System.Globalization;
using CsvHelper;

namespace LeadML.Trainer.Tests.Modeling;

/// <summary>
/// The UCI bank-marketing file (bank-additional-full.csv, see its SOURCE.md) as a dense matrix for tests: file order
/// kept (it is time order), <c>duration</c> dropped (it is known only after the call), categories one-hot encoded with
/// the levels seen in the first <c>fitRows</c> rows, numbers standardised with those rows' mean and deviation.
/// </summary>
internal sealed record BankMarketing(float[] X, float[] Y, int Rows, int Width, IReadOnlyList<string> Names)
{
    private static readonly string[] Numbers =
        ["age", "campaign", "pdays", "previous", "emp.var.rate", "cons.price.idx", "cons.conf.idx", "euribor3m", "nr.employed"];

    private static readonly string[] Categories =
        ["job", "marital", "education", "default", "housing", "loan", "contact", "month", "day_of_week", "poutcome"];

    public static string FilePath => Path.Combine(RepoRoot(), "..", "shared", "data", "bank-marketing", "bank-additional-full.csv");

    public static BankMarketing Load(double fitShare)
    {
        var path = FilePath;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"the bank-marketing data is expected at {Path.GetFullPath(path)} (shared/data beside the repository)", path);
        }
        var columns = Numbers.Concat(Categories).Append("y").ToArray();
        var records = new List<Dictionary<string, string>>();
        using (var csv = CsvReader.FromFile(path, new CsvReaderOptions { Separator = ';' }))
        {
            while (csv.Read())
            {
                records.Add(columns.ToDictionary(c => c, c => csv.GetString(c)));
            }
        }

        var rows = records.Count;
        var fitRows = (int)(rows * fitShare);
        var levels = Categories.ToDictionary(c => c, c => records.Take(fitRows).Select(r => r[c]).Distinct().Order(StringComparer.Ordinal).ToArray());
        var names = Numbers.Concat(Categories.SelectMany(c => levels[c].Select(l => $"{c}={l}"))).ToArray();
        var width = names.Length;

        var means = new double[Numbers.Length];
        var sds = new double[Numbers.Length];
        for (var k = 0; k < Numbers.Length; k++)
        {
            var values = records.Take(fitRows).Select(r => double.Parse(r[Numbers[k]], CultureInfo.InvariantCulture)).ToArray();
            means[k] = values.Average();
            sds[k] = Math.Sqrt(values.Select(v => (v - means[k]) * (v - means[k])).Average());
        }

        var x = new float[rows * width];
        var y = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            var r = records[i];
            var j = 0;
            for (var k = 0; k < Numbers.Length; k++, j++)
            {
                x[i * width + j] = (float)((double.Parse(r[Numbers[k]], CultureInfo.InvariantCulture) - means[k]) / sds[k]);
            }
            foreach (var c in Categories)
            {
                var at = Array.IndexOf(levels[c], r[c]);
                if (at >= 0) x[i * width + j + at] = 1f;
                j += levels[c].Length;
            }
            y[i] = r["y"] == "yes" ? 1f : 0f;
        }
        return new BankMarketing(x, y, rows, width, names);
    }

    /// <summary>Rows [from, to) as their own matrix and labels.</summary>
    public (float[] X, float[] Y) Slice(int from, int to) => (X[(from * Width)..(to * Width)], Y[from..to]);

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LeadML.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException($"no folder above {AppContext.BaseDirectory} holds LeadML.sln");
    }
}
