using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace LeadML.Api.Hosting;

/// <summary>
/// Kestrel's buffers in blocks larger than its default 4 KB (<c>LeadML:ReceiveBlockBytes</c>, 32 KB unless set): the
/// socket reads a request body as far as one block at a time, so a batch of 1,000 leads (about 450 KB) takes about 17
/// receive calls instead of 110, and answers go out in fewer pieces. Blocks are pinned arrays kept for reuse when
/// returned (up to <see cref="MaxKept"/>), counted in <c>leadml_receive_blocks_total</c>. The price is memory: an open
/// connection holds a block while it waits for data.
/// </summary>
public sealed class LargeBlockMemoryPool(int blockSize) : MemoryPool<byte>
{
    /// <summary>Kestrel asks for blocks of up to 4 KB; a smaller block would not serve it.</summary>
    public const int MinBlockSize = 4096;
    public const int MaxKept = 1024;

    private readonly ConcurrentQueue<byte[]> _free = new();
    private int _kept;
    private long _rented;
    private readonly Prometheus.Counter.Child _counted = ApiMetrics.ReceiveBlocksOf(blockSize);

    public override int MaxBufferSize { get; } = blockSize >= MinBlockSize
        ? blockSize
        : throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, $"at least {MinBlockSize} bytes");

    /// <summary>Blocks waiting for reuse, and blocks handed out so far (for tests).</summary>
    public int Kept => Volatile.Read(ref _kept);
    public long Rented => Interlocked.Read(ref _rented);

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        if (minBufferSize > MaxBufferSize) throw new ArgumentOutOfRangeException(nameof(minBufferSize), minBufferSize, $"at most {MaxBufferSize} bytes");
        Interlocked.Increment(ref _rented);
        _counted.Inc();
        if (_free.TryDequeue(out var block)) Interlocked.Decrement(ref _kept);
        else block = GC.AllocateUninitializedArray<byte>(MaxBufferSize, pinned: true);
        return new Owner(this, block);
    }

    private void Return(byte[] block)
    {
        if (Interlocked.Increment(ref _kept) > MaxKept)
        {
            Interlocked.Decrement(ref _kept);
            return;
        }
        _free.Enqueue(block);
    }

    protected override void Dispose(bool disposing)
    {
        while (_free.TryDequeue(out _)) Interlocked.Decrement(ref _kept);
    }

    private sealed class Owner(LargeBlockMemoryPool pool, byte[] block) : IMemoryOwner<byte>
    {
        private byte[]? _block = block;

        public Memory<byte> Memory => _block ?? throw new ObjectDisposedException(nameof(LargeBlockMemoryPool));

        public void Dispose()
        {
            var block = Interlocked.Exchange(ref _block, null);
            if (block is not null) pool.Return(block);
        }
    }

    /// <summary>What Kestrel asks for its pools.</summary>
    public sealed class Factory(int blockSize) : IMemoryPoolFactory<byte>
    {
        public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool(blockSize);
    }
}

/// <summary>How Kestrel reads from its sockets.</summary>
public static class SocketReading
{
    /// <summary>With <c>LeadML:ReceiveBlockBytes</c> above 0 (the default 32 KB): blocks of that size, and a read goes
    /// straight for the data instead of first waiting for it with an empty read (which doubled the system calls of a
    /// batch body). 0 keeps Kestrel's defaults, for a server holding very many idle connections.</summary>
    public static void Configure(WebApplicationBuilder builder, LeadMlOptions settings)
    {
        if (settings.ReceiveBlockBytes == 0) return;
        if (settings.ReceiveBlockBytes < LargeBlockMemoryPool.MinBlockSize)
        {
            throw new InvalidOperationException($"LeadML:ReceiveBlockBytes is {settings.ReceiveBlockBytes}: use 0 (Kestrel's defaults) or at least {LargeBlockMemoryPool.MinBlockSize}");
        }
        builder.WebHost.UseSockets(o => o.WaitForDataBeforeAllocatingBuffer = false);
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>>(new LargeBlockMemoryPool.Factory(settings.ReceiveBlockBytes));
    }
}
