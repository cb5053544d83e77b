namespace NvmeLm.ApiServer.Http;

/// <summary>
/// kube-apiserver's request size limit: <c>MaxRequestBodyBytes</c> defaults to 3 MiB
/// (kubernetes/kubernetes <c>staging/src/k8s.io/apiserver/pkg/server/config.go</c>), enforced while the
/// body is read (<c>limitedReadBody</c> in <c>…/endpoints/handlers/rest.go</c>) and answered with
/// <c>NewRequestEntityTooLargeError("limit is 3145728")</c> — a 413 Status, reason RequestEntityTooLarge.
/// </summary>
public static class RequestLimits
{
    public const int MaxRequestBodyBytes = 3 * 1024 * 1024;

    public static ApiException TooLarge() =>
        new(413, "RequestEntityTooLarge", $"Request entity too large: limit is {MaxRequestBodyBytes}");
}
