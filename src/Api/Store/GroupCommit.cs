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

    public GroupCommit(LeadStore store, int maxPerCommit = 256)
    {
        _store = store;
        _max = maxPerCommit;
        _loop = Task.Run(LoopAsync);
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
                        w.Error = e;
                    }
                }
                await tx.CommitAsync();
                foreach (var w in batch) w.Complete();
            }
            catch (Exception e)
            {
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
