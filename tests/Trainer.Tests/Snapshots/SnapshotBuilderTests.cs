using LeadML.Features.Featurization;
using LeadML.Features.History;
using LeadML.Features.Snapshots;

namespace LeadML.Trainer.Tests.Snapshots;

/// <summary>
/// Point-in-time snapshots on a hand-made history whose cut-offs are the month starts from 2025-02-01 to 2025-10-01
/// (the last event, 2025-12-31, leaves a 90-day horizon after 2025-10-01).
/// </summary>
public sealed class SnapshotBuilderTests
{
    private const string Schema = """{ "window": { "start": "2025-02-01T00:00:00Z" }, "horizonDays": 90 }""";

    // L1 never converts and is active around the March cut-off; L2 converts on 2025-03-15; L3 converts on 2025-08-01;
    // L4 converts exactly at the May cut-off; L5 is created exactly at the March cut-off.
    private const string Leads = """
        lead_id,created_at,converted_at,industry
        L1,2025-01-10T09:00:00Z,,Software
        L2,2025-01-05T09:00:00Z,2025-03-15T12:00:00Z,Finance
        L3,2025-01-20T09:00:00Z,2025-08-01T12:00:00Z,Software
        L4,2025-01-25T09:00:00Z,2025-05-01T00:00:00Z,Finance
        L5,2025-03-01T00:00:00Z,,Software
        """;

    private static readonly DateTime March = Utc(2025, 3, 1);
    private static readonly FeatureSpecOptions Everything = new() { MinTypeEvents = 1, MinLevelCount = 1, MinLevelShare = 0 };

    private static string Events(params string[] pageViews) =>
        "lead_id,timestamp,type,detail\n"
        + string.Concat(pageViews.Select(t => $"L1,{t},page_view,/pricing\n"))
        + "L3,2025-02-10T10:00:00Z,email_open,\n"
        + "L1,2025-12-31T10:00:00Z,email_open,\n";

    private static SnapshotSet Build(string events, string schema = Schema)
    {
        using var history = new TinyHistory(Leads, events, schema);
        return SnapshotBuilder.Build(HistoryReader.Read(history.Folder), null, Everything);
    }

    private static float[] FeaturesOf(SnapshotSet s, int lead, DateTime cutoff)
    {
        var row = Enumerable.Range(0, s.Rows).Single(i => s.Lead[i] == lead && s.Cutoff[i] == cutoff);
        return s.Row(row).ToArray();
    }

    private static float Feature(SnapshotSet s, int lead, DateTime cutoff, string name) =>
        FeaturesOf(s, lead, cutoff)[s.Spec.IndexOf(name)];

