namespace AfXdp;

/// <summary>The Linux errno values set-up code reasons about, and their names.</summary>
public static class Errnos
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int ENXIO = 6;
    public const int EAGAIN = 11;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int ENODEV = 19;
    public const int EINVAL = 22;
    public const int ENOSPC = 28;
    public const int EPIPE = 32;
    public const int ERANGE = 34;
    public const int ENETDOWN = 100;
    public const int EOPNOTSUPP = 95;
    public const int ENOBUFS = 105;

    public static string Name(int errno) => errno switch
    {
        EPERM => "EPERM",
        ENOENT => "ENOENT",
        EINTR => "EINTR",
        ENXIO => "ENXIO",
        EAGAIN => "EAGAIN",
        ENOMEM => "ENOMEM",
        EACCES => "EACCES",
        EBUSY => "EBUSY",
        EEXIST => "EEXIST",
        ENODEV => "ENODEV",
        EINVAL => "EINVAL",
        ENOSPC => "ENOSPC",
        EPIPE => "EPIPE",
        ERANGE => "ERANGE",
        ENETDOWN => "ENETDOWN",
        EOPNOTSUPP => "EOPNOTSUPP",
        ENOBUFS => "ENOBUFS",
        _ => $"errno {errno}",
    };
}
