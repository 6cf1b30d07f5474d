using System.Data.Common;
using System.Threading.Channels;

namespace LeadML.Api.Store;

/// <summary>
/// Group commit for SQLite, which has one writer at a time and pays a sync per commit: writes that arrive together
/// run one after another in one transaction, each inside its own savepoint (a failing write rolls back alone and
/// gets its exception), then one commit makes them all durable and every caller is answered after it. A caller is
/// never answered before its write is committed.
/// </summary>
internal sealed class GroupCommit
{
    private readonly Channel<Write> _queue = Channel.CreateUnbounded<Write>(new UnboundedChannelOptions { SingleReader = true });
    private readonly LeadStore _store;
    private readonly int _max;
    private readonly Task _loop;
    private readonly Task _checkpoints;
    private readonly CancellationTokenSource _stopping = new();
    private long _commits;
    private long _walFrames;

    /// <summary>WAL frames (pages) past which the writer itself checkpoints after answering a batch, so that the WAL
    /// starts over: a checkpoint beside a writer that keeps appending rarely completes, and only a complete one lets
    /// the WAL restart from its beginning. About 16 MB with 4 KiB pages.</summary>
    private const long RestartFrames = 4_000;

    public GroupCommit(LeadStore store, int maxPerCommit = 256)
    {
        _store = store;
        _max = maxPerCommit;
        _loop = Task.Run(LoopAsync);
        _checkpoints = Task.Run(CheckpointLoopAsync);
    }

    /// <summary>Copies the WAL into the database file beside the writer rather than inside one of its commits (which
    /// SQLite's automatic checkpoint does, holding every caller of that batch through the copy and its fsyncs). A
    /// PASSIVE checkpoint takes no write lock; it changes nothing about durability, which the WAL's fsync at each
    /// commit already gives.</summary>
    private async Task CheckpointLoopAsync()
    {
        long done = 0;
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), _stopping.Token);
                var commits = Interlocked.Read(ref _commits);
                if (commits == done) continue;
                done = commits;
                try
                {
                    await using var c = await _store.OpenAsync(_stopping.Token);
                    Interlocked.Exchange(ref _walFrames, await CheckpointAsync(c, _stopping.Token));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // the next round tries again, and the writer restarts the WAL when it grows
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>A PASSIVE checkpoint; returns the frames in the WAL.</summary>
    private static async Task<long> CheckpointAsync(DbConnection c, CancellationToken ct)
    {
        var result = await Sql.ListAsync(c, null, "PRAGMA wal_checkpoint(PASSIVE)", r => Sql.Long(r, 1), ct);
        return result.Count == 0 ? 0 : result[0];
    }

    public Task<T> RunAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work)
    {
        var write = new Write<T>(work);
        if (!_queue.Writer.TryWrite(write)) throw new ObjectDisposedException(nameof(GroupCommit), "the store is shutting down");
        return write.Result.Task;
    }

    private async Task LoopAsync()
    {
        var batch = new List<Write>(_max);
        // One connection for the life of the loop, its statements prepared once (SAVEPOINT included): the writer is
        // the bottleneck of ingestion, and parsing the same few statements again for every write was a good part of it.
        // A batch that fails drops the connection, so whatever state broke it goes with it.
        DbConnection? c = null;
        PreparedCommands? prepared = null;
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < _max && _queue.Reader.TryRead(out var w)) batch.Add(w);
            try
            {
                if (c is null)
                {
                    c = await _store.OpenAsync();
                    prepared = Sql.KeepPrepared(c);
                    await Sql.ExecAsync(c, null, "PRAGMA wal_autocheckpoint = 0", default);
                }
                await using var tx = await c.BeginTransactionAsync();
                foreach (var w in batch)
                {
                    await Sql.ExecAsync(c, tx, "SAVEPOINT w", default);
                    try
                    {
                        await w.RunAsync(c, tx);
                        await Sql.ExecAsync(c, tx, "RELEASE w", default);
                    }
                    catch (Exception e)
                    {
                        await Sql.ExecAsync(c, tx, "ROLLBACK TO w", default);
                        await Sql.ExecAsync(c, tx, "RELEASE w", default);
                        _store.Forget();
                        w.Error = e;
                    }
                }
                await tx.CommitAsync();
                Interlocked.Increment(ref _commits);
                foreach (var w in batch) w.Complete();
                if (Interlocked.Read(ref _walFrames) > RestartFrames)
                {
                    await CheckpointAsync(c, default);
                    Interlocked.Exchange(ref _walFrames, 0);
                }
            }
            catch (Exception e)
            {
                _store.Forget();
                foreach (var w in batch) w.Fail(e);
                prepared?.Dispose();
                prepared = null;
                if (c is not null) await c.DisposeAsync();
                c = null;
            }
        }
        prepared?.Dispose();
        if (c is not null) await c.DisposeAsync();
    }

    public async Task StopAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        await _stopping.CancelAsync();
        await _checkpoints;
        _stopping.Dispose();
    }

    private abstract class Write
    {
        public Exception? Error { get; set; }
        public abstract Task RunAsync(DbConnection c, DbTransaction tx);
        public abstract void Complete();
        public abstract void Fail(Exception e);
    }

    private sealed class Write<T>(Func<DbConnection, DbTransaction, Task<T>> work) : Write
    {
        private T? _value;
        public TaskCompletionSource<T> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task RunAsync(DbConnection c, DbTransaction tx) => _value = await work(c, tx);

        public override void Complete()
        {
            if (Error is not null) Result.TrySetException(Error);
            else Result.TrySetResult(_value!);
        }

        public override void Fail(Exception e) => Result.TrySetException(e);
    }
}

