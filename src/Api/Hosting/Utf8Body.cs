using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http.Features;

namespace LeadML.Api.Hosting;

/// <summary>
/// Every JSON body must be UTF-8: one that is not is a 400 problem at <c>$</c> saying so, with the byte offset of the
/// first byte that starts no character, before any of it is read. The serializer would fail somewhere inside with its
/// own words, or not at all where it skips a value. A handler that reads its body itself (the lead reader of
/// <c>/score</c>) is marked <see cref="ReadByHandler"/> and checks it with <see cref="Problem"/>.
/// </summary>
public sealed class Utf8Body(RequestDelegate next)
{
    /// <summary>Endpoint metadata: the handler reads its body whole and checks it with <see cref="Problem"/> itself.</summary>
    public static readonly object ReadByHandler = new ChecksItsOwnBody();

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var hasBody = request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        if (!hasBody || !request.HasJsonContentType() || context.GetEndpoint()?.Metadata.GetMetadata<ChecksItsOwnBody>() is not null
            || context.GetEndpoint() is null)
        {
            await next(context);
            return;
        }
        // The body is read whole (the server's body limit still applies) and checked, then handed on from memory.
        var body = new MemoryStream(request.ContentLength is > 0 and < int.MaxValue ? (int)request.ContentLength : 4096);
        await request.Body.CopyToAsync(body, context.RequestAborted);
        if (Problem(body.GetBuffer().AsSpan(0, (int)body.Length)) is { } problem)
        {
            await Problems.Invalid("$", problem).ExecuteAsync(context);
            return;
        }
        body.Position = 0;
        request.Body = body;
        context.Features.Set<IRequestBodyPipeFeature>(new BodyPipe(body));
        await next(context);
    }

    /// <summary>Why <paramref name="body"/> is not UTF-8 (where its first bad byte is), or null when it is.</summary>
    public static string? Problem(ReadOnlySpan<byte> body)
    {
        if (Utf8.IsValid(body)) return null;
        var at = 0;
        while (Rune.DecodeFromUtf8(body[at..], out _, out var consumed) == OperationStatus.Done) at += consumed;
        return Rune.DecodeFromUtf8(body[at..], out _, out _) == OperationStatus.NeedMoreData
            ? $"the body is not valid UTF-8: it ends in the middle of a character at byte offset {at} (0x{body[at]:X2}); send the body encoded as UTF-8"
            : $"the body is not valid UTF-8: the byte at offset {at} (0x{body[at]:X2}) starts no valid character; send the body encoded as UTF-8";
    }

    private sealed class ChecksItsOwnBody;

    private sealed class BodyPipe(Stream body) : IRequestBodyPipeFeature
    {
        public System.IO.Pipelines.PipeReader Reader { get; } = System.IO.Pipelines.PipeReader.Create(body);
    }
}
