namespace NvmeLm.NodeAgent.Output;

/// <summary>A controller state file written (save-state) or read (restore-state): its size and SHA-256 (lower-case hex).</summary>
public sealed record StateFileView(int Scid, string File, long Size, string Sha256);
