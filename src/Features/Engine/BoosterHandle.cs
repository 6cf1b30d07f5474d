using System.Runtime.InteropServices;

namespace LeadML.Features.Engine;

/// <summary>An XGBoost <c>BoosterHandle</c>, freed with <c>XGBoosterFree</c> exactly once.</summary>
internal sealed class BoosterHandle : SafeHandle
{
    /// <summary>An invalid handle for the marshaller to fill in.</summary>
    public BoosterHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <inheritdoc />
    protected override bool ReleaseHandle() => Native.FreeBooster(handle) == 0;
}
