using NvmeLm.ApiServer.Authentication;
using NvmeLm.ApiServer.Storage;

namespace NvmeLm.ApiServer.Authorization;

/// <summary>
/// kube-apiserver's authorization chain in RBAC mode: the privileged-groups authorizer (<c>system:masters</c>
/// may do anything) in front of RBAC over the stored roles and bindings, read into an <see cref="RbacPolicy"/>
/// that is rebuilt when any of them changes and sees every committed change (<see cref="DerivedView{T}"/>).
/// </summary>
public sealed class RbacAuthorizer : IAuthorizer, IDisposable
{
    private readonly DerivedView<RbacPolicy> _policy;

    public RbacAuthorizer(ObjectStore store) =>
        _policy = new DerivedView<RbacPolicy>(store, RbacPolicy.Collections, RbacPolicy.Read);

    public AuthorizationDecision Authorize(AuthorizationAttributes attributes) =>
        attributes.User.InGroup(SystemUsers.MastersGroup)
            ? AuthorizationDecision.Allow()
            : _policy.Current.Authorize(attributes);

    public void Dispose() => _policy.Dispose();
}
