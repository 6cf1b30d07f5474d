using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using LeadML.Api.Hosting;

namespace LeadML.Api.Scoring;

/// <summary>
/// The answer of <c>POST /score/batch</c>, written item by item: an item whose answer cannot be written becomes that
/// item's error (counted as failed), so the answer is always whole, valid JSON. Written straight to the response, a
/// failure in the middle would have left half a 200 answer with a problem glued on and the whole batch lost.
/// </summary>
internal sealed class BatchAnswer : IResult
{
    /// <summary>What an item whose answer could not be written says instead.</summary>
    internal const string Unwritable = "the lead was read but its answer could not be written; the error is logged";

    private static readonly byte[] End = "]}"u8.ToArray();

    private readonly int _scored;
    private readonly int _failed;
    private readonly Buffer _items;

    private BatchAnswer(int scored, int failed, Buffer items) => (_scored, _failed, _items) = (scored, failed, items);

    /// <summary>Writes every item (as <paramref name="info"/> writes one) into a pooled buffer; an item that fails is
    /// replaced by its error, whose failure is logged to <paramref name="log"/>.</summary>
    public static BatchAnswer Of(IReadOnlyList<BatchItem> items, JsonTypeInfo<BatchItem> info, ILogger log)
    {
        var buffer = new Buffer();
        var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        var failed = 0;
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0) buffer.Write(","u8);
            var item = items[i];
            var mark = buffer.Length;
            try
            {
                JsonSerializer.Serialize(writer, item, info);
                writer.Flush();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Log.BatchItemUnwritable(log, e, i);
                buffer.Truncate(mark);
                writer.Reset(buffer);
                item = new BatchItem(item.Index, null, new BatchError($"$.leads[{item.Index}]", Unwritable));
                JsonSerializer.Serialize(writer, item, info);
                writer.Flush();
            }
            writer.Reset(buffer);
            if (item.Error is not null) failed++;
        }
        return new BatchAnswer(items.Count - failed, failed, buffer);
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        try
        {
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/json; charset=utf-8";
            var head = System.Text.Encoding.UTF8.GetBytes($"{{\"scored\":{_scored},\"failed\":{_failed},\"items\":[");
            response.ContentLength = head.Length + _items.Length + 2;
            await response.Body.WriteAsync(head, httpContext.RequestAborted);
            await response.Body.WriteAsync(_items.Written, httpContext.RequestAborted);
            await response.Body.WriteAsync(End, httpContext.RequestAborted);
        }
        finally
        {
            _items.Dispose();
        }
    }

    /// <summary>A growing buffer of pooled bytes that can be cut back to an earlier length.</summary>
    private sealed class Buffer : IBufferWriter<byte>, IDisposable
    {
        private byte[] _bytes = ArrayPool<byte>.Shared.Rent(16 * 1024);

        public int Length { get; private set; }

        public ReadOnlyMemory<byte> Written => _bytes.AsMemory(0, Length);

        public void Truncate(int length) => Length = length;

        public void Write(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(GetSpan(bytes.Length));
            Advance(bytes.Length);
        }

        public void Advance(int count) => Length += count;

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return _bytes.AsMemory(Length);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return _bytes.AsSpan(Length);
        }

        private void Ensure(int sizeHint)
        {
            if (_bytes.Length - Length >= Math.Max(sizeHint, 256)) return;
            var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(2L * _bytes.Length, (long)Length + sizeHint + 256), Array.MaxLength));
            _bytes.AsSpan(0, Length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_bytes);
            _bytes = larger;
        }

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(_bytes);
            _bytes = [];
            Length = 0;
        }
    }
}
