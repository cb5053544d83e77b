namespace NvmeLm.ApiServer;

/// <summary>Writes a kubeconfig (one cluster, one user with a bearer token, one context) for kubectl and clients.</summary>
public static class KubeConfigWriter
{
    public const string ContextName = "nvmelm-dev";

    public static string Render(Uri server, string token, string? certificateAuthorityPem = null, string defaultNamespace = "default") => $$"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: {{ContextName}}
          cluster:
            server: {{server.ToString().TrimEnd('/')}}{{(certificateAuthorityPem is null ? "" : "\n    certificate-authority-data: " + Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(certificateAuthorityPem)))}}
        users:
        - name: {{ContextName}}-user
          user:
            token: {{token}}
        contexts:
        - name: {{ContextName}}
          context:
            cluster: {{ContextName}}
            user: {{ContextName}}-user
            namespace: {{defaultNamespace}}
        current-context: {{ContextName}}
        preferences: {}

        """;

    public static void Write(string path, Uri server, string token, string? certificateAuthorityPem = null)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        File.WriteAllText(path, Render(server, token, certificateAuthorityPem));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
