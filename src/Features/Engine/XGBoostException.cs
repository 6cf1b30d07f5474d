namespace LeadML.Features.Engine;

/// <summary>
/// A call into the XGBoost library returned an error. Carries the C API function that failed, its return code and
/// the library's own message (from <c>XGBGetLastError</c>), e.g. <c>Invalid Input: 'nonsense', valid values are…</c>.
/// </summary>
public sealed class XGBoostException : Exception
{
    /// <summary>Creates the exception for a failed call of <paramref name="function"/>.</summary>
    /// <param name="function">The C API function that failed, e.g. <c>XGBoosterUpdateOneIter</c>.</param>
    /// <param name="returnCode">Its nonzero return code.</param>
    /// <param name="nativeMessage">XGBoost's message for the failure; may be empty.</param>
    public XGBoostException(string function, int returnCode, string nativeMessage)
        : base(Describe(function, returnCode, nativeMessage))
    {
        Function = function;
        ReturnCode = returnCode;
        NativeMessage = nativeMessage;
    }

    /// <summary>The C API function that failed, e.g. <c>XGBoosterLoadModelFromBuffer</c>.</summary>
    public string Function { get; }

    /// <summary>The nonzero value the function returned (XGBoost uses -1 for errors).</summary>
    public int ReturnCode { get; }

    /// <summary>XGBoost's complete message, including any native stack trace it appended.</summary>
    public string NativeMessage { get; }

    private static string Describe(string function, int returnCode, string nativeMessage)
    {
        // XGBoost appends a native stack trace to some messages; it helps nobody reading the exception message.
        var text = nativeMessage;
        var trace = text.IndexOf("Stack trace:", StringComparison.Ordinal);
        if (trace >= 0) text = text[..trace];
        text = text.Trim();
        if (text.Length == 0) text = "(XGBoost gave no message)";
        return $"XGBoost {function} failed (return code {returnCode}): {text}";
    }
}
