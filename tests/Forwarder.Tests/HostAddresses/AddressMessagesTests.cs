using System.Net;
using Forwarder.HostAddresses;
using static Forwarder.Tests.HostAddresses.NetlinkBytes;

namespace Forwarder.Tests.HostAddresses;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AddressMessagesTests
{
    [Fact]
    public void A_dump_answer_lists_every_address_then_ends()
    {
        byte[] buffer = [.. NewAddress("10.202.2.2", 3), .. NewAddress("fe80::1", 3), .. NewAddress("127.0.0.1", 1), .. Done()];
        var messages = new List<AddressMessage>();

        NetlinkReadEnd end = AddressMessages.Parse(buffer, messages, out _);

        Assert.Equal(NetlinkReadEnd.Done, end);
        Assert.Equal(
            [new(true, IPAddress.Parse("10.202.2.2"), 3), new(true, IPAddress.Parse("fe80::1"), 3), new(true, IPAddress.Parse("127.0.0.1"), 1)],
            messages);
    }

    [Fact]
    public void A_notification_of_a_removed_address_is_read_as_removed()
    {
        var messages = new List<AddressMessage>();

        NetlinkReadEnd end = AddressMessages.Parse(DeletedAddress("2001:db8::5", 4), messages, out _);

        Assert.Equal(NetlinkReadEnd.More, end);
        Assert.Equal(new AddressMessage(false, IPAddress.Parse("2001:db8::5"), 4), Assert.Single(messages));
    }

    [Fact]
    public void An_ipv4_point_to_point_address_is_the_local_one_not_the_peer()
    {
        byte[] payload = Address(AddressMessages.AF_INET, 5,
            (AddressMessages.IFA_ADDRESS, [10, 9, 9, 1]), (AddressMessages.IFA_LOCAL, [10, 9, 9, 2]), (3 /* IFA_LABEL */, "ppp0\0"u8.ToArray()));
        var messages = new List<AddressMessage>();

        AddressMessages.Parse(Message(AddressMessages.RTM_NEWADDR, payload), messages, out _);

        Assert.Equal(IPAddress.Parse("10.9.9.2"), Assert.Single(messages).Address);
    }

    [Fact]
    public void Other_families_and_other_messages_are_skipped()
    {
        byte[] buffer =
        [
            .. Message(AddressMessages.RTM_NEWADDR, Address(17 /* AF_PACKET */, 2, (AddressMessages.IFA_ADDRESS, new byte[6]))),
            .. Message(AddressMessages.NLMSG_NOOP, []),
            .. Message(16 /* RTM_NEWLINK */, new byte[16]),
            .. Message(AddressMessages.NLMSG_ERROR, new byte[20]), // error 0: an acknowledgement
            .. NewAddress("192.0.2.1"),
        ];
        var messages = new List<AddressMessage>();

        Assert.Equal(NetlinkReadEnd.More, AddressMessages.Parse(buffer, messages, out _));
        Assert.Equal(IPAddress.Parse("192.0.2.1"), Assert.Single(messages).Address);
    }

    [Fact]
    public void A_refused_request_reports_its_errno()
    {
        Assert.Equal(NetlinkReadEnd.Error, AddressMessages.Parse(Error(13), [], out int errno));
        Assert.Equal(13, errno);
    }

    [Fact]
    public void The_last_messages_padding_may_be_left_out()
    {
        // The label attribute (3 bytes of value) ends the message unpadded: 16 + 8 + 8 + 7 bytes.
        byte[] payload = [.. Address(AddressMessages.AF_INET, 2, (AddressMessages.IFA_LOCAL, [10, 0, 0, 1])), .. Attribute(3, "abc"u8.ToArray())[..7]];
        byte[] message = Message(AddressMessages.RTM_NEWADDR, payload);
        int unpadded = BitConverter.ToInt32(message);
        var messages = new List<AddressMessage>();

        Assert.NotEqual(message.Length, unpadded);
        Assert.Equal(NetlinkReadEnd.More, AddressMessages.Parse(message.AsSpan(0, unpadded), messages, out _));
        Assert.Single(messages);
    }

    public static TheoryData<string, byte[]> MalformedBuffers()
    {
        byte[] good = NewAddress("10.0.0.1");
        byte[] longer = [.. good];
        BitConverter.GetBytes(good.Length + 4).CopyTo(longer, 0);
        byte[] tooShort = [.. good];
        BitConverter.GetBytes(8).CopyTo(tooShort, 0);
        byte[] attributePastEnd = [.. good];
        BitConverter.GetBytes((ushort)40).CopyTo(attributePastEnd, AddressMessages.HeaderLength + AddressMessages.IfAddrLength);
        byte[] attributeTooShort = [.. good];
        BitConverter.GetBytes((ushort)2).CopyTo(attributeTooShort, AddressMessages.HeaderLength + AddressMessages.IfAddrLength);
        return new()
        {
            { "a length past the buffer", longer },
            { "a length below the header's", tooShort },
            { "a cut header after a message", [.. good, 1, 2, 3, 4, 5, 6, 7, 8] },
            { "an attribute past its message", attributePastEnd },
            { "an attribute shorter than its header", attributeTooShort },
            { "an ifaddrmsg cut short", Message(AddressMessages.RTM_NEWADDR, [2, 24, 0, 0]) },
            { "an IPv4 address of 3 bytes", Message(AddressMessages.RTM_NEWADDR, Address(AddressMessages.AF_INET, 2, (AddressMessages.IFA_LOCAL, [10, 0, 0]))) },
            { "an error without its code", Message(AddressMessages.NLMSG_ERROR, [0, 0]) },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedBuffers))]
    public void Malformed_messages_are_reported_not_thrown(string what, byte[] buffer)
    {
        Assert.True(AddressMessages.Parse(buffer, [], out _) == NetlinkReadEnd.Malformed, what);
    }

    [Fact]
    public void The_dump_request_asks_for_every_family()
    {
        byte[] request = AddressMessages.DumpRequest(sequence: 42);

        Assert.Equal(
            [24, 0, 0, 0, /* RTM_GETADDR */ 22, 0, /* NLM_F_REQUEST | NLM_F_DUMP */ 0x01, 0x03, 42, 0, 0, 0, 0, 0, 0, 0, /* AF_UNSPEC */ 0, 0, 0, 0, 0, 0, 0, 0],
            request);
    }

    [Fact]
    public void The_kernel_lists_the_loopback_address_of_this_namespace()
    {
        IReadOnlyList<IPAddress> addresses = RouteNetlinkSocket.ListAddresses();

        Assert.Contains(IPAddress.Loopback, addresses);
    }
}
