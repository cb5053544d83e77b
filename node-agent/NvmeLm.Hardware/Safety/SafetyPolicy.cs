namespace NvmeLm.Hardware.Safety;

/// <summary>
/// The caller's explicit selection: the physical functions the agent may reconfigure. Anything else is
/// refused, whatever the request says (DESIGN §5: never touch a PF that no pool selects).
/// </summary>
public sealed class SafetyPolicy
{
    private readonly HashSet<PciAddress> _selectedPfs;

    public SafetyPolicy(IEnumerable<PciAddress> selectedPfs)
    {
        _selectedPfs = [.. selectedPfs];
    }

    public IReadOnlyCollection<PciAddress> SelectedPfs => _selectedPfs;

    public bool IsSelected(PciAddress pf) => _selectedPfs.Contains(pf);

    public void EnsureSelected(PciAddress pf)
    {
        if (!IsSelected(pf))
        {
            string selected = _selectedPfs.Count == 0 ? "none" : string.Join(", ", _selectedPfs.Order());
            throw new HardwareRefusedException(RefusalReason.NotSelected,
                $"PF {pf} is not selected for reconfiguration (selected: {selected}); refusing to touch it");
        }
    }
}
