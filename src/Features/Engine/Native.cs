using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace LeadML.Features.Engine;

/// <summary>
/// The XGBoost C API (1.7), as used here. Each internal method is named after the C function it calls, checks its
/// return code (nonzero becomes an <see cref="XGBoostException"/> carrying <c>XGBGetLastError</c>) and copies every
/// buffer XGBoost returns before returning: those buffers are thread-local and only valid until the next XGBoost call
/// on the same thread. Strings go in as pre-encoded NUL-terminated UTF-8 (<see cref="Utf8Z"/>).
/// </summary>
/// <remarks>
/// The library is found by a resolver on this assembly that tries <c>libxgboost.so.0</c> (Debian's libxgboost0),
/// then <c>libxgboost.so</c> (only present with libxgboost-dev), then <c>xgboost</c>.
/// </remarks>
internal static unsafe partial class Native
{
    private const string Lib = "xgboost";

    /// <summary>The names tried, in order, when the runtime asks for <see cref="Lib"/>.</summary>
    internal static readonly string[] LibraryCandidates = ["libxgboost.so.0", "libxgboost.so", "xgboost"];

    /// <summary>The hint given when none of <see cref="LibraryCandidates"/> loads.</summary>
    internal const string InstallHint = "install it with `apt-get install -y libxgboost0` (scripts/setup.sh does this)";

    private static ReadOnlySpan<byte> LabelField => "label\0"u8;
    private static ReadOnlySpan<byte> WeightField => "weight\0"u8;

