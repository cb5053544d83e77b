namespace NvmeLm.Api.Schema;

/// <summary>An <c>additionalPrinterColumns</c> entry: a column of <c>kubectl get</c>, in declaration order.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class PrinterColumnAttribute(int order, string name, string type, string jsonPath) : Attribute
{
    /// <summary>Position of the column; attributes are unordered in reflection, so the order is explicit.</summary>
    public int Order { get; } = order;
    public string Name { get; } = name;

    /// <summary>OpenAPI type of the column: string, integer, number, boolean or date.</summary>
    public string Type { get; } = type;
    public string JsonPath { get; } = jsonPath;
    public string? Description { get; init; }

    /// <summary>0 shows the column by default; higher values only with <c>-o wide</c>.</summary>
    public int Priority { get; init; }
}
