using NvmeLm.Api.V1Alpha1;
using NvmeLm.NodeAgent.Agent;

namespace NvmeLm.NodeAgent.Tests.Agent;

public sealed class SpecValidatorTests
{
    private static V1Alpha1NvmeNode.EntitySpec Spec(params PhysicalFunctionSpec[] pfs) => new() { PhysicalFunctions = pfs };

    [Fact]
    public void Validate_Should_UseSpecResourcesAndKeepRoles_When_SpecIsValid()
    {
        var (valid, errors) = SpecValidator.Validate(Spec(new PhysicalFunctionSpec
        {
            Address = "0000:01:00.0",
            NumVfs = 3,
            Secondaries =
            [
                new SecondaryControllerSpec { VfNumber = 1, Queues = 4, Interrupts = 2, Driver = "vfio-pci" },
                new SecondaryControllerSpec { VfNumber = 3, Role = SecondaryRole.ResumeTarget, OwnerUid = "u1" },
            ],
        }));

        Assert.Empty(errors);
        DesiredPf pf = Assert.Single(valid);
        Assert.Equal((3, 4, 2), (pf.NumVfs, pf.QueuesPerVf, pf.InterruptsPerVf));
        Assert.Equal(new DesiredSecondary(3, null, SecondaryRole.ResumeTarget, "u1"), pf.Secondary(3));
        Assert.Null(pf.Secondary(2));
    }

    [Fact]
    public void Validate_Should_UseMinimumResources_When_SpecNamesNone()
    {
        var (valid, _) = SpecValidator.Validate(Spec(new PhysicalFunctionSpec { Address = "0000:01:00.0", NumVfs = 2 }));

        Assert.Equal((SpecValidator.DefaultQueues, SpecValidator.DefaultInterrupts), (valid[0].QueuesPerVf, valid[0].InterruptsPerVf));
    }

    [Theory]
    [InlineData("0000:1:00.0", 1, 1, null, "not a PCI address")]
    [InlineData("0000:01:00.0", 1, 2, null, "outside 1..numVfs")]
    [InlineData("0000:01:00.0", 2, 1, "vfio pci", "not a PCI driver name")]
    public void Validate_Should_RejectPfByName_When_EntryIsBad(string address, int numVfs, int vfNumber, string? driver, string expected)
    {
        var (valid, errors) = SpecValidator.Validate(Spec(
            new PhysicalFunctionSpec { Address = address, NumVfs = numVfs, Secondaries = [new SecondaryControllerSpec { VfNumber = vfNumber, Driver = driver }] },
            new PhysicalFunctionSpec { Address = "0000:05:00.0", NumVfs = 1 }));

        string error = Assert.Single(errors);
        Assert.Contains(address, error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Equal("0000:05:00.0", Assert.Single(valid).Pf.ToString());
    }

    [Fact]
    public void Validate_Should_Reject_When_RoleHasNoOwnerOrResourcesDiffer()
    {
        var (valid, errors) = SpecValidator.Validate(Spec(
            new PhysicalFunctionSpec { Address = "0000:01:00.0", NumVfs = 1, Secondaries = [new SecondaryControllerSpec { VfNumber = 1, Role = SecondaryRole.MigrationSource }] },
            new PhysicalFunctionSpec
            {
                Address = "0000:02:00.0",
                NumVfs = 2,
                Secondaries = [new SecondaryControllerSpec { VfNumber = 1, Queues = 2 }, new SecondaryControllerSpec { VfNumber = 2, Queues = 4 }],
            },
            new PhysicalFunctionSpec { Address = "0000:03:00.0", NumVfs = 1 },
            new PhysicalFunctionSpec { Address = "0000:03:00.0", NumVfs = 2 }));

        Assert.Equal("0000:03:00.0", Assert.Single(valid).Pf.ToString());
        Assert.Equal(3, errors.Count);
        Assert.Contains("needs an ownerUid", errors[0], StringComparison.Ordinal);
        Assert.Contains("different resources", errors[1], StringComparison.Ordinal);
        Assert.Contains("listed twice", errors[2], StringComparison.Ordinal);
    }
}
