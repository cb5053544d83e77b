using NvmeLm.Operator.Cli;

// The operator process: flags/env → OperatorHost (see Cli/OperatorCommand.cs).
return await OperatorCommand.Create().Parse(args).InvokeAsync();