    [Theory]
    [InlineData(Period.Validation)]
    [InlineData(Period.Test)]
    [InlineData(Period.Train, Period.Validation)]
    public void View_PeriodsFollowTime_GivesTheRowsOfSelectWithoutACopy(params Period[] periods)
    {
        var s = Build(Events("2025-02-20T10:00:00Z"));

        var view = s.View(periods);
        var copy = s.Select(periods);

        Assert.Equal(copy.X, view.X.ToArray());
        Assert.Equal(copy.Y, view.Y);
        Assert.Equal(copy.Rows, view.Rows);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(view.X, out var shared));
        Assert.Same(s.X, shared.Array);
    }

    [Fact]
    public void Cutoffs_AreTheMonthStartsWhoseHorizonEndsWithinTheData()
    {
        var s = Build(Events("2025-02-20T10:00:00Z"));
        Assert.Equal(Enumerable.Range(2, 9).Select(m => Utc(2025, m, 1)), s.Cutoffs);
    }

    [Fact]
    public void EventExactlyAtTheCutoff_ChangesNothingInThatCutoffsFeatures()
    {
        var without = Build(Events("2025-02-20T10:00:00Z"));
        var with = Build(Events("2025-02-20T10:00:00Z", "2025-03-01T00:00:00Z"));

        Assert.Equal(FeaturesOf(without, 0, March), FeaturesOf(with, 0, March));
        // It does count at the next cut-off, so the two histories really differ.
        var count90 = FeatureNames.Count("page_view", null, 90);
        Assert.Equal(1f, Feature(without, 0, Utc(2025, 4, 1), count90));
        Assert.Equal(2f, Feature(with, 0, Utc(2025, 4, 1), count90));
    }

    [Fact]
    public void EventOneSecondBeforeTheCutoff_Counts()
    {
        var without = Build(Events("2025-02-20T10:00:00Z"));
        var with = Build(Events("2025-02-20T10:00:00Z", "2025-02-28T23:59:59Z"));

        Assert.NotEqual(FeaturesOf(without, 0, March), FeaturesOf(with, 0, March));
        Assert.Equal(0f, Feature(without, 0, March, FeatureNames.Count("page_view", null, 7)));
        Assert.Equal(1f, Feature(with, 0, March, FeatureNames.Count("page_view", null, 7)));
        Assert.Equal(2f, Feature(with, 0, March, FeatureNames.Count("page_view", null, 30)));
    }

    [Fact]
    public void LeadConvertedBeforeACutoff_IsNotARowOfIt()
    {
        var s = Build(Events("2025-02-20T10:00:00Z"));
        var cutoffsOfL2 = Enumerable.Range(0, s.Rows).Where(i => s.Lead[i] == 1).Select(i => s.Cutoff[i]).ToList();
        Assert.Equal([Utc(2025, 2, 1), March], cutoffsOfL2);
        // Converting exactly at a cut-off means not converted before it: still a row, labelled 1.
        var l4 = Enumerable.Range(0, s.Rows).Where(i => s.Lead[i] == 3).ToList();
        Assert.Equal(Utc(2025, 5, 1), l4.Max(i => s.Cutoff[i]));
        Assert.Equal(1f, s.Y[l4.Single(i => s.Cutoff[i] == Utc(2025, 5, 1))]);
    }

    [Fact]
    public void LeadCreatedAtTheCutoff_IsNotARowOfIt()
    {
        var s = Build(Events("2025-02-20T10:00:00Z"));
        var first = Enumerable.Range(0, s.Rows).Where(i => s.Lead[i] == 4).Min(i => s.Cutoff[i]);
        Assert.Equal(Utc(2025, 4, 1), first);
    }

    [Fact]
    public void Label_IsConvertsWithinTheHorizon()
    {
        var s = Build(Events("2025-02-20T10:00:00Z"));
        float Label(int lead, DateTime cutoff) => s.Y[Enumerable.Range(0, s.Rows).Single(i => s.Lead[i] == lead && s.Cutoff[i] == cutoff)];

        Assert.Equal(1f, Label(1, Utc(2025, 2, 1)));  // L2 converts 42 days later
        Assert.Equal(0f, Label(2, Utc(2025, 2, 1)));  // L3 converts 181 days later
        Assert.Equal(0f, Label(2, Utc(2025, 5, 1)));  // 92 days later: just outside 90
        Assert.Equal(1f, Label(2, Utc(2025, 6, 1)));  // 61 days later
        Assert.Equal(0f, Label(0, Utc(2025, 10, 1))); // L1 never converts
    }

    [Fact]
    public void DefaultSplit_TestIsTheLastThreeCutoffsAndValidationTheTwoBefore()
    {
        var s = Build(Events("2025-02-20T10:00:00Z"));
        AssertPeriods(s, trainUntil: Utc(2025, 5, 1), validationUntil: Utc(2025, 7, 1));
    }

    [Fact]
    public void SplitDates_SetWhereValidationAndTestStart()
    {
        var schema = """
            { "window": { "start": "2025-02-01T00:00:00Z" }, "horizonDays": 90,
              "split": { "testFrom": "2025-09-01T00:00:00Z", "validationFrom": "2025-06-01T00:00:00Z" } }
            """;
        var s = Build(Events("2025-02-20T10:00:00Z"), schema);
        AssertPeriods(s, trainUntil: Utc(2025, 5, 1), validationUntil: Utc(2025, 8, 1));
    }

    [Fact]
    public void SingleTable_TestIsTheLastFifthAndValidationTheFifthBefore()
    {
        var times = Enumerable.Range(0, 10).Select(d => Utc(2000, 1, 1).AddDays(d)).ToArray();
        var periods = SnapshotBuilder.SplitSingleTable(new SplitSchema(), times);
        Assert.Equal(
            [Period.Train, Period.Train, Period.Train, Period.Train, Period.Train, Period.Train,
             Period.Validation, Period.Validation, Period.Test, Period.Test],
            periods);
    }

    [Fact]
    public void SingleTable_SplitDates_StartAtTheFirstRowOnOrAfterThem()
    {
        var times = Enumerable.Range(0, 10).Select(d => Utc(2000, 1, 1).AddDays(d)).ToArray();
        var split = new SplitSchema { TestFrom = Utc(2000, 1, 9), ValidationFrom = Utc(2000, 1, 4) };
        var periods = SnapshotBuilder.SplitSingleTable(split, times);
        Assert.Equal(3, periods.Count(p => p == Period.Train));
        Assert.Equal(5, periods.Count(p => p == Period.Validation));
        Assert.Equal([Period.Test, Period.Test], periods[8..]);
    }

    [Fact]
    public void SingleTable_TestFraction_TakesExactlyTheLastRows()
    {
        // bank-additional's peers test on the last 8,238 of 41,188 rows: 20 % rounds to exactly that.
        var times = Enumerable.Range(0, 41188).Select(d => Utc(2000, 1, 1).AddMinutes(d)).ToArray();
        var periods = SnapshotBuilder.SplitSingleTable(new SplitSchema(), times);
        Assert.Equal(8238, periods.Count(p => p == Period.Test));
        Assert.All(periods[^8238..], p => Assert.Equal(Period.Test, p));
    }

    private static void AssertPeriods(SnapshotSet s, DateTime trainUntil, DateTime validationUntil)
    {
        for (var i = 0; i < s.Rows; i++)
        {
            var expected = s.Cutoff[i] <= trainUntil ? Period.Train : s.Cutoff[i] <= validationUntil ? Period.Validation : Period.Test;
            Assert.Equal(expected, s.Period[i]);
        }
        // Consecutive and disjoint: rows are in cut-off order, so the periods never interleave.
        var sequence = s.Period.Distinct().ToArray();
        Assert.Equal([Period.Train, Period.Validation, Period.Test], sequence);
        Assert.True(s.Period.Zip(s.Period.Skip(1)).All(p => p.Second >= p.First));
    }

    private static DateTime Utc(int y, int m, int d) => new(y, m, d, 0, 0, 0, DateTimeKind.Utc);
}
