namespace NvmeLm.Hardware.Nvme.Structures;

internal static class StructureGuard
{
    public static void RequireLength(int actual, int required, string structure)
    {
        if (actual < required)
        {
            throw new ArgumentException($"{structure} data needs {required} bytes, got {actual}.");
        }
    }
}
