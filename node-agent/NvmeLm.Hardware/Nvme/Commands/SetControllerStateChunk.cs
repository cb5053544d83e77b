namespace NvmeLm.Hardware.Nvme.Commands;

/// <summary>One command of a <see cref="SetControllerStatePlan"/>: the bytes <c>[Offset, Offset + Length)</c> of the state.</summary>
public readonly record struct SetControllerStateChunk(int Offset, int Length, MigrationSendCommand Command);
