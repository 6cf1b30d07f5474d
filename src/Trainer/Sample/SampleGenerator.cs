using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using LeadML.Features.History;
using LeadML.Features.Randomness;

namespace LeadML.Trainer.Sample;

/// <summary>
/// Writes a synthetic lead history generated from known true effects (see <c>docs/sample-history.md</c>).
/// <para>The model: leads arrive over the months (arrivals growing by <see cref="SampleModel.ArrivalGrowth"/>), each
/// with attributes (industry, company size, country, job title, lead source, budget known; some empty). A latent
/// engagement rate (depending a little on fit) drives a Poisson stream of events that decays with the lead's age;
/// each day the lead may go cold for good (activity × <see cref="SampleModel.ColdFactor"/>). A latent intent, tied
/// to fit, tilts the stream towards pricing views, contact and demo forms and quote requests. The daily conversion
/// hazard is exp(base + attribute effects + recent behaviour (pricing views in 30 days; demo, contact, quote,
/// webinar in 90 days) + negative signals (careers visits, unsubscribe, bounce, days of inactivity)); a lead
/// converts at most once, after which it only logs in and pays invoices. About 10 % of leads convert in 12 months.</para>
/// <para>Every lead draws from its own fork of one <see cref="Xoshiro256"/>, so the same seed gives the same files.
/// The true probabilities re-simulate a lead's next 90 days from its state at a cut-off, with a separate generator,
/// so the history does not change when they are skipped.</para>
/// </summary>
internal static class SampleGenerator
{
    /// <summary>The horizon of <c>leadml.json</c> and of the true probabilities, in days.</summary>
    public const int HorizonDays = 90;

    private const long SecondsPerDay = 86_400;
    private const ulong TruthSeedSalt = 0x5452_5554_4850_524FUL;

    /// <summary>JSON as the schema reader expects it: camelCase names, camelCase string enums, nulls left out.</summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Writes <c>leads.csv</c>, <c>events.csv</c>, <c>leadml.json</c>, <c>truth.json</c> and, when
    /// <see cref="SampleOptions.TruthProbabilities"/>, <c>truth-probabilities.csv</c> into <paramref name="folder"/>
    /// (created if needed; existing files are overwritten).</summary>
    /// <param name="folder">The output folder.</param>
    /// <param name="options">What to generate.</param>
    /// <param name="progress">Receives the share done, 0 to 1.</param>
    /// <exception cref="ValidationException">An option is out of range, or <see cref="SampleOptions.Start"/> is not a
    /// midnight.</exception>
    public static SampleSummary Write(string folder, SampleOptions options, IProgress<double>? progress = null) =>
        Write(folder, options, progress, LeadsPerChunk);

