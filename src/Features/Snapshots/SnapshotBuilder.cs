using LeadML.Features.Featurization;
using LeadML.Features.History;

namespace LeadML.Features.Snapshots;

/// <summary>
/// Builds point-in-time training rows from a history (design §3). Event histories: at each cut-off (month starts, or
/// Mondays for weekly snapshots) every lead created before it and not yet converted gives one row, labelled 1 if it
/// converts within the horizon; its features see only events strictly before the cut-off. Events are streamed
/// twice: once to choose the features, once to accumulate them. Single tables: one row per lead in time order.
/// </summary>
public static class SnapshotBuilder
{
    /// <summary>The snapshots of <paramref name="history"/>.</summary>
    /// <param name="history">The history read.</param>
    /// <param name="progress">Reports each pass over the events.</param>
    /// <param name="options">How features are chosen (ignored with <paramref name="spec"/>).</param>
    /// <param name="spec">An existing bundle's features, reused as they are so that its model sees what it was trained on.</param>
    public static SnapshotSet Build(LeadHistory history, IProgress<string>? progress = null, FeatureSpecOptions? options = null, FeatureSpec? spec = null)
    {
        return history.Kind == HistoryKind.SingleTable
            ? BuildSingleTable(history, options, spec)
            : BuildEvents(history, progress, options, spec);
    }

    private static SnapshotSet BuildSingleTable(LeadHistory history, FeatureSpecOptions? options, FeatureSpec? given)
    {
        var spec = given ?? FeatureSpecBuilder.Build(history, null, options);
        var featurizer = new Featurizer(spec);
        var leads = history.Leads.Leads;
        var order = Enumerable.Range(0, leads.Count)
            .OrderBy(i => leads[i].CreatedAt).ThenBy(i => leads[i].Row).ToArray();
        var attrs = new AttributeAligner(spec).Align(history.Leads);
        var n = order.Length;
        var width = featurizer.Width;
        var x = new float[n * width];
        var y = new float[n];
        var leadIdx = new int[n];
        var cutoff = new DateTime[n];
        var periods = SplitSingleTable(history.Schema.Split, order.Select(i => leads[i].CreatedAt).ToArray());
        for (var k = 0; k < n; k++)
        {
            var i = order[k];
            featurizer.Write(attrs[i], leads[i].CreatedAt, leads[i].CreatedAt, null, 0, x.AsSpan(k * width, width));
            y[k] = leads[i].Outcome == true ? 1f : 0f;
            leadIdx[k] = i;
            cutoff[k] = leads[i].CreatedAt;
        }
        return new SnapshotSet
        {
            Spec = spec, Width = width, X = x, Y = y, Lead = leadIdx, Cutoff = cutoff, Period = periods,
            Cutoffs = [], HorizonDays = history.Schema.HorizonDays,
        };
    }

    /// <summary>Time-ordered rows split into train, validation, test: by dates when the schema gives them, else the
    /// last <c>TestFraction</c> of rows is test and the <c>ValidationFraction</c> before it validation.</summary>
    internal static Period[] SplitSingleTable(SplitSchema split, DateTime[] timesInOrder)
    {
        var n = timesInOrder.Length;
        var result = new Period[n];
        int testStart, validationStart;
        if (split.TestFrom is { } tf)
        {
            testStart = Array.FindIndex(timesInOrder, t => t >= tf);
            if (testStart < 0) testStart = n;
        }
        else
        {
            testStart = n - (int)Math.Round(n * split.TestFraction);
        }
        if (split.ValidationFrom is { } vf)
        {
            validationStart = Array.FindIndex(timesInOrder, t => t >= vf);
            if (validationStart < 0 || validationStart > testStart) validationStart = testStart;
        }
        else
        {
            validationStart = testStart - (int)Math.Round(n * split.ValidationFraction);
        }
        validationStart = Math.Max(0, validationStart);
        for (var k = 0; k < n; k++)
        {
            result[k] = k >= testStart ? Period.Test : k >= validationStart ? Period.Validation : Period.Train;
        }
        return result;
    }

