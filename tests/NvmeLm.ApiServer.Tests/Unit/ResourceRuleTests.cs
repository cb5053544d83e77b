using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Admission;
using NvmeLm.ApiServer.Authentication;
using NvmeLm.ApiServer.Builtins;
using NvmeLm.ApiServer.Resources;

namespace NvmeLm.ApiServer.Tests.Unit;

/// <summary>Admission resource rules as kube's rule matcher (webhook/predicates/rules/rules.go) and policy matching.go.</summary>
public sealed class ResourceRuleTests
{
    private static readonly IReadOnlyList<ResourceType> s_types = BuiltinResources.Create(DefaultStrategy.Instance);

    private static AdmissionAttributes Request(AdmissionOperation operation, string plural, string subresource = "", string ns = "default", string name = "x") =>
        new(operation, s_types.Single(t => t.Plural == plural && t.Group.Length == 0), subresource, ns, name, new JsonObject(), null, false,
            new UserInfo("u", "", [], UserInfo.NoExtra));

    public static TheoryData<string, AdmissionAttributes, bool> Cases => new()
    {
        { """{"apiGroups":[""],"apiVersions":["v1"],"operations":["CREATE"],"resources":["pods"]}""", Request(AdmissionOperation.Create, "pods"), true },
        { """{"apiGroups":[""],"apiVersions":["v1"],"operations":["CREATE"],"resources":["pods"]}""", Request(AdmissionOperation.Update, "pods"), false },
        { """{"apiGroups":[""],"apiVersions":["v1"],"operations":["*"],"resources":["pods"]}""", Request(AdmissionOperation.Update, "pods", "status"), false },
        { """{"apiGroups":[""],"apiVersions":["v1"],"operations":["*"],"resources":["pods/status"]}""", Request(AdmissionOperation.Update, "pods", "status"), true },
        { """{"apiGroups":[""],"apiVersions":["v1"],"operations":["*"],"resources":["pods/*"]}""", Request(AdmissionOperation.Update, "pods"), true },
        { """{"apiGroups":[""],"apiVersions":["v1"],"operations":["*"],"resources":["pods/*"]}""", Request(AdmissionOperation.Update, "pods", "status"), true },
        { """{"apiGroups":["*"],"apiVersions":["*"],"operations":["*"],"resources":["*"]}""", Request(AdmissionOperation.Update, "pods", "status"), false },
        { """{"apiGroups":["*"],"apiVersions":["*"],"operations":["*"],"resources":["*/*"]}""", Request(AdmissionOperation.Update, "pods", "status"), true },
        { """{"apiGroups":["*"],"apiVersions":["*"],"operations":["*"],"resources":["*/status"]}""", Request(AdmissionOperation.Update, "nodes", "status", ""), true },
        { """{"apiGroups":["apps"],"apiVersions":["*"],"operations":["*"],"resources":["*"]}""", Request(AdmissionOperation.Create, "pods"), false },
        { """{"apiGroups":["*"],"apiVersions":["v2"],"operations":["*"],"resources":["*"]}""", Request(AdmissionOperation.Create, "pods"), false },
        { """{"apiGroups":["*"],"apiVersions":["*"],"operations":["*"],"resources":["*"],"scope":"Namespaced"}""", Request(AdmissionOperation.Create, "pods"), true },
        { """{"apiGroups":["*"],"apiVersions":["*"],"operations":["*"],"resources":["*"],"scope":"Namespaced"}""", Request(AdmissionOperation.Create, "nodes", ns: ""), false },
        { """{"apiGroups":["*"],"apiVersions":["*"],"operations":["*"],"resources":["*"],"scope":"Cluster"}""", Request(AdmissionOperation.Create, "namespaces", ns: "x"), true },
        { """{"apiGroups":["*"],"apiVersions":["*"],"operations":["*"],"resources":["*"],"scope":"Cluster"}""", Request(AdmissionOperation.Create, "pods"), false },
        { """{"apiGroups":["*"],"apiVersions":["*"],"operations":["DELETE"],"resources":["*"],"resourceNames":["x"]}""", Request(AdmissionOperation.Delete, "secrets"), true },
        { """{"apiGroups":["*"],"apiVersions":["*"],"operations":["DELETE"],"resources":["*"],"resourceNames":["y"]}""", Request(AdmissionOperation.Delete, "secrets"), false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_Should_FollowKubesRuleMatcher(string rule, AdmissionAttributes request, bool expected)
    {
        Assert.Equal(expected, ResourceRule.From((JsonObject)JsonNode.Parse(rule)!).Matches(request));
    }
}
