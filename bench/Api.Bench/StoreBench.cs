using System.Buffers;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using LeadML.Features.Randomness;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LeadML.Api.Bench;

/// <summary>
/// The store at scale (<c>scripts/bench-store.sh</c>): the first N leads of a <c>leadml sample</c> history loaded into
/// the Api's store through its own endpoints (<c>POST /leads/bulk</c>, then <c>POST /events</c> with many leads'
/// events per request), then a full rescoring round of every open lead (each made due at once) while clients keep
/// sending <c>POST /leads/{id}/events</c> and reading <c>GET /leads/{id}</c> at a fixed rate, then reads alone. On
/// PostgreSQL the round runs with one instance and again with the others started beside it, all on one database.
/// With <c>--shares</c> the rounds run once for each share of the time a round may use (<c>LeadML:Rescoring:Share</c>),
/// in the order given, the instances restarted with each, so that paces are compared on one load of the store.
/// </summary>
internal static class StoreBench
{
    private const string Usage = "usage: LeadML.Api.Bench store --history DIR --leads N --bundle DIR --work DIR [--sqlite] [--postgres CONNECTION]"
        + " [--instances 2] [--leads-per-request 50] [--connections 4] [--live-rate 20] [--round-timeout-minutes 60] [--batch-size LEADS]"
        + " [--shares 1,0.5]";

    private sealed record Options(string History, int Leads, string Bundle, string Work, bool Sqlite, string? Postgres, int Instances,
        int LeadsPerRequest, int Connections, double LiveRate, TimeSpan RoundTimeout, string? BatchSize, string?[] Shares);

