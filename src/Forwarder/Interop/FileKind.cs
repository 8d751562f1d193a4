namespace Forwarder.Interop;

/// <summary>What a path names, as <see cref="FileKinds.Of"/> reads it.</summary>
internal enum FileKind
{
    Missing,
    Regular,
    Directory,
    Socket,
    SymbolicLink,
    Other,
}
