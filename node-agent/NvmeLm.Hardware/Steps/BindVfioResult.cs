using NvmeLm.Hardware.Steps.Actions;
using NvmeLm.Hardware.Vfio;

namespace NvmeLm.Hardware.Steps;

/// <summary>
/// Result of <see cref="BindVfioStep"/>: the VF, its IOMMU group node, and what the VFIO driver says about
/// migration (<see cref="MigrationFlags"/> is null when not probed: Plan mode, or plain <c>vfio-pci</c>).
/// </summary>
public sealed record BindVfioResult(
    PciAddress Pf,
    bool DryRun,
    IReadOnlyList<HostAction> Actions,
    IReadOnlyList<string> Notes,
    int Scid,
    PciAddress Vf,
    string Driver,
    int? IommuGroup,
    string? VfioGroupPath,
    VfioMigrationFlags? MigrationFlags,
    string MigrationSupport)
    : StepResult(BindVfioStep.Name, Pf, DryRun, Actions, Notes);