    public static async Task RunAsync(string[] args)
    {
        var o = Parse(args);
        Directory.CreateDirectory(o.Work);
        var read = Stopwatch.StartNew();
        var sample = SampleHistory.Open(o.History, o.Leads, DateTime.UtcNow);
        Console.WriteLine(Invariant($"{sample.Leads.Count:N0} leads of {o.History} (times moved forward by {sample.Shift.TotalDays:0.0} days), read in {read.Elapsed.TotalSeconds:0.0} s"));
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { Timeout = TimeSpan.FromMinutes(10) };
        var settings = new Dictionary<string, string>
        {
            ["LeadML__Models__sample__Bundle"] = Path.GetFullPath(o.Bundle),
            ["LeadML__DefaultModel"] = "sample",
            ["LeadML__WatchBundles"] = "false",
            ["LeadML__Rescoring__PollInterval"] = "00:00:05",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        // The rescoring batch (LeadML:Rescoring:BatchSize), the Api's default unless given.
        if (o.BatchSize is { } batch) settings["LeadML__Rescoring__BatchSize"] = batch;
        if (o.Sqlite)
        {
            var file = Path.Combine(Path.GetFullPath(o.Work), "leadml.db");
            await RunStoreAsync("SQLite", o, sample, http, new(settings) { ["LeadML__Store__Provider"] = "sqlite", ["LeadML__Store__Path"] = file },
                () => new SqliteConnection($"Data Source={file};Default Timeout=60"), instances: 1);
        }
        if (o.Postgres is { } cs)
        {
            await RunStoreAsync("PostgreSQL", o, sample, http, new(settings) { ["LeadML__Store__Provider"] = "postgres", ["LeadML__Store__ConnectionString"] = cs },
                () => new NpgsqlConnection(cs), o.Instances);
        }
    }

    private static async Task RunStoreAsync(string name, Options o, SampleHistory sample, HttpClient http, Dictionary<string, string> settings,
        Func<DbConnection> connect, int instances)
    {
        Console.WriteLine($"== {name} ==");
        var log = Path.Combine(Path.GetFullPath(o.Work), $"api-{name.ToLowerInvariant()}.log");
        var running = new List<ApiInstance>();
        try
        {
            running.Add(await ApiInstance.StartAsync(WithShare(settings, o.Shares[0]), http, log));
            var api = running.ToArray();

            var watch = Stopwatch.StartNew();
            var leadRequests = await SendAllAsync(http, api, "leads/bulk", sample.Leads.Chunk(1000).Select(LeadsBody), o.Connections);
            var leadSeconds = watch.Elapsed.TotalSeconds;
            Console.WriteLine(Invariant($"load leads: {sample.Leads.Count:N0} leads in {leadRequests:N0} POST /leads/bulk, {leadSeconds:0.0} s, {sample.Leads.Count / leadSeconds:N0} leads/s"));

            watch.Restart();
            long sent = 0;
            var eventRequests = await SendAllAsync(http, api, "events", EventRequests(sample, o.LeadsPerRequest).Select(batch =>
            {
                Interlocked.Add(ref sent, batch.Sum(l => l.Events.Count));
                return EventsBody(batch);
            }), o.Connections);
            var eventSeconds = watch.Elapsed.TotalSeconds;
            var stored = await ScalarAsync(connect, "SELECT COUNT(*) FROM events");
            Console.WriteLine(Invariant($"load events: {sent:N0} events in {eventRequests:N0} POST /events ({o.LeadsPerRequest} leads each), {eventSeconds:0.0} s, {sent / eventSeconds:N0} events/s ({stored:N0} stored)"));
            Console.WriteLine(Invariant($"store after loading: {await SizeAsync(connect, name):N0} MB"));

            var ids = sample.Leads.Select(l => l.Id).ToArray();
            for (var s = 0; s < o.Shares.Length; s++)
            {
                var share = o.Shares[s];
                if (s > 0)
                {
                    foreach (var instance in running) await instance.DisposeAsync();
                    running.Clear();
                    running.Add(await ApiInstance.StartAsync(WithShare(settings, share), http, log));
                    api = running.ToArray();
                }
                var paced = share is null ? "" : $", share {share}";
                await RoundAsync(o, http, api, connect, ids, $"{name}, 1 instance{paced}");
                for (var i = 1; i < instances; i++) running.Add(await ApiInstance.StartAsync(WithShare(settings, share), http, log));
                if (running.Count > 1) await RoundAsync(o, http, running.ToArray(), connect, ids, $"{name}, {running.Count} instances{paced}");
                while (running.Count > 1)
                {
                    await running[^1].DisposeAsync();
                    running.RemoveAt(running.Count - 1);
                }
            }

            await StaleCheckAsync(connect);

            var reads = new FixedRate();
            using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            var random = new Xoshiro256(7);
            await reads.RunAsync(o.LiveRate, n => http.GetAsync(new Uri(api[0].Address, $"leads/{ids[Pick(random, ids.Length)]}")), quiet.Token);
            Console.WriteLine($"GET /leads/{{id}} at rest ({o.LiveRate}/s for 15 s): {reads.Summary()}");
        }
        finally
        {
            foreach (var instance in running) await instance.DisposeAsync();
        }
    }

    /// <summary>The settings with a round's share of the time (<c>LeadML:Rescoring:Share</c>), or the Api's default.</summary>
    private static Dictionary<string, string> WithShare(Dictionary<string, string> settings, string? share) =>
        share is null ? settings : new(settings) { ["LeadML__Rescoring__Share"] = share };

    /// <summary>Makes every open lead on the schedule due now and waits until the instances have rescored them all,
    /// while the live clients run.</summary>
    private static async Task RoundAsync(Options o, HttpClient http, ApiInstance[] api, Func<DbConnection> connect, string[] ids, string label)
    {
        var start = DateTime.UtcNow;
        var at = new DateTimeOffset(start).ToUnixTimeMilliseconds();
        var history = await ScalarAsync(connect, "SELECT COUNT(*) FROM score_history");
        var due = await ScalarAsync(connect, "UPDATE leads SET next_rescore_at = @t WHERE next_rescore_at IS NOT NULL AND converted_at IS NULL", at);
        var watch = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var writes = new FixedRate();
        var reads = new FixedRate();
        var random = new Xoshiro256((ulong)at);
        var run = at.ToString(CultureInfo.InvariantCulture);
        var live = Task.WhenAll(
            writes.RunAsync(o.LiveRate, n => http.PostAsync(new Uri(api[n % api.Length].Address, $"leads/{ids[Pick(random, ids.Length)]}/events"),
                Json(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("eventId", $"live-{run}-{n}");
                    w.WriteString("type", "page_view");
                    w.WriteString("detail", "/pricing");
                    w.WriteString("timestamp", DateTime.UtcNow);
                    w.WriteEndObject();
                })), stop.Token),
            reads.RunAsync(o.LiveRate, n => http.GetAsync(new Uri(api[n % api.Length].Address, $"leads/{ids[Pick(random, ids.Length)]}")), stop.Token));
        long left;
        do
        {
            await Task.Delay(1000);
            left = await ScalarAsync(connect, "SELECT COUNT(*) FROM leads WHERE next_rescore_at <= @t", at);
        }
        while (left > 0 && watch.Elapsed < o.RoundTimeout);
        var wall = watch.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await live;
        var first = await ScalarAsync(connect, "SELECT MIN(scored_at) FROM leads WHERE scored_at >= @t", at);
        var last = await ScalarAsync(connect, "SELECT MAX(scored_at) FROM leads WHERE scored_at >= @t", at);
        var span = Math.Max(0.001, (last - first) / 1000.0);
        var finished = left == 0 ? "" : Invariant($" NOT FINISHED: {left:N0} still due after {wall:0} s");
        Console.WriteLine(Invariant($"round ({label}): {due - left:N0} of {due:N0} due leads rescored in {span:0.0} s from first to last ({wall:0.0} s wall incl. the wait for the poll), {(due - left) / span:N0} leads/s{finished}"));
        Console.WriteLine(Invariant($"  score changes written: {await ScalarAsync(connect, "SELECT COUNT(*) FROM score_history") - history:N0}; store {await SizeAsync(connect, label):N0} MB"));
        Console.WriteLine($"  POST /leads/{{id}}/events during the round ({o.LiveRate}/s): {writes.Summary()}");
        Console.WriteLine($"  GET /leads/{{id}} during the round ({o.LiveRate}/s): {reads.Summary()}");
    }