    private static SnapshotSet BuildEvents(LeadHistory history, IProgress<string>? progress, FeatureSpecOptions? options, FeatureSpec? given)
    {
        var leads = history.Leads.Leads;
        var schema = history.Schema;
        EventCatalog? catalog = null;
        if (history.Events is not null)
        {
            progress?.Report("Reading events (1/2): choosing features");
            catalog = new EventCatalog(leads);
            foreach (var e in history.Events.ReadEvents(history.Report)) catalog.Add(e);
        }
        // A given spec (an existing bundle's) is reused as is, so that its model sees the features it was trained on.
        var spec = given ?? FeatureSpecBuilder.Build(history, catalog, options);
        var featurizer = new Featurizer(spec);

        var dataEnd = leads.Max(l => l.ConvertedAt is { } c && c > l.CreatedAt ? c : l.CreatedAt);
        if (catalog?.Last is { } last && last > dataEnd) dataEnd = last;
        var cutoffs = Cutoffs(schema, dataEnd);
        if (cutoffs.Count == 0)
        {
            throw new InvalidDataException(
                $"the history ends on {dataEnd:yyyy-MM-dd}: no cut-off leaves {schema.HorizonDays} days to see conversions; give a longer history or a shorter horizonDays");
        }

        bool Include(int i, int j) =>
            leads[i].CreatedAt < cutoffs[j] && (leads[i].ConvertedAt is not { } c || c >= cutoffs[j]);
        var acc = new EventAccumulator(featurizer, leads.Count, cutoffs, Include);
        if (history.Events is not null)
        {
            progress?.Report("Reading events (2/2): point-in-time features");
            foreach (var e in history.Events.ReadEvents(new ReadReport())) acc.Add(e);
        }

        var periodOfCutoff = SplitCutoffs(schema.Split, cutoffs);
        var attrs = new AttributeAligner(spec).Align(history.Leads);
        var width = featurizer.Width;
        var n = acc.SlotCount;
        var x = new float[(long)n * width];
        var y = new float[n];
        var leadIdx = new int[n];
        var cut = new DateTime[n];
        var periods = new Period[n];
        var horizon = TimeSpan.FromDays(schema.HorizonDays);
        // Rows in cut-off order, then lead order, so that periods are contiguous in time.
        var row = 0;
        for (var j = 0; j < cutoffs.Count; j++)
        {
            for (var i = 0; i < leads.Count; i++)
            {
                var slot = acc.SlotOf(i, j);
                if (slot < 0) continue;
                featurizer.Write(attrs[i], leads[i].CreatedAt, cutoffs[j], acc, slot, x.AsSpan(row * width, width));
                y[row] = leads[i].ConvertedAt is { } c && c < cutoffs[j] + horizon ? 1f : 0f;
                leadIdx[row] = i;
                cut[row] = cutoffs[j];
                periods[row] = periodOfCutoff[j];
                row++;
            }
        }
        return new SnapshotSet
        {
            Spec = spec, Width = width, X = x, Y = y, Lead = leadIdx, Cutoff = cut, Period = periods,
            Cutoffs = cutoffs, HorizonDays = schema.HorizonDays,
            PostConversionEvents = given is null && catalog is not null
                ? catalog.PostConversion((options ?? new FeatureSpecOptions()).PostConversionShare, (options ?? new FeatureSpecOptions()).MinPostConversionEvents)
                : [],
        };
    }

    /// <summary>Cut-offs over the window: by default the 12 latest month starts whose horizon ends by the end of the
    /// data (so every label is known).</summary>
    internal static List<DateTime> Cutoffs(HistorySchema schema, DateTime dataEnd)
    {
        var horizon = TimeSpan.FromDays(schema.HorizonDays);
        var weekly = schema.Snapshots == SnapshotFrequency.Week;
        DateTime Floor(DateTime t) => weekly
            ? t.Date.AddDays(-(((int)t.DayOfWeek + 6) % 7))
            : new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        DateTime Step(DateTime t, int k) => weekly ? t.AddDays(7 * k) : t.AddMonths(k);

        var lastAllowed = dataEnd - horizon;
        if (schema.Window?.End is { } end && end < lastAllowed) lastAllowed = end;
        var lastCut = Floor(lastAllowed);
        var firstCut = schema.Window?.Start is { } start
            ? (Floor(start) < start ? Step(Floor(start), 1) : Floor(start))
            : Step(lastCut, weekly ? -51 : -11);
        var result = new List<DateTime>();
        for (var c = DateTime.SpecifyKind(firstCut, DateTimeKind.Utc); c <= lastCut; c = Step(c, 1)) result.Add(c);
        return result;
    }

    /// <summary>Test = the last <c>TestCutoffs</c> cut-offs (or those from <c>TestFrom</c>), validation the
    /// <c>ValidationCutoffs</c> before it (or those from <c>ValidationFrom</c>), train the rest.</summary>
    internal static Period[] SplitCutoffs(SplitSchema split, IReadOnlyList<DateTime> cutoffs)
    {
        var n = cutoffs.Count;
        var testStart = split.TestFrom is { } tf ? IndexFrom(cutoffs, tf) : n - split.TestCutoffs;
        var validationStart = split.ValidationFrom is { } vf ? Math.Min(IndexFrom(cutoffs, vf), testStart) : testStart - split.ValidationCutoffs;
        if (testStart < 2 || validationStart < 1 || validationStart >= testStart)
        {
            throw new InvalidDataException(
                $"{n} cut-offs are too few for {split.TestCutoffs} test and {split.ValidationCutoffs} validation cut-offs and at least one for training; give a longer window or smaller split counts");
        }
        var result = new Period[n];
        for (var j = 0; j < n; j++)
        {
            result[j] = j >= testStart ? Period.Test : j >= validationStart ? Period.Validation : Period.Train;
        }
        return result;
    }

    private static int IndexFrom(IReadOnlyList<DateTime> cutoffs, DateTime from)
    {
        for (var j = 0; j < cutoffs.Count; j++)
        {
            if (cutoffs[j] >= from) return j;
        }
        return cutoffs.Count;
    }
}
