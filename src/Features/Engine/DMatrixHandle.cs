using System.Runtime.InteropServices;

namespace LeadML.Features.Engine;

/// <summary>An XGBoost <c>DMatrixHandle</c>, freed with <c>XGDMatrixFree</c> exactly once.</summary>
internal sealed class DMatrixHandle : SafeHandle
{
    /// <summary>An invalid handle for the marshaller to fill in.</summary>
    public DMatrixHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <inheritdoc />
    protected override bool ReleaseHandle() => Native.FreeDMatrix(handle) == 0;
}
