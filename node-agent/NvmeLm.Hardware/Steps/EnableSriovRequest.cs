namespace NvmeLm.Hardware.Steps;

/// <summary>
/// Enable <paramref name="NumVfs"/> VFs, each with <paramref name="QueuesPerVf"/> VQ flexible resources (NVQ,
/// the admin queue included: 2 = admin + one I/O queue pair, reference lab) and <paramref name="InterruptsPerVf"/>
/// VI resources (NVI), and set their secondary controllers online.
/// </summary>
public sealed record EnableSriovRequest(PciAddress Pf, int NumVfs, int QueuesPerVf, int InterruptsPerVf);