    /// <summary><see cref="Write(string, SampleOptions, IProgress{double}?)"/> simulating <paramref name="leadsPerChunk"/>
    /// leads at a time (the files do not depend on it).</summary>
    internal static SampleSummary Write(string folder, SampleOptions options, IProgress<double>? progress, int leadsPerChunk)
    {
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        var start = DateTime.SpecifyKind(options.Start, DateTimeKind.Utc);
        // Days and month-start cut-offs are counted from the start, so it must be a midnight.
        if (start.TimeOfDay != TimeSpan.Zero)
        {
            throw new ValidationException($"Start '{options.Start:o}' is not a midnight (UTC)");
        }
        var end = start.AddMonths(options.Months);
        var historySeconds = (long)(end - start).TotalSeconds;
        var truthCutoffs = TruthCutoffs(start, end, options.TruthCutoffs);
        if (options.TruthProbabilities && truthCutoffs.Count == 0)
        {
            throw new ValidationException($"a history of {options.Months} months has no month start with {HorizonDays} days after it");
        }
        Directory.CreateDirectory(folder);

        // Ids follow creation time, as a CRM export would, so the leads are numbered in creation order before any is
        // simulated: first each lead's generator seeds and creation time (24 bytes a lead), then the leads are drawn
        // again from those seeds, simulated and written a chunk at a time in that order.
        var (seeds, truthSeeds, order) = Arrivals(options, historySeconds);

        var cutoffDays = truthCutoffs.Select(c => (int)((c - start).Ticks / TimeSpan.TicksPerDay)).ToArray();
        var jobs = new List<TruthJob>();
        var truthLeads = new Dictionary<int, SampleLead>();
        var share = options.TruthProbabilities ? 0.5 : 1.0;
        // Above TruthLeads leads, the true probabilities are estimated for an evenly spread subset of them.
        var truthStride = Math.Max(1, (options.Leads + options.TruthLeads - 1) / options.TruthLeads);
        var (events, converted) = WriteEventsAndLeads(folder, seeds, truthSeeds, order, start, historySeconds, options.ActivityScale,
            options.TruthProbabilities ? cutoffDays : [], truthStride, jobs, truthLeads, progress, share, options.Seed, leadsPerChunk);

        TruthProbabilitySummary? truthSummary = null;
        if (options.TruthProbabilities)
        {
            truthSummary = WriteTruthProbabilities(Path.Combine(folder, "truth-probabilities.csv"), jobs, truthLeads,
                truthCutoffs, options.TruthReplicates, progress, share);
        }
        WriteJson(Path.Combine(folder, "truth.json"), new TruthFile
        {
            Description = SampleTruth.Description,
            Seed = options.Seed,
            HistoryStart = start,
            HistoryEnd = end,
            BaseLogHazardPerDay = SampleModel.BaseLogHazard,
            Effects = SampleTruth.Effects(),
            ZeroEffectFeatures = SampleTruth.ZeroEffectFeatures(),
            NoDirectEffectFeatures = SampleTruth.NoDirectEffectFeatures(),
            PostConversionOnlyEventTypes = SampleModel.PostConversionTypes,
            TruthProbabilities = truthSummary,
        });
        WriteJson(Path.Combine(folder, "leadml.json"), Schema(start, end));
        progress?.Report(1.0);

        return new SampleSummary(options.Leads, events, converted, (double)converted / options.Leads, options.TruthProbabilities, end,
            truthSummary?.Rows ?? 0);
    }

    /// <summary>The schema of the sample: the default column names, the column types inference could miss, the
    /// negative levels, a window from the second month (the first cut-off with leads) to the end, and a 90-day
    /// horizon.</summary>
    internal static HistorySchema Schema(DateTime start, DateTime end) => new()
    {
        Kind = HistoryKind.Events,
        Columns = new(StringComparer.Ordinal)
        {
            [SampleModel.CompanySize] = ColumnType.Number,
            [SampleModel.BudgetKnown] = ColumnType.Flag,
        },
        Negative = new(StringComparer.Ordinal)
        {
            [SampleModel.JobTitle] = ["Student"],
            [SampleModel.Country] = [.. SampleModel.NonTargetCountries],
        },
        Window = new WindowSchema { Start = start.AddMonths(1), End = end },
        HorizonDays = HorizonDays,
    };

    /// <summary>The last <paramref name="count"/> month starts after the first month whose horizon ends by
    /// <paramref name="end"/>.</summary>
    internal static List<DateTime> TruthCutoffs(DateTime start, DateTime end, int count)
    {
        var all = new List<DateTime>();
        for (var c = start.AddMonths(1); c.AddDays(HorizonDays) <= end; c = c.AddMonths(1)) all.Add(c);
        return all.Skip(Math.Max(0, all.Count - count)).ToList();
    }

    private sealed record TruthJob(int Lead, int Cutoff, SampleLeadState State, int Day, Xoshiro256 Rng, ObservedHistory Seen, Xoshiro256 PosteriorRng);

    private const ulong PosteriorSeedSalt = 0x4F42_5345_5256_4544UL;

