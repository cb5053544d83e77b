namespace NvmeLm.ApiServer.Admission;

/// <summary>The admission operations of a write (kube's admission.Operation; CONNECT has no counterpart here).</summary>
public enum AdmissionOperation
{
    Create,
    Update,
    Delete,
}
