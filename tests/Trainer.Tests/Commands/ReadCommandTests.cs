using System.Globalization;
using System.Text;
using LeadML.Features.Randomness;
using LeadML.Trainer.Tests.Snapshots;

namespace LeadML.Trainer.Tests.Commands;

/// <summary><c>leadml read</c> run as a user runs it: the leak guard's findings and <c>--fail-on-leak</c>.</summary>
public sealed class ReadCommandTests
{
    private static TinyHistory History(bool leaky)
    {
        var rng = new Xoshiro256(23);
        var rows = new StringBuilder("score,stage,converted\n");
        for (var i = 0; i < 1500; i++)
        {
            var score = rng.NextDouble() * 10;
            var converted = rng.NextDouble() < 1 / (1 + Math.Exp(-(-3 + 0.3 * score)));
            // Leaky: a tenth of the converters carry a stage only sales can set after the deal.
            var stage = leaky && converted && rng.NextBool(0.2) ? "won - invoiced" : new[] { "new", "contacted" }[rng.NextInt(2)];
            rows.Append(CultureInfo.InvariantCulture, $"{score:F2},{stage},{(converted ? "yes" : "no")}\n");
        }
        return new TinyHistory(rows.ToString(), schemaJson: """
            { "kind": "singleTable", "leads": { "id": null, "createdAt": null, "convertedAt": null },
              "outcome": { "column": "converted", "positive": ["yes"] } }
            """);
    }

    [Fact]
    public void Read_LeakyHistory_PrintsTheEvidence_AndFailOnLeakExitsOne()
    {
        using var history = History(leaky: true);

        var plain = Leadml.Run("read", "--history", history.Folder);
        var strict = Leadml.Run("read", "--history", history.Folder, "--fail-on-leak");

        Assert.Equal(0, plain.ExitCode);
        Assert.Contains("possible leak: 'stage' = 'won - invoiced'", plain.Output, StringComparison.Ordinal);
        Assert.Contains("100.0% of them converted", plain.Output, StringComparison.Ordinal);
        Assert.Equal(1, strict.ExitCode);
    }

    [Fact]
    public void Read_CleanHistory_SaysNothingWasFound_AndFailOnLeakExitsZero()
    {
        using var history = History(leaky: false);

        var strict = Leadml.Run("read", "--history", history.Folder, "--fail-on-leak");

        Assert.Equal(0, strict.ExitCode);
        Assert.Contains("Leak guard: nothing found (the column that alone ranks leads best is 'score'", strict.Output, StringComparison.Ordinal);
    }
}
