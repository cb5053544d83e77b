using System.CommandLine;
using System.Runtime.InteropServices;

namespace NvmeLm.ApiServer.Cli;

/// <summary><c>serve</c>: runs the embedded API server until Ctrl-C and prints the kubeconfig path.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "TCP port on 127.0.0.1 (0 picks a free one)", DefaultValueFactory = _ => 0 };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Where to write the kubeconfig (default: a temporary file)" };
        var tls = new Option<bool>("--tls") { Description = "Serve HTTPS with a self-signed CA (written into the kubeconfig)" };
        var rbac = new Option<bool>("--rbac") { Description = "Authorize with RBAC (--authorization-mode=RBAC); the kubeconfig's admin is in system:masters. kubectl sends tokens only over TLS: add --tls" };
        var admissionPolicies = new Option<bool>("--admission-policies") { Description = "Evaluate ValidatingAdmissionPolicies and their bindings on writes" };
        var command = new Command("serve", "Run the embedded Kubernetes API server until Ctrl-C") { port, kubeconfig, tls, rbac, admissionPolicies };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions
            {
                Port = parse.GetValue(port),
                KubeConfigPath = parse.GetValue(kubeconfig),
                UseTls = parse.GetValue(tls),
                Authorization = parse.GetValue(rbac) ? Authorization.AuthorizationMode.Rbac : Authorization.AuthorizationMode.AlwaysAllow,
                ValidatingAdmissionPolicy = parse.GetValue(admissionPolicies),
            }, cancellationToken);
            // Stop on Ctrl-C, SIGTERM and SIGQUIT explicitly: the server takes no signals itself (SignalFreeLifetime).
            // Registered before the ready line: a caller that signals as soon as it reads it must not meet the runtime's
            // default SIGINT action (exit 130), as a test did under CI load.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            using var onQuit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop);
            Console.WriteLine($"API server listening on {server.BaseUri}");
            Console.WriteLine($"kubeconfig: {server.KubeConfigPath}");
            Console.WriteLine($"try: KUBECONFIG={server.KubeConfigPath} kubectl get namespaces");
            if (parse.GetValue(rbac) && !parse.GetValue(tls))
            {
                Console.WriteLine("note: kubectl sends the kubeconfig's token only over TLS; without --tls it is anonymous and RBAC denies it");
            }
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
                Console.WriteLine("stopping");
            }
            return 0;

            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.Cancel();
            }
        });
        return command;
    }
}
