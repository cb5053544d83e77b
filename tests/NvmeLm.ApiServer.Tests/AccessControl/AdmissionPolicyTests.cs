using System.Text.Json.Nodes;
using k8s;
using NvmeLm.ApiServer.Tests.Integration;

namespace NvmeLm.ApiServer.Tests.AccessControl;

/// <summary>ValidatingAdmissionPolicy evaluation: matching, CEL environment, validation actions, failure policy, and kube's answers.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class AdmissionPolicyTests
{
    private static Task<EmbeddedApiServer> StartAsync() =>
        EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { ValidatingAdmissionPolicy = true });

    /// <summary>A policy on configmaps with the given spec lines (indented two spaces) and a binding of the same name.</summary>
    private static string Policy(string name, string spec, string actions = "[Deny]", string bindingSpec = "") => $"""
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {"{"} name: {name} {"}"}
        spec:
        {spec}
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {"{"} name: {name}-binding {"}"}
        spec:
          policyName: {name}
          validationActions: {actions}
        {bindingSpec}
        """;

    private const string ConfigMapRules = """
          matchConstraints:
            resourceRules:
              - { apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [configmaps] }
        """;

    private static JsonObject ConfigMap(string name, string ns = "default", string value = "ok") => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["data"] = new JsonObject { ["value"] = value },
    };

    [Fact]
    public async Task Deny_Should_AnswerAsKube_WithMessageExpressionMessageOrExpression()
    {
        await using var server = await StartAsync();
        await AccessControlSetup.ApplyAsync(server, Policy("value-ok", ConfigMapRules + "\n" + """
              validations:
                - expression: "object.data.value != 'a'"
                  messageExpression: "'value ' + object.data.value + ' is not allowed'"
                - expression: "object.data.value != 'b'"
                  message: "b is not allowed"
                - expression: "object.data.value != 'c'"
                - expression: "object.data.value != 'd'"
                  message: "d is forbidden"
                  reason: Forbidden
            """));
        using var http = HttpHelpers.Client(server);

        var (ok, _) = await HttpHelpers.SendAsync(http, HttpMethod.Post, "/api/v1/namespaces/default/configmaps", ConfigMap("fine"));
        var (a, deniedA) = await HttpHelpers.SendAsync(http, HttpMethod.Post, "/api/v1/namespaces/default/configmaps", ConfigMap("x", value: "a"));
        var (_, deniedB) = await HttpHelpers.SendAsync(http, HttpMethod.Post, "/api/v1/namespaces/default/configmaps", ConfigMap("x", value: "b"));
        var (_, deniedC) = await HttpHelpers.SendAsync(http, HttpMethod.Post, "/api/v1/namespaces/default/configmaps", ConfigMap("x", value: "c"));
        var (d, deniedD) = await HttpHelpers.SendAsync(http, HttpMethod.Post, "/api/v1/namespaces/default/configmaps", ConfigMap("x", value: "d"));

        Assert.Equal(201, ok);
        Assert.Equal(422, a);
        string causeA = "ValidatingAdmissionPolicy 'value-ok' with binding 'value-ok-binding' denied request: value a is not allowed";
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"configmaps \"x\" is forbidden: {{causeA}}","reason":"Invalid",
             "details":{"name":"x","kind":"configmaps","causes":[{"message":"{{causeA}}"}]},"code":422}
            """), deniedA), deniedA.ToJsonString());
        Assert.EndsWith("denied request: b is not allowed", Message(deniedB));
        Assert.EndsWith("denied request: failed expression: object.data.value != 'c'", Message(deniedC));
        Assert.Equal(403, d);
        Assert.Equal("Forbidden", deniedD["reason"]?.GetValue<string>());
        Assert.Equal("fine", Assert.Single((await server.CreateClient().CoreV1.ListNamespacedConfigMapAsync("default")).Items).Metadata.Name);
    }

    [Fact]
    public async Task WarnAndAudit_Should_LetTheWriteThrough_WithAWarningHeaderOrAnAuditAnnotation()
    {
        await using var server = await StartAsync();
        string spec = ConfigMapRules + "\n" + """
              validations:
                - expression: "object.data.value == 'ok'"
                  message: "value should be ok"
              auditAnnotations:
                - key: seen-value
                  valueExpression: "'value=' + object.data.value"
            """;
        await AccessControlSetup.ApplyAsync(server, Policy("warns", spec, "[Warn, Audit]"));
        using var http = HttpHelpers.Client(server, "writer");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/namespaces/default/configmaps") { Content = HttpHelpers.Json(ConfigMap("x", value: "odd")) };

        using var response = await http.SendAsync(request);

        Assert.Equal(201, (int)response.StatusCode);
        Assert.Equal(["299 - \"Validation failed for ValidatingAdmissionPolicy 'warns' with binding 'warns-binding': value should be ok\""],
            response.Headers.GetValues("Warning"));
        var records = server.PolicyAudit.Snapshot();
        var failure = Assert.Single(records, r => r.Key == "validation.policy.admission.k8s.io/validation_failure");
        Assert.Equal("""[{"message":"value should be ok","policy":"warns","binding":"warns-binding","expressionIndex":0,"validationActions":["Warn","Audit"]}]""", failure.Value);
        Assert.Equal(("writer", "CREATE", "configmaps", "default", "x"), (failure.User, failure.Operation, failure.Resource, failure.Namespace, failure.Name));
        Assert.Equal("value=odd", Assert.Single(records, r => r.Key == "warns/seen-value").Value);
    }

    [Theory]
    [InlineData("Fail", 422)]
    [InlineData("Ignore", 201)]
    public async Task EvaluationErrors_Should_DenyOrAdmit_ByFailurePolicy(string failurePolicy, int expected)
    {
        await using var server = await StartAsync();
        await AccessControlSetup.ApplyAsync(server, Policy("needs-key", $"  failurePolicy: {failurePolicy}\n" + ConfigMapRules + "\n" + """
              validations:
                - expression: "object.data.missing == 'x'"
            """));
        using var http = HttpHelpers.Client(server);

        var (code, body) = await HttpHelpers.SendAsync(http, HttpMethod.Post, "/api/v1/namespaces/default/configmaps", ConfigMap("x"));

        Assert.Equal(expected, code);
        if (expected == 422)
        {
            Assert.StartsWith("configmaps \"x\" is forbidden: ValidatingAdmissionPolicy 'needs-key' with binding 'needs-key-binding' denied request: expression 'object.data.missing == 'x'' resulted in error: ",
                Message(body));
        }
    }

    [Fact]
    public async Task MatchConditionsAndVariables_Should_ScopeThePolicy_AndFeedItsValidations()
    {
        await using var server = await StartAsync();
        await AccessControlSetup.ApplyAsync(server, Policy("agents-only", ConfigMapRules + "\n" + """
              matchConditions:
                - name: is-agent
                  expression: "request.userInfo.username.startsWith('agent-')"
              variables:
                - name: owner
                  expression: "request.userInfo.username.substring(6)"
                - name: owned
                  expression: "object.metadata.name.startsWith(variables.owner)"
              validations:
                - expression: "variables.owned"
                  messageExpression: "'agent ' + variables.owner + ' may only write its own configmaps'"
            """));
        using var agentA = HttpHelpers.Client(server, "agent-a");
        using var other = HttpHelpers.Client(server, "someone");

        var (own, _) = await HttpHelpers.SendAsync(agentA, HttpMethod.Post, "/api/v1/namespaces/default/configmaps", ConfigMap("a-config"));
        var (foreign, denied) = await HttpHelpers.SendAsync(agentA, HttpMethod.Post, "/api/v1/namespaces/default/configmaps", ConfigMap("b-config"));
        var (notMatched, _) = await HttpHelpers.SendAsync(other, HttpMethod.Post, "/api/v1/namespaces/default/configmaps", ConfigMap("b-config"));

        Assert.Equal(201, own);
        Assert.Equal(422, foreign);
        Assert.EndsWith("denied request: agent a may only write its own configmaps", Message(denied));
        Assert.Equal(201, notMatched);
    }

    [Fact]
    public async Task Selectors_Should_LimitThePolicyToLabelledNamespacesAndObjects()
    {
        await using var server = await StartAsync();
        await AccessControlSetup.ApplyAsync(server, """
            apiVersion: v1
            kind: Namespace
            metadata: { name: prod, labels: { env: prod } }
            ---
            apiVersion: v1
            kind: Namespace
            metadata: { name: dev, labels: { env: dev } }
            """);
        await AccessControlSetup.ApplyAsync(server, Policy("prod-guard", """
              matchConstraints:
                namespaceSelector: { matchExpressions: [ { key: env, operator: In, values: [prod] } ] }
                objectSelector: { matchLabels: { guarded: "true" } }
                resourceRules:
                  - { apiGroups: [""], apiVersions: ["*"], operations: ["*"], resources: ["*"] }
                excludeResourceRules:
                  - { apiGroups: [""], apiVersions: ["*"], operations: ["*"], resources: [secrets] }
              validations:
                - expression: "namespaceObject.metadata.labels.env == 'prod' && request.namespace == 'prod' && false"
                  message: "guarded objects in prod are frozen"
            """));
        using var http = HttpHelpers.Client(server);
        JsonObject Guarded(string kind, string name, string ns)
        {
            var obj = kind == "ConfigMap" ? ConfigMap(name, ns) : new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Secret", ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns } };
            obj["metadata"]!["labels"] = new JsonObject { ["guarded"] = "true" };
            return obj;
        }

        var (prodGuarded, denied) = await HttpHelpers.SendAsync(http, HttpMethod.Post, "/api/v1/namespaces/prod/configmaps", Guarded("ConfigMap", "c", "prod"));
        var (prodPlain, _) = await HttpHelpers.SendAsync(http, HttpMethod.Post, "/api/v1/namespaces/prod/configmaps", ConfigMap("plain", "prod"));
        var (devGuarded, _) = await HttpHelpers.SendAsync(http, HttpMethod.Post, "/api/v1/namespaces/dev/configmaps", Guarded("ConfigMap", "c", "dev"));
        var (prodSecret, _) = await HttpHelpers.SendAsync(http, HttpMethod.Post, "/api/v1/namespaces/prod/secrets", Guarded("Secret", "s", "prod"));

        Assert.Equal(422, prodGuarded);
        Assert.EndsWith("denied request: guarded objects in prod are frozen", Message(denied));
        Assert.Equal(201, prodPlain);
        Assert.Equal(201, devGuarded);
        Assert.Equal(201, prodSecret);
    }

    [Fact]
    public async Task DeleteAndDryRun_Should_BeAdmitted_WithOldObjectAndRequestFields()
    {
        await using var server = await StartAsync();
        await AccessControlSetup.ApplyAsync(server, "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: keep, namespace: default, labels: { keep: \"yes\" } }\ndata: { value: ok }");
        await AccessControlSetup.ApplyAsync(server, Policy("no-delete", """
              matchConstraints:
                resourceRules:
                  - { apiGroups: [""], apiVersions: [v1], operations: [DELETE], resources: [configmaps], resourceNames: [keep] }
              validations:
                - expression: "object == null && oldObject.metadata.labels.keep != 'yes'"
                  messageExpression: "request.operation + ' of ' + request.name + ' (dryRun=' + string(request.dryRun) + ') refused'"
            """));
        using var http = HttpHelpers.Client(server);

        var (dryRun, dryRunDenied) = await HttpHelpers.SendAsync(http, HttpMethod.Delete, "/api/v1/namespaces/default/configmaps/keep?dryRun=All");
        var (delete, deleteDenied) = await HttpHelpers.SendAsync(http, HttpMethod.Delete, "/api/v1/namespaces/default/configmaps/keep");
        var (update, _) = await HttpHelpers.SendAsync(http, HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/keep", JsonNode.Parse("""{"data":{"value":"new"}}"""), "application/merge-patch+json");

        Assert.Equal(422, dryRun);
        Assert.EndsWith("denied request: DELETE of keep (dryRun=true) refused", Message(dryRunDenied));
        Assert.Equal(422, delete);
        Assert.EndsWith("denied request: DELETE of keep (dryRun=false) refused", Message(deleteDenied));
        Assert.Equal(200, update);
    }

    [Fact]
    public async Task BindingMatchResources_Should_NarrowThePolicy_AndAnUnboundPolicyDoesNothing()
    {
        await using var server = await StartAsync();
        await AccessControlSetup.ApplyAsync(server, Policy("only-team", ConfigMapRules + "\n" + """
              validations:
                - expression: "false"
                  message: "team configmaps are read-only"
            """, bindingSpec: """
              matchResources:
                namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: team } }
            """));
        await AccessControlSetup.ApplyAsync(server, """
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: { name: unbound }
            spec:
              matchConstraints:
                resourceRules:
                  - { apiGroups: ["*"], apiVersions: ["*"], operations: ["*"], resources: ["*"] }
              validations:
                - expression: "false"
            ---
            apiVersion: v1
            kind: Namespace
            metadata: { name: team, labels: { kubernetes.io/metadata.name: team } }
            """);
        using var http = HttpHelpers.Client(server);

        var (team, _) = await HttpHelpers.SendAsync(http, HttpMethod.Post, "/api/v1/namespaces/team/configmaps", ConfigMap("x", "team"));
        var (elsewhere, _) = await HttpHelpers.SendAsync(http, HttpMethod.Post, "/api/v1/namespaces/default/configmaps", ConfigMap("x"));

        Assert.Equal(422, team);
        Assert.Equal(201, elsewhere);
    }

    [Theory]
    [InlineData("""
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: { name: broken }
        spec:
          matchConstraints: { resourceRules: [ { apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps] } ] }
          validations:
            - expression: "object.metadata.name =="
        """, "ValidatingAdmissionPolicy.admissionregistration.k8s.io \"broken\" is invalid: spec.validations[0].expression: Invalid value: \"object.metadata.name ==\": compilation failed:")]
    [InlineData("""
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: { name: params }
        spec:
          paramKind: { apiVersion: v1, kind: ConfigMap }
          matchConstraints: { resourceRules: [ { apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps] } ] }
          validations:
            - expression: "true"
        """, "ValidatingAdmissionPolicy.admissionregistration.k8s.io \"params\" is invalid: spec.paramKind: Forbidden: policy parameters are not supported by this server")]
    [InlineData("""
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: { name: loud }
        spec:
          policyName: p
          validationActions: [Deny, Warn]
        """, "ValidatingAdmissionPolicyBinding.admissionregistration.k8s.io \"loud\" is invalid: spec.validationActions: Invalid value: [\"Deny\",\"Warn\"]: must not contain both Deny and Warn")]
    public async Task PolicyObjects_Should_BeRefused_When_TheyCannotWork(string yaml, string message)
    {
        await using var server = await StartAsync();
        using var http = HttpHelpers.Client(server);
        var obj = (JsonObject)Http.YamlToJson.Convert(yaml)!;
        string plural = obj["kind"]!.GetValue<string>() == "ValidatingAdmissionPolicy" ? "validatingadmissionpolicies" : "validatingadmissionpolicybindings";

        var (code, body) = await HttpHelpers.SendAsync(http, HttpMethod.Post, $"/apis/admissionregistration.k8s.io/v1/{plural}", obj);

        Assert.Equal(422, code);
        Assert.StartsWith(message, Message(body));
    }

    private static string Message(JsonObject status) => status["message"]?.GetValue<string>() ?? "";
}
