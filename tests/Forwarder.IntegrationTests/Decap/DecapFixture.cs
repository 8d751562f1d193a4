namespace Forwarder.IntegrationTests.Decap;

/// <summary>One packet fixture for decap.c: the input frame, the frame expected out, and the one counter it must land in.</summary>
public sealed record DecapFixture(string Name, byte[] Input, byte[] ExpectedOutput, string Counter)
{
    /// <summary>A frame the program must hand on exactly as it came.</summary>
    public static DecapFixture Untouched(string name, byte[] frame, string counter) => new(name, frame, frame, counter);

    public override string ToString() => Name;
}
