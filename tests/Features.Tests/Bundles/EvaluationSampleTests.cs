using LeadML.Features.Bundles;
using LeadML.Features.Randomness;

namespace LeadML.Features.Tests.Bundles;

public sealed class EvaluationSampleTests
{
    [Fact]
    public void Write_ToAFile_ReadsBackEveryRow_AsItsBytesDo()
    {
        const int rows = 300, width = 7;
        var rng = new Xoshiro256(5);
        var x = new float[rows * width];
        for (var i = 0; i < x.Length; i++) x[i] = i % 5 == 0 ? float.NaN : (float)(rng.NextDouble() * 100 - 50);
        var converted = Enumerable.Range(0, rows).Select(_ => rng.NextDouble() < 0.1).ToArray();
        var cutoff = Enumerable.Range(0, rows).Select(i => new DateTime(2025, 1, 1).AddDays(i % 40)).ToArray();
        var folder = Directory.CreateTempSubdirectory("leadml-sample-");
        try
        {
            using (var file = File.Create(Path.Combine(folder.FullName, EvaluationSample.FileName)))
            {
                EvaluationSample.Write(file, width, x, converted, cutoff);
            }

            var read = EvaluationSample.Read(folder.FullName);

            Assert.Equal(width, read.Width);
            Assert.Equal(x, read.X);
            Assert.Equal(converted, read.Converted);
            Assert.Equal(cutoff, read.Cutoff);
            Assert.Equal(File.ReadAllBytes(Path.Combine(folder.FullName, EvaluationSample.FileName)), EvaluationSample.ToBytes(width, x, converted, cutoff));
        }
        finally
        {
            folder.Delete(true);
        }
    }
}
