using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace NvmeLm.ApiServer.Tests.Integration;

/// <summary>
/// A small CRD of the tests' own (status subresource, printer columns, a CEL rule with oldSelf, a
/// default, an enum), so the server's CRD handling is tested independently of the project's CRDs.
/// </summary>
public static class TestCrds
{
    public const string Group = "test.nvmelm.io";
    public const string Version = "v1";
    public const string Plural = "widgets";

    public static string WidgetCrdJson => """
    {
      "apiVersion": "apiextensions.k8s.io/v1",
      "kind": "CustomResourceDefinition",
      "metadata": { "name": "widgets.test.nvmelm.io" },
      "spec": {
        "group": "test.nvmelm.io",
        "scope": "Namespaced",
        "names": { "plural": "widgets", "singular": "widget", "kind": "Widget", "shortNames": ["wdg"], "categories": ["testing"] },
        "versions": [{
          "name": "v1", "served": true, "storage": true,
          "subresources": { "status": {} },
          "additionalPrinterColumns": [
            { "name": "Size", "type": "integer", "jsonPath": ".spec.size", "description": "How big" },
            { "name": "Ready", "type": "string", "jsonPath": ".status.conditions[?(@.type==\"Ready\")].status" },
            { "name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp" }
          ],
          "selectableFields": [ { "jsonPath": ".spec.color" } ],
          "schema": { "openAPIV3Schema": {
            "type": "object",
            "description": "A Widget is a thing the tests make.",
            "properties": {
              "spec": {
                "type": "object",
                "description": "What the widget should be.",
                "required": ["size"],
                "x-kubernetes-validations": [ { "rule": "self.size >= oldSelf.size", "message": "size may only grow" } ],
                "properties": {
                  "size": { "type": "integer", "minimum": 0, "maximum": 100, "description": "Size in units." },
                  "color": { "type": "string", "enum": ["red", "green", "blue"], "default": "red", "description": "Paint." }
                }
              },
              "status": {
                "type": "object",
                "properties": {
                  "phase": { "type": "string" },
                  "conditions": { "type": "array", "items": { "type": "object", "x-kubernetes-preserve-unknown-fields": true } }
                }
              }
            }
          } }
        }]
      }
    }
    """;

    public static async Task<V1CustomResourceDefinition> InstallWidgetAsync(Kubernetes client)
    {
        var crd = KubernetesJson.Deserialize<V1CustomResourceDefinition>(WidgetCrdJson);
        return await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
    }

    public static JsonObject Widget(string name, int size, string? ns = "default") => new()
    {
        ["apiVersion"] = $"{Group}/{Version}",
        ["kind"] = "Widget",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject { ["size"] = size },
    };
}
