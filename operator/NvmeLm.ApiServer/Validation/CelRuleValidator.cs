using System.Text.Json.Nodes;
using Cel;

namespace NvmeLm.ApiServer.Validation;

/// <summary>
/// Evaluates <c>x-kubernetes-validations</c> at every schema node where the object has a value. Transition
/// rules (those using <c>oldSelf</c>) run only on update and only where the old object has a correlated
/// value: same property path, same key of a map-type list, same key of a map; never inside atomic or set
/// lists (kube's correlation rules). Validation ratchets as kube-apiserver's does (KEP-4008, on by default since
/// 1.30): a rule without oldSelf is not evaluated on a value the update leaves unchanged, so a status write does not
/// re-run every spec rule (which was most of the API server's validation time in a 100-node demo).
/// </summary>
internal sealed class CelRuleValidator(object evaluationLock)
{
    public void ValidateRoot(JsonObject root, JsonObject? oldRoot, SchemaNode schema, List<FieldError> errors)
    {
        // Rules on the root see the whole object (metadata included), as in kube.
        EvaluateRules(root, oldRoot, schema, "", errors, unchanged: false);
        foreach (var (name, value) in root)
        {
            if (name != "metadata" && value is not null && schema.Properties?.GetValueOrDefault(name) is { } child)
            {
                Walk(value, oldRoot?[name], oldRoot is not null && oldRoot.ContainsKey(name), child, name, errors);
            }
        }
    }

    private void Walk(JsonNode value, JsonNode? old, bool hasOld, SchemaNode schema, string path, List<FieldError> errors, bool unchanged = false)
    {
        unchanged = unchanged || (hasOld && JsonNode.DeepEquals(value, old));
        if (unchanged && !schema.RulesApplyWhenUnchanged)
        {
            return; // no rule at or below here would be evaluated
        }

        EvaluateRules(value, hasOld ? old : null, schema, path, errors, unchanged);
        switch (value)
        {
            case JsonObject obj:
                var oldObj = hasOld ? old as JsonObject : null;
                foreach (var (name, child) in obj)
                {
                    var childSchema = schema.Properties?.GetValueOrDefault(name);
                    string childPath = childSchema is not null ? FieldPath.Child(path, name) : FieldPath.Key(path, name);
                    childSchema ??= schema.AdditionalProperties;
                    if (child is not null && childSchema is not null)
                    {
                        bool childHasOld = oldObj is not null && oldObj.ContainsKey(name);
                        Walk(child, oldObj?[name], childHasOld, childSchema, childPath, errors, unchanged);
                    }
                }

                break;
            case JsonArray array when schema.Items is { } items:
                var oldByKey = hasOld && schema.ListType == "map" && old is JsonArray oldArray
                    ? IndexByKey(oldArray, schema.ListMapKeys)
                    : null;
                for (int i = 0; i < array.Count; i++)
                {
                    if (array[i] is not { } item)
                    {
                        continue;
                    }

                    JsonNode? oldItem = null;
                    if (oldByKey is not null && item is JsonObject itemObj && ListInvariants.MapKey(itemObj, schema.ListMapKeys) is { } key)
                    {
                        oldByKey.TryGetValue(key, out oldItem);
                    }

                    Walk(item, oldItem, oldItem is not null, items, FieldPath.Index(path, i), errors, unchanged && oldItem is not null);
                }

                break;
        }
    }

    private static Dictionary<string, JsonNode> IndexByKey(JsonArray array, IReadOnlyList<string> keys)
    {
        var index = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var item in array)
        {
            if (item is JsonObject obj && ListInvariants.MapKey(obj, keys) is { } key)
            {
                index.TryAdd(key, obj);
            }
        }

        return index;
    }

    private void EvaluateRules(JsonNode value, JsonNode? old, SchemaNode schema, string path, List<FieldError> errors, bool unchanged)
    {
        if (schema.Rules.Count == 0)
        {
            return;
        }

        object? self = null;
        object? oldSelf = null;
        bool converted = false;
        foreach (var rule in schema.Rules)
        {
            if ((rule.IsTransition && old is null) || (!rule.IsTransition && unchanged))
            {
                continue;
            }

            if (!converted)
            {
                self = CelValues.From(value);
                oldSelf = CelValues.From(old);
                converted = true;
            }

            var variables = new Dictionary<string, object?> { ["self"] = self };
            if (rule.IsTransition)
            {
                variables["oldSelf"] = oldSelf;
            }

            if (Evaluate(rule, variables, out string? evaluationError))
            {
                continue;
            }

            string errorPath = rule.FieldPath is null ? path : FieldPath.Append(path, rule.FieldPath);
            errors.Add(evaluationError is null
                ? RuleFailure(rule, errorPath, schema.TypeName)
                : FieldErrors.InvalidType(path, schema.TypeName, $"{evaluationError} evaluating rule: {rule.Rule}"));
        }
    }

    private bool Evaluate(CompiledRule rule, Dictionary<string, object?> variables, out string? error)
    {
        error = null;
        object? result;
        try
        {
            // The Cel package does not document its programs as thread-safe; validation is short, so serialise it.
            lock (evaluationLock)
            {
                result = rule.Program.Invoke(variables!);
            }
        }
        catch (Exception e) when (e is CelException or InvalidCastException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            error = e.Message;
            return false;
        }

        if (result is bool b)
        {
            return b;
        }

        error = $"rule did not evaluate to a boolean (got {result?.GetType().Name ?? "null"})";
        return false;
    }

    private static FieldError RuleFailure(CompiledRule rule, string path, string typeName) => rule.Reason switch
    {
        "FieldValueForbidden" => FieldErrors.Forbidden(path, rule.FailureMessage),
        "FieldValueRequired" => FieldErrors.Required(path, rule.FailureMessage),
        _ => FieldErrors.InvalidType(path, typeName, rule.FailureMessage),
    };
}