    /// <summary>The generator of the observable-history probabilities for one lead and cut-off: its own stream, so that
    /// the oracle's probabilities stay the same with or without them.</summary>
    private static Xoshiro256 PosteriorRng(ulong seed, int lead, int cutoff) =>
        new(seed ^ PosteriorSeedSalt ^ ((ulong)(lead + 1) * 0x9E37_79B9_7F4A_7C15UL) ^ ((ulong)(cutoff + 1) * 0xC2B2_AE3D_27D4_EB4FUL));

    /// <summary>Leads simulated and formatted at once: the generator's memory is this many leads' events and text,
    /// whatever the number of leads.</summary>
    private const int LeadsPerChunk = 8192;

    /// <summary>Each lead's generator seeds (as <see cref="Xoshiro256.Fork"/> of the root generators gives them, lead by
    /// lead) and the leads in creation order (ties by draw order): the order in which they are numbered and written.</summary>
    private static (ulong[] Seeds, ulong[]? TruthSeeds, int[] Order) Arrivals(SampleOptions options, long historySeconds)
    {
        var root = new Xoshiro256(options.Seed);
        var truthRoot = options.TruthProbabilities ? new Xoshiro256(options.Seed ^ TruthSeedSalt) : null;
        var n = options.Leads;
        var seeds = new ulong[n];
        var truthSeeds = truthRoot is null ? null : new ulong[n];
        for (var i = 0; i < n; i++)
        {
            seeds[i] = root.ForkSeed((ulong)i);
            if (truthSeeds is not null) truthSeeds[i] = truthRoot!.ForkSeed((ulong)i);
        }
        // Creation second (below 2^31 for any history of up to 68 years) above, draw index below: sorting the keys
        // orders by creation, then by draw, as a stable sort of the leads would.
        var keys = new long[n];
        Parallel.For(0, n, i => keys[i] = (SampleLead.Draw(new Xoshiro256(seeds[i]), null, historySeconds, options.ActivityScale).Created << 32) | (uint)i);
        Array.Sort(keys);
        var order = new int[n];
        for (var k = 0; k < n; k++) order[k] = (int)(keys[k] & uint.MaxValue);
        return (seeds, truthSeeds, order);
    }

    /// <summary>The id of the lead created <paramref name="position"/>-th (0-based): L000001, L000002, …</summary>
    private static string Id(int position) => "L" + (position + 1).ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>Writes <c>events.csv</c> and <c>leads.csv</c> a chunk of leads at a time, in creation order; keeps the
    /// leads whose true probabilities are estimated (every <paramref name="truthStride"/>-th) and their jobs.</summary>
    private static (long Events, int Converted) WriteEventsAndLeads(string folder, ulong[] seeds, ulong[]? truthSeeds, int[] order, DateTime start,
        long historySeconds, double activityScale, int[] cutoffDays, int truthStride, List<TruthJob> jobs, Dictionary<int, SampleLead> truthLeads,
        IProgress<double>? progress, double share, ulong seed, int leadsPerChunk)
    {
        using var w = Writer(Path.Combine(folder, "events.csv"));
        using var leadsFile = Writer(Path.Combine(folder, "leads.csv"));
        w.WriteLine("event_id,lead_id,timestamp,type,detail");
        leadsFile.WriteLine("lead_id,created_at,converted_at," + string.Join(',', SampleModel.AttributeColumns));
        var historyDays = (int)((historySeconds + SecondsPerDay - 1) / SecondsPerDay);
        var dates = Enumerable.Range(0, historyDays + 1)
            .Select(d => start.AddDays(d).ToString("yyyy-MM-dd'T'", CultureInfo.InvariantCulture)).ToArray();
        var n = order.Length;
        var chunk = Math.Min(leadsPerChunk, n);
        var leads = new SampleLead[chunk];
        var buffers = Enumerable.Range(0, chunk).Select(_ => new List<SampleEvent>()).ToArray();
        var texts = Enumerable.Range(0, chunk).Select(_ => new StringBuilder()).ToArray();
        var chunkJobs = new List<TruthJob>?[chunk];
        long written = 0;
        var converted = 0;
        for (var from = 0; from < n; from += chunk)
        {
            var to = Math.Min(from + chunk, n);
            // Each lead draws from its own generator, so the files do not depend on how the leads are scheduled.
            Parallel.For(from, to, i =>
            {
                var drawn = order[i];
                var lead = leads[i - from] = SampleLead.Draw(new Xoshiro256(seeds[drawn]), truthSeeds is null ? null : new Xoshiro256(truthSeeds[drawn]),
                    historySeconds, activityScale);
                var buffer = buffers[i - from];
                buffer.Clear();
                chunkJobs[i - from] = SimulateLead(lead, i, historySeconds, historyDays, activityScale,
                    i % truthStride == 0 ? cutoffDays : [], buffer, seed);
            });
            var firstId = new long[to - from];
            for (var i = from; i < to; i++)
            {
                firstId[i - from] = written;
                written += buffers[i - from].Count;
            }
            Parallel.For(from, to, i => Format(texts[i - from], buffers[i - from], Id(i), firstId[i - from], dates));
            for (var i = from; i < to; i++)
            {
                var lead = leads[i - from];
                w.Write(texts[i - from]);
                WriteLead(leadsFile, lead, Id(i), start);
                if (lead.Converted is not null) converted++;
                if (chunkJobs[i - from] is { } leadJobs)
                {
                    jobs.AddRange(leadJobs);
                    truthLeads[i] = lead;
                }
            }
            progress?.Report(share * to / n);
        }
        return (written, converted);
    }

