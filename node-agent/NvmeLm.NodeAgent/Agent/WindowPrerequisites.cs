using NvmeLm.Hardware.Steps;

namespace NvmeLm.NodeAgent.Agent;

/// <summary>
/// What the critical section (Suspend … Resume, DESIGN §4.1) needs from this host, exercised once when the agent
/// starts, so that a host that lacks it fails the start instead of a migration whose source controller is already
/// suspended — and so that their one-time set-up cost is not paid inside a device downtime:
/// <list type="bullet">
/// <item>the operation journal can be written durably (its directory exists on the hostPath and is writable; the
/// first Suspend used to be the first write of this file);</item>
/// <item>SHA-256 works: .NET computes it through OpenSSL, which it loads with dlopen on first use, and without
/// libssl.so.3/libcrypto.so.3 the runtime aborts the process there (build/README.md, "At run time") — formerly in
/// the middle of a SaveState. The digest of the empty input is checked against FIPS 180-4's known value.</item>
/// </list>
/// </summary>
internal static class WindowPrerequisites
{
    /// <summary>SHA-256 of the empty message (FIPS 180-4; e.g. <c>sha256sum &lt;/dev/null</c>).</summary>
    internal const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    public static void Check(OperationJournal operations)
    {
        operations.Write();
        string digest = ControllerStateBlob.HashOf([]);
        if (digest != EmptySha256)
        {
            throw new InvalidOperationException($"SHA-256 of the empty input is {digest}, not {EmptySha256}: controller states cannot be verified on this host");
        }
    }
}
