using System.CommandLine;
using NvmeLm.Operator.Cli;

// The operator process: flags/env → OperatorHost (see Cli/OperatorCommand.cs). SIGTERM (the kubelet stopping the
// pod) and SIGINT cancel the command's token, so the host stops its controllers and releases its lease; without a
// ProcessTerminationTimeout System.CommandLine 2.0 leaves both signals alone and the token never fires.
return await OperatorCommand.Create().Parse(args).InvokeAsync(new InvocationConfiguration
{
    ProcessTerminationTimeout = OperatorCommand.ShutdownTimeout,
});