    /// <summary>One lead's events until it converts (then as a customer) or the history ends, and the states at the
    /// truth cut-offs it lives through.</summary>
    private static List<TruthJob>? SimulateLead(SampleLead lead, int i, long historySeconds, int historyDays, double activityScale,
        int[] cutoffDays, List<SampleEvent> buffer, ulong seed)
    {
        List<TruthJob>? jobs = null;
        var state = SampleLeadState.Initial(lead.Created);
        var firstDay = (int)(lead.Created / SecondsPerDay);
        lead.SimulateDay(ref state, firstDay, lead.Created + 1, Math.Min((firstDay + 1) * SecondsPerDay, historySeconds),
            lead.Rng, wholeDay: false, buffer);
        for (var day = firstDay + 1; day < historyDays; day++)
        {
            var cutoff = Array.IndexOf(cutoffDays, day);
            if (cutoff >= 0)
            {
                (jobs ??= []).Add(new TruthJob(i, cutoff, state, day, lead.TruthRng!.Fork((ulong)cutoff), ObservedHistory.From(buffer),
                    PosteriorRng(seed, i, cutoff)));
            }
            var dayStart = day * SecondsPerDay;
            var dayEnd = Math.Min(dayStart + SecondsPerDay, historySeconds);
            if (lead.Rng.NextDouble() < -double.ExpM1(-lead.Hazard(state, day)))
            {
                var at = dayStart + lead.Rng.NextInt((int)(dayEnd - dayStart));
                lead.Converted = at;
                lead.SimulateDay(ref state, day, dayStart, at, lead.Rng, wholeDay: true, buffer);
                lead.SimulateCustomer(at, historySeconds, activityScale, buffer);
                break;
            }
            lead.SimulateDay(ref state, day, dayStart, dayEnd, lead.Rng, wholeDay: true, buffer);
        }
        return jobs;
    }

    /// <summary>A lead's events as CSV lines, numbered from <paramref name="firstId"/> + 1.</summary>
    private static void Format(StringBuilder text, List<SampleEvent> events, string id, long firstId, string[] dates)
    {
        text.Clear();
        Span<char> digits = stackalloc char[20];
        var n = firstId;
        foreach (var e in events)
        {
            n++;
            text.Append('E');
            n.TryFormat(digits, out var length, "D8", CultureInfo.InvariantCulture);
            text.Append(digits[..length]).Append(',').Append(id).Append(',');
            var second = e.Second;
            var inDay = (int)(second % SecondsPerDay);
            text.Append(dates[second / SecondsPerDay]);
            Two(text, inDay / 3600).Append(':');
            Two(text, inDay / 60 % 60).Append(':');
            Two(text, inDay % 60).Append("Z,").Append(e.Type).Append(',').Append(e.Detail).Append('\n');
        }
    }