    // An explicit static constructor makes the runtime run it before the first call of any method here, so the
    // resolver is in place before the first P/Invoke stub binds.
    static Native()
    {
        NativeLibrary.SetDllImportResolver(typeof(Native).Assembly, Resolve);
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == Lib ? LoadFirst(LibraryCandidates, assembly, searchPath) : IntPtr.Zero;

    /// <summary>Loads the first of <paramref name="candidates"/> that loads, or throws a
    /// <see cref="DllNotFoundException"/> naming every candidate and how to install the library.</summary>
    internal static nint LoadFirst(IReadOnlyList<string> candidates, Assembly assembly, DllImportSearchPath? searchPath)
    {
        foreach (var name in candidates)
        {
            if (NativeLibrary.TryLoad(name, assembly, searchPath, out var handle)) return handle;
        }
        throw new DllNotFoundException(
            $"The XGBoost native library was not found (tried {string.Join(", ", candidates)}); {InstallHint}.");
    }

    /// <summary>Encodes <paramref name="text"/> as UTF-8 with a terminating NUL, for a C <c>const char*</c>.</summary>
    internal static byte[] Utf8Z(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    private static void Check(int rc, string function)
    {
        if (rc != 0) throw new XGBoostException(function, rc, LastError());
    }

    private static string LastError()
    {
        var p = XGBGetLastError();
        return p is null ? string.Empty : Marshal.PtrToStringUTF8((nint)p) ?? string.Empty;
    }

    // ---- raw imports: private, so that nothing calls them without checking the return code ----

    [LibraryImport(Lib)]
    private static partial byte* XGBGetLastError();

    [LibraryImport(Lib, EntryPoint = "XGBoostVersion")]
    private static partial void XGBoostVersionRaw(out int major, out int minor, out int patch);

    [LibraryImport(Lib, EntryPoint = "XGDMatrixCreateFromMat")]
    private static partial int XGDMatrixCreateFromMatRaw(float* data, ulong nrow, ulong ncol, float missing, out DMatrixHandle handle);

    [LibraryImport(Lib, EntryPoint = "XGProxyDMatrixCreate")]
    private static partial int XGProxyDMatrixCreateRaw(out DMatrixHandle handle);

    [LibraryImport(Lib, EntryPoint = "XGProxyDMatrixSetDataDense")]
    private static partial int XGProxyDMatrixSetDataDenseRaw(DMatrixHandle proxy, byte* arrayInterface);

    [LibraryImport(Lib, EntryPoint = "XGQuantileDMatrixCreateFromCallback")]
    private static partial int XGQuantileDMatrixCreateFromCallbackRaw(nint iterator, DMatrixHandle proxy, nint reference,
        delegate* unmanaged<nint, void> reset, delegate* unmanaged<nint, int> next, byte* config, out DMatrixHandle handle);

    [LibraryImport(Lib, EntryPoint = "XGDMatrixSetFloatInfo")]
    private static partial int XGDMatrixSetFloatInfoRaw(DMatrixHandle dmat, byte* field, float* array, ulong len);

    [LibraryImport(Lib, EntryPoint = "XGDMatrixFree")]
    private static partial int XGDMatrixFreeRaw(nint dmat);

    [LibraryImport(Lib, EntryPoint = "XGBoosterCreate")]
    private static partial int XGBoosterCreateRaw(nint* dmats, ulong len, out BoosterHandle booster);

    [LibraryImport(Lib, EntryPoint = "XGBoosterFree")]
    private static partial int XGBoosterFreeRaw(nint booster);

    [LibraryImport(Lib, EntryPoint = "XGBoosterSetParam")]
    private static partial int XGBoosterSetParamRaw(BoosterHandle booster, byte* name, byte* value);

    [LibraryImport(Lib, EntryPoint = "XGBoosterUpdateOneIter")]
    private static partial int XGBoosterUpdateOneIterRaw(BoosterHandle booster, int iter, DMatrixHandle dtrain);

    [LibraryImport(Lib, EntryPoint = "XGBoosterEvalOneIter")]
    private static partial int XGBoosterEvalOneIterRaw(BoosterHandle booster, int iter, nint* dmats, byte** evnames, ulong len, out byte* result);

    [LibraryImport(Lib, EntryPoint = "XGBoosterPredict")]
    private static partial int XGBoosterPredictRaw(BoosterHandle booster, DMatrixHandle dmat, int optionMask, uint ntreeLimit, int training, out ulong outLen, out float* outResult);

    [LibraryImport(Lib, EntryPoint = "XGBoosterPredictFromDMatrix")]
    private static partial int XGBoosterPredictFromDMatrixRaw(BoosterHandle booster, DMatrixHandle dmat, byte* config, out ulong* outShape, out ulong outDim, out float* outResult);

    [LibraryImport(Lib, EntryPoint = "XGBoosterLoadModelFromBuffer")]
    private static partial int XGBoosterLoadModelFromBufferRaw(BoosterHandle booster, byte* buf, ulong len);

    [LibraryImport(Lib, EntryPoint = "XGBoosterSaveModelToBuffer")]
    private static partial int XGBoosterSaveModelToBufferRaw(BoosterHandle booster, byte* config, out ulong outLen, out byte* outDptr);

    [LibraryImport(Lib, EntryPoint = "XGBoosterSaveJsonConfig")]
    private static partial int XGBoosterSaveJsonConfigRaw(BoosterHandle booster, out ulong outLen, out byte* outStr);

    [LibraryImport(Lib, EntryPoint = "XGBoosterBoostedRounds")]
    private static partial int XGBoosterBoostedRoundsRaw(BoosterHandle booster, out int rounds);

    [LibraryImport(Lib, EntryPoint = "XGBoosterGetNumFeature")]
    private static partial int XGBoosterGetNumFeatureRaw(BoosterHandle booster, out ulong features);

    [LibraryImport(Lib, EntryPoint = "XGBoosterSlice")]
    private static partial int XGBoosterSliceRaw(BoosterHandle booster, int beginLayer, int endLayer, int step, out BoosterHandle sliced);

    // ---- checked wrappers ----

    /// <summary>The library's version, e.g. 1.7.4 (Debian names the file <c>.so.1.6.0</c>; trust this instead).</summary>
    internal static Version XGBoostVersion()
    {
        XGBoostVersionRaw(out var major, out var minor, out var patch);
        return new Version(major, minor, patch);
    }

    /// <summary>A dense DMatrix from row-major <paramref name="values"/>; NaN marks a missing value.</summary>
    internal static DMatrixHandle XGDMatrixCreateFromMat(ReadOnlySpan<float> values, int rows, int cols)
    {
        fixed (float* p = values)
        {
            var rc = XGDMatrixCreateFromMatRaw(p, (ulong)rows, (ulong)cols, float.NaN, out var handle);
            if (rc != 0)
            {
                handle.Dispose();
                Check(rc, nameof(XGDMatrixCreateFromMat));
            }
            return handle;
        }
    }

    /// <summary>A quantile DMatrix (XGBoost's <c>QuantileDMatrix</c>) over row-major <paramref name="values"/>: the
    /// values are handed over <paramref name="batchRows"/> rows at a time through a proxy and kept only as histogram
    /// bin indices (a byte per value for up to 256 bins), where <see cref="XGDMatrixCreateFromMat"/> keeps an index
    /// and a value per cell (8 bytes). Labels and weights go with each batch, so that the quantiles are weighted as the
    /// <c>hist</c> method weights them on an ordinary matrix. With <paramref name="reference"/> the bins are the
    /// reference's (a validation matrix must be cut like its training matrix). NaN marks a missing value.</summary>
    internal static DMatrixHandle XGQuantileDMatrixCreateFromDense(ReadOnlySpan<float> values, int rows, int cols, ReadOnlySpan<float> labels,
        ReadOnlySpan<float> weights, DMatrixHandle? reference, int threads, int batchRows)
    {
        var proxyRc = XGProxyDMatrixCreateRaw(out var proxy);
        if (proxyRc != 0)
        {
            proxy.Dispose();
            Check(proxyRc, "XGProxyDMatrixCreate");
        }
        using (proxy)
        fixed (float* v = values)
        fixed (float* l = labels)
        fixed (float* w = weights)
        {
            var batches = new DenseBatches(proxy, v, rows, cols, l, w, batchRows);
            var self = GCHandle.Alloc(batches);
            var added = false;
            try
            {
                var referenceHandle = nint.Zero;
                if (reference is not null)
                {
                    reference.DangerousAddRef(ref added);
                    referenceHandle = reference.DangerousGetHandle();
                }
                var config = Utf8Z(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{{\"missing\": NaN, \"nthread\": {threads}}}"));
                fixed (byte* c = config)
                {
                    var rc = XGQuantileDMatrixCreateFromCallbackRaw(GCHandle.ToIntPtr(self), proxy, referenceHandle, &ResetBatches, &NextBatch, c, out var handle);
                    if (batches.Error is { } error)
                    {
                        handle.Dispose();
                        throw error;
                    }
                    if (rc != 0)
                    {
                        handle.Dispose();
                        Check(rc, "XGQuantileDMatrixCreateFromCallback");
                    }
                    return handle;
                }
            }
            finally
            {
                self.Free();
                if (added) reference!.DangerousRelease();
            }
        }
    }

    [UnmanagedCallersOnly]
    private static void ResetBatches(nint batches) => ((DenseBatches)GCHandle.FromIntPtr(batches).Target!).Reset();

    [UnmanagedCallersOnly]
    private static int NextBatch(nint batches)
    {
        var b = (DenseBatches)GCHandle.FromIntPtr(batches).Target!;
        // An exception must not cross into native code: it is kept and thrown once XGBoost has returned.
        try
        {
            return b.Next() ? 1 : 0;
        }
        catch (Exception e)
        {
            b.Error = e;
            return 0;
        }
    }

    /// <summary>Pinned row-major values (and their labels and weights) handed to a proxy DMatrix a batch at a time.</summary>
    private sealed class DenseBatches(DMatrixHandle proxy, float* values, int rows, int cols, float* labels, float* weights, int batchRows)
    {
        private int _next;

        public Exception? Error { get; set; }

        public void Reset() => _next = 0;

        public bool Next()
        {
            if (_next >= rows) return false;
            var n = Math.Min(batchRows, rows - _next);
            var start = values + (long)_next * cols;
            var arrayInterface = Utf8Z(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{{\"data\": [{(ulong)start}, true], \"shape\": [{n}, {cols}], \"strides\": null, \"typestr\": \"<f4\", \"version\": 3}}"));
            fixed (byte* a = arrayInterface)
            {
                Check(XGProxyDMatrixSetDataDenseRaw(proxy, a), "XGProxyDMatrixSetDataDense");
            }
            if (labels is not null) SetFloatInfo(proxy, LabelField, new ReadOnlySpan<float>(labels + _next, n));
            if (weights is not null) SetFloatInfo(proxy, WeightField, new ReadOnlySpan<float>(weights + _next, n));
            _next += n;
            return true;
        }
    }

    /// <summary>Sets the <c>label</c> field.</summary>
    internal static void XGDMatrixSetLabel(DMatrixHandle dmat, ReadOnlySpan<float> labels) => SetFloatInfo(dmat, LabelField, labels);

    /// <summary>Sets the <c>weight</c> field (one weight per row).</summary>
    internal static void XGDMatrixSetWeight(DMatrixHandle dmat, ReadOnlySpan<float> weights) => SetFloatInfo(dmat, WeightField, weights);

    private static void SetFloatInfo(DMatrixHandle dmat, ReadOnlySpan<byte> field, ReadOnlySpan<float> values)
    {
        fixed (byte* f = field)
        fixed (float* v = values)
        {
            Check(XGDMatrixSetFloatInfoRaw(dmat, f, v, (ulong)values.Length), "XGDMatrixSetFloatInfo");
        }
    }

    /// <summary>Frees a DMatrix; only <see cref="DMatrixHandle"/> calls this. Returns the raw code (no throw in a
    /// release path).</summary>
    internal static int FreeDMatrix(nint dmat) => XGDMatrixFreeRaw(dmat);

    /// <summary>Frees a booster; only <see cref="BoosterHandle"/> calls this. Returns the raw code.</summary>
    internal static int FreeBooster(nint booster) => XGBoosterFreeRaw(booster);

    /// <summary>Creates a booster whose prediction cache holds <paramref name="cache"/>. Training needs the training
    /// matrix here: a booster created with an empty list fails at the first update ("num_feature != 0").</summary>
    internal static BoosterHandle XGBoosterCreate(ReadOnlySpan<DMatrixHandle> cache)
    {
        var raw = stackalloc nint[Math.Max(1, cache.Length)];
        var added = 0;
        try
        {
            for (; added < cache.Length; added++)
            {
                var ok = false;
                cache[added].DangerousAddRef(ref ok);
                raw[added] = cache[added].DangerousGetHandle();
            }
            var rc = XGBoosterCreateRaw(cache.Length == 0 ? null : raw, (ulong)cache.Length, out var booster);
            if (rc != 0)
            {
                booster.Dispose();
                Check(rc, nameof(XGBoosterCreate));
            }
            return booster;
        }
        finally
        {
            for (var i = 0; i < added; i++) cache[i].DangerousRelease();
        }
    }

    /// <summary>Sets one parameter. XGBoost validates many values lazily: a bad <c>tree_method</c> returns success here
    /// and fails at the next update.</summary>
    internal static void XGBoosterSetParam(BoosterHandle booster, string name, string value)
    {
        fixed (byte* n = Utf8Z(name))
        fixed (byte* v = Utf8Z(value))
        {
            Check(XGBoosterSetParamRaw(booster, n, v), nameof(XGBoosterSetParam));
        }
    }

    /// <summary>Runs boosting round <paramref name="iteration"/> on <paramref name="train"/>.</summary>
    internal static void XGBoosterUpdateOneIter(BoosterHandle booster, int iteration, DMatrixHandle train) =>
        Check(XGBoosterUpdateOneIterRaw(booster, iteration, train), nameof(XGBoosterUpdateOneIter));

    /// <summary>Evaluates the configured metrics on <paramref name="matrix"/>; returns XGBoost's line, e.g.
    /// <c>[3]\tvalid-logloss:0.512</c>.</summary>
    internal static string XGBoosterEvalOneIter(BoosterHandle booster, int iteration, DMatrixHandle matrix, string name)
    {
        var added = false;
        matrix.DangerousAddRef(ref added);
        try
        {
            var dm = matrix.DangerousGetHandle();
            fixed (byte* n = Utf8Z(name))
            {
                var names = n;
                Check(XGBoosterEvalOneIterRaw(booster, iteration, &dm, &names, 1, out var result), nameof(XGBoosterEvalOneIter));
                return Marshal.PtrToStringUTF8((nint)result) ?? string.Empty;
            }
        }
        finally
        {
            if (added) matrix.DangerousRelease();
        }
    }

    /// <summary>Predicts with all trees. <paramref name="optionMask"/>: 0 value, 1 margin, 4 exact TreeSHAP
    /// contributions (rows × (features + 1), bias last), 12 approximate (Saabas) contributions.</summary>
    internal static float[] XGBoosterPredict(BoosterHandle booster, DMatrixHandle matrix, int optionMask)
    {
        Check(XGBoosterPredictRaw(booster, matrix, optionMask, 0, 0, out var length, out var result), nameof(XGBoosterPredict));
        return new ReadOnlySpan<float>(result, checked((int)length)).ToArray();
    }

    /// <summary>Predicts with a JSON configuration such as
    /// <c>{"type": 1, "training": false, "iteration_begin": 0, "iteration_end": 10, "strict_shape": false}</c>
    /// (type 0 value, 1 margin, 2 contributions, 3 approximate contributions); returns the values and their shape.</summary>
    internal static (float[] Values, ulong[] Shape) XGBoosterPredictFromDMatrix(BoosterHandle booster, DMatrixHandle matrix, string configJson)
    {
        fixed (byte* c = Utf8Z(configJson))
        {
            Check(XGBoosterPredictFromDMatrixRaw(booster, matrix, c, out var shape, out var dim, out var result), nameof(XGBoosterPredictFromDMatrix));
            var dims = new ReadOnlySpan<ulong>(shape, checked((int)dim)).ToArray();
            ulong length = 1;
            foreach (var d in dims) length *= d;
            return (new ReadOnlySpan<float>(result, checked((int)length)).ToArray(), dims);
        }
    }

    /// <summary>Loads a model (UBJ, JSON or the deprecated binary format, detected from the bytes).</summary>
    internal static void XGBoosterLoadModelFromBuffer(BoosterHandle booster, ReadOnlySpan<byte> model)
    {
        fixed (byte* p = model)
        {
            Check(XGBoosterLoadModelFromBufferRaw(booster, p, (ulong)model.Length), nameof(XGBoosterLoadModelFromBuffer));
        }
    }

    /// <summary>Saves the model; <paramref name="configJson"/> is <c>{"format":"ubj"}</c> or <c>{"format":"json"}</c>.</summary>
    internal static byte[] XGBoosterSaveModelToBuffer(BoosterHandle booster, string configJson)
    {
        fixed (byte* c = Utf8Z(configJson))
        {
            Check(XGBoosterSaveModelToBufferRaw(booster, c, out var length, out var data), nameof(XGBoosterSaveModelToBuffer));
            return new ReadOnlySpan<byte>(data, checked((int)length)).ToArray();
        }
    }

    /// <summary>The learner's full configuration (objective, parameters, base score) as JSON.</summary>
    internal static string XGBoosterSaveJsonConfig(BoosterHandle booster)
    {
        Check(XGBoosterSaveJsonConfigRaw(booster, out var length, out var text), nameof(XGBoosterSaveJsonConfig));
        return Encoding.UTF8.GetString(text, checked((int)length));
    }

    /// <summary>The number of boosting rounds in the model.</summary>
    internal static int XGBoosterBoostedRounds(BoosterHandle booster)
    {
        Check(XGBoosterBoostedRoundsRaw(booster, out var rounds), nameof(XGBoosterBoostedRounds));
        return rounds;
    }

    /// <summary>The number of features the model was trained on.</summary>
    internal static int XGBoosterGetNumFeature(BoosterHandle booster)
    {
        Check(XGBoosterGetNumFeatureRaw(booster, out var features), nameof(XGBoosterGetNumFeature));
        return checked((int)features);
    }

    /// <summary>A new booster holding rounds [<paramref name="begin"/>, <paramref name="end"/>) of
    /// <paramref name="booster"/>.</summary>
    internal static BoosterHandle XGBoosterSlice(BoosterHandle booster, int begin, int end)
    {
        var rc = XGBoosterSliceRaw(booster, begin, end, 1, out var sliced);
        if (rc != 0)
        {
            sliced.Dispose();
            Check(rc, nameof(XGBoosterSlice));
        }
        return sliced;
    }
}
