namespace NvmeLm.ApiServer.Admission;

/// <summary>Validating admission of writes: returns warnings for the client, or throws the ApiException that denies the write.</summary>
public interface IAdmissionValidator
{
    IReadOnlyList<string> Validate(AdmissionAttributes attributes);
}