    private static StringBuilder Two(StringBuilder text, int v) => text.Append((char)('0' + v / 10)).Append((char)('0' + v % 10));

    private static void WriteLead(StreamWriter w, SampleLead l, string id, DateTime start)
    {
        var budget = l.BudgetKnown switch { true => "yes", false => "no", null => "" };
        w.WriteLine(string.Join(',',
            id, Timestamp(start, l.Created), l.Converted is { } c ? Timestamp(start, c) : "",
            l.Industry, l.CompanySize?.ToString(CultureInfo.InvariantCulture), l.Country, l.JobTitle, l.LeadSource, budget));
    }

    private static TruthProbabilitySummary WriteTruthProbabilities(string path, List<TruthJob> jobs, Dictionary<int, SampleLead> leads,
        List<DateTime> cutoffs, int replicates, IProgress<double>? progress, double share)
    {
        var probabilities = new double[jobs.Count];
        var observable = new double[jobs.Count];
        // In chunks, so that progress is reported from this thread; each job owns its generator, so the result does
        // not depend on the scheduling.
        const int chunk = 512;
        for (var from = 0; from < jobs.Count; from += chunk)
        {
            var to = Math.Min(from + chunk, jobs.Count);
            Parallel.For(from, to, k =>
            {
                var j = jobs[k];
                probabilities[k] = SampleTruth.Probability(leads[j.Lead], j.State, j.Day, HorizonDays, replicates, j.Rng);
                observable[k] = SamplePosterior.Probability(leads[j.Lead], j.State, j.Seen, j.Day, HorizonDays, replicates, j.PosteriorRng);
            });
            progress?.Report(share + (1 - share) * to / Math.Max(1, jobs.Count));
        }

        var order = Enumerable.Range(0, jobs.Count).OrderBy(k => jobs[k].Cutoff).ThenBy(k => jobs[k].Lead).ToArray();
        var labels = new bool[jobs.Count];
        using var w = Writer(path);
        w.WriteLine("cutoff,lead_id,probability,converted_within_horizon,observable_probability");
        foreach (var k in order)
        {
            var j = jobs[k];
            var cutoffSecond = (long)j.Day * SecondsPerDay;
            labels[k] = leads[j.Lead].Converted is { } c && c < cutoffSecond + HorizonDays * SecondsPerDay;
            w.WriteLine(string.Join(',',
                cutoffs[j.Cutoff].ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), Id(j.Lead),
                probabilities[k].ToString("0.000000", CultureInfo.InvariantCulture), labels[k] ? "1" : "0",
                observable[k].ToString("0.000000", CultureInfo.InvariantCulture)));
        }
        return new TruthProbabilitySummary("truth-probabilities.csv", cutoffs, HorizonDays, replicates, jobs.Count,
            jobs.Count == 0 ? 0 : probabilities.Average(), jobs.Count == 0 ? 0 : labels.Count(l => l) / (double)jobs.Count,
            SampleTruth.RocAuc(probabilities, labels))
        {
            ObservableMeanProbability = jobs.Count == 0 ? 0 : observable.Average(),
            ObservableRocAuc = SampleTruth.RocAuc(observable, labels),
        };
    }

    private static void WriteJson<T>(string path, T value)
    {
        using var w = Writer(path);
        w.Write(JsonSerializer.Serialize(value, Json));
        w.Write('\n');
    }

    private static StreamWriter Writer(string path) =>
        new(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16) { NewLine = "\n" };

    private static string Timestamp(DateTime start, long second) =>
        start.AddSeconds(second).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
