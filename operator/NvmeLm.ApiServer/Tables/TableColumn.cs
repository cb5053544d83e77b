namespace NvmeLm.ApiServer.Tables;

/// <summary>A <c>meta.k8s.io/v1 TableColumnDefinition</c>.</summary>
public sealed record TableColumn(string Name, string Type, string Description, int Priority = 0, string Format = "");