    /// <summary>Times the statement each rescoring round starts with (leads scored by another model or rule-set
    /// version), which finds none here and so reads every open lead: the round's fixed cost at this size.</summary>
    private static async Task StaleCheckAsync(Func<DbConnection> connect)
    {
        await using var c = connect();
        await c.OpenAsync();
        string modelVersion, ruleSetVersion;
        await using (var current = c.CreateCommand())
        {
            current.CommandText = "SELECT model_version, rule_set_version FROM leads WHERE model_version IS NOT NULL LIMIT 1";
            await using var r = await current.ExecuteReaderAsync();
            await r.ReadAsync();
            (modelVersion, ruleSetVersion) = (r.GetString(0), r.GetString(1));
        }
        var times = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            await using var cmd = Store.Sql.Command(c, null, Store.LeadStore.ClaimStaleSql, ("m", "sample"), ("mv", modelVersion), ("rv", ruleSetVersion), ("n", 200));
            var watch = Stopwatch.StartNew();
            await using (var r = await cmd.ExecuteReaderAsync()) while (await r.ReadAsync()) { }
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine(Invariant($"stale check (once a round, reads every open lead): {times.Min():0} ms (best of 3)"));
    }

    /// <summary>The store's size on disk in MB (PostgreSQL: the database; SQLite: its pages, WAL not included).</summary>
    private static async Task<long> SizeAsync(Func<DbConnection> connect, string name) =>
        name.StartsWith("PostgreSQL", StringComparison.Ordinal)
            ? await ScalarAsync(connect, "SELECT pg_database_size(current_database())") >> 20
            : await ScalarAsync(connect, "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()") >> 20;

    private static int Pick(Xoshiro256 random, int n)
    {
        lock (random) return random.NextInt(n);
    }

