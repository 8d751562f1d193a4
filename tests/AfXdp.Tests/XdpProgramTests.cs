using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace AfXdp.Tests;

/// <summary>
/// The by-id and by-interface operations on programs attached by someone else, where they can be checked
/// without root: asking an interface with nothing attached, and the failures of ids and descriptors that are
/// no program (EPERM without root, ENOENT or EINVAL with it: either way the call is named and nothing changes).
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class XdpProgramTests
{
    private static int LoopbackIndex => NetworkInterface.Get("lo").Index;

    [Fact]
    public void The_loopback_interface_has_no_program_in_either_mode()
    {
        Assert.Null(XdpProgram.QueryAttached(LoopbackIndex, XdpMode.Native));
        Assert.Null(XdpProgram.QueryAttached(LoopbackIndex, XdpMode.Skb));
        Assert.Null(XdpProgram.QueryAttached(LoopbackIndex));
    }

    [Fact]
    public void Taking_a_program_by_an_id_that_is_none_names_the_call_and_the_id()
    {
        XdpException e = Assert.Throws<XdpException>(() => XdpProgram.FromId(0));

        Assert.Equal("bpf_prog_get_fd_by_id", e.Call);
        Assert.Contains("(program 0)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Detaching_an_expected_program_that_is_none_fails_before_touching_the_interface()
    {
        XdpException e = Assert.Throws<XdpException>(() => XdpProgram.Detach(LoopbackIndex, XdpMode.Skb, new AttachedProgram(0, "")));

        Assert.Equal("bpf_prog_get_fd_by_id", e.Call);
        Assert.Null(XdpProgram.QueryAttached(LoopbackIndex, XdpMode.Skb));
    }

    [Fact]
    public void Describing_a_descriptor_that_is_no_program_names_the_info_call()
    {
        using SafeFileHandle file = File.OpenHandle("/dev/null");

        XdpException e = Assert.Throws<XdpException>(() => XdpProgram.Describe((int)file.DangerousGetHandle()));

        Assert.Equal("bpf_obj_get_info_by_fd", e.Call);
        Assert.Contains("program (fd ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_the_map_ids_of_a_descriptor_that_is_no_program_names_the_info_call()
    {
        using SafeFileHandle file = File.OpenHandle("/dev/null");

        XdpException e = Assert.Throws<XdpException>(() => BpfObjectInfo.ProgramMapIds((int)file.DangerousGetHandle()));

        Assert.Equal("bpf_obj_get_info_by_fd", e.Call);
    }

    [Fact]
    public void A_kernel_name_is_cut_to_fifteen_bytes()
    {
        Assert.Equal("xdp_decap", XdpProgram.KernelName("xdp_decap"));
        Assert.Equal("xdp_redirect_xs", XdpProgram.KernelName("xdp_redirect_xsk"));
    }
}
