using NvmeLm.CrdGen;

// Usage: dotnet run --project crds/NvmeLm.CrdGen -- --out crds
// Writes one crds/<group>_<plural>.yaml per kind of NvmeLm.Api.
if (args.Length != 2 || args[0] != "--out")
{
    Console.Error.WriteLine($"usage: {CrdYamlWriter.RegenerateCommand}");
    return 2;
}

string outDir = args[1];
Directory.CreateDirectory(outDir);
foreach (var crd in CrdBuilder.BuildAll())
{
    string path = Path.Combine(outDir, CrdBuilder.FileName(crd));
    File.WriteAllText(path, CrdYamlWriter.Write(crd));
    Console.WriteLine($"wrote {path}");
}

return 0;