    /// <summary>Sends every body (each read lazily) with <paramref name="connections"/> requests in flight, spread over
    /// the instances; returns how many were sent. A refused request stops the benchmark with the Api's answer.</summary>
    private static async Task<long> SendAllAsync(HttpClient http, ApiInstance[] api, string path, IEnumerable<ByteArrayContent> bodies, int connections)
    {
        long count = 0;
        await Parallel.ForEachAsync(bodies, new ParallelOptions { MaxDegreeOfParallelism = connections }, async (body, ct) =>
        {
            var n = Interlocked.Increment(ref count);
            using var response = await http.PostAsync(new Uri(api[n % api.Length].Address, path), body, ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"POST /{path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
            }
        });
        return count;
    }

    private static IEnumerable<List<(string LeadId, List<SampleEvent> Events)>> EventRequests(SampleHistory sample, int leadsPerRequest)
    {
        var batch = new List<(string, List<SampleEvent>)>(leadsPerRequest);
        foreach (var lead in sample.Events())
        {
            batch.Add(lead);
            if (batch.Count == leadsPerRequest)
            {
                yield return batch;
                batch = new(leadsPerRequest);
            }
        }
        if (batch.Count > 0) yield return batch;
    }

    private static ByteArrayContent LeadsBody(SampleLead[] leads) => Json(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("leads");
        foreach (var l in leads)
        {
            w.WriteStartObject();
            w.WriteString("leadId", l.Id);
            w.WriteString("createdAt", l.CreatedAt);
            if (l.ConvertedAt is { } converted) w.WriteString("convertedAt", converted);
            w.WriteStartObject("attributes");
            foreach (var (k, v) in l.Attributes) w.WriteString(k, v);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static ByteArrayContent EventsBody(List<(string LeadId, List<SampleEvent> Events)> leads) => Json(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("events");
        foreach (var (id, events) in leads)
        {
            foreach (var e in events)
            {
                w.WriteStartObject();
                w.WriteString("leadId", id);
                w.WriteString("eventId", e.EventId);
                w.WriteString("type", e.Type);
                if (e.Detail is not null) w.WriteString("detail", e.Detail);
                w.WriteString("timestamp", e.Timestamp);
                w.WriteEndObject();
            }
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static ByteArrayContent Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer)) write(w);
        var content = new ByteArrayContent(buffer.WrittenMemory.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>Runs one statement on the store and returns its first column as a number (or the rows changed).</summary>
    private static async Task<long> ScalarAsync(Func<DbConnection> connect, string sql, long? t = null)
    {
        await using var c = connect();
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.CommandTimeout = 600;
        if (t is { } value)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = "t";
            p.Value = value;
            cmd.Parameters.Add(p);
        }
        if (sql.StartsWith("UPDATE", StringComparison.Ordinal)) return await cmd.ExecuteNonQueryAsync();
        var v = await cmd.ExecuteScalarAsync();
        return v is null or DBNull ? 0 : Convert.ToInt64(v, CultureInfo.InvariantCulture);
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var sqlite = false;
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i] == "--sqlite") sqlite = true;
            else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length) values[args[i][2..]] = args[++i];
            else throw new ArgumentException($"unexpected argument '{args[i]}'\n{Usage}");
        }
        string Required(string key) => values.TryGetValue(key, out var v) ? v : throw new ArgumentException($"--{key} is required\n{Usage}");
        int Int(string key, int fallback) => values.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var postgres = values.GetValueOrDefault("postgres");
        if (!sqlite && postgres is null) throw new ArgumentException($"name a store: --sqlite, --postgres CONNECTION or both\n{Usage}");
        return new Options(Required("history"), Int("leads", 0) is > 0 and var n ? n : throw new ArgumentException($"--leads must be at least 1\n{Usage}"),
            Required("bundle"), Required("work"), sqlite, postgres, Int("instances", 2), Int("leads-per-request", 50), Int("connections", 4),
            values.TryGetValue("live-rate", out var r) ? double.Parse(r, CultureInfo.InvariantCulture) : 20,
            TimeSpan.FromMinutes(Int("round-timeout-minutes", 60)), values.GetValueOrDefault("batch-size"),
            values.TryGetValue("shares", out var shares) ? shares.Split(',', StringSplitOptions.TrimEntries) : new string?[1]);
    }
}
