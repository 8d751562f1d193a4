// rxdrop: a blind AF_XDP receiver in plain C, the same-run reference for the forwarder's receive side
// (bench/e2e.sh case crx, beside lbrx).
//
//   rxdrop --iface IF --queue Q --cpu N [--frames 4096] [--batch 64] [--sleep]
//
// One AF_XDP socket on IF/Q in copy mode with need-wakeup, native XDP; libxdp loads its default program,
// which redirects every frame of that queue into the socket (no parsing). The UMEM holds --frames chunks
// of 4 KiB and all of them go on FILL at start. The loop peeks up to --batch RX descriptors, counts them,
// puts the same addresses back on FILL and releases RX: nothing is read, nothing is sent.
// Default: busy-spin, no system call while RX is empty except the recvfrom(MSG_DONTWAIT) the kernel asks
// for when FILL says it needs a wake-up. --sleep: poll() for up to 10 ms after 2,000 empty polls in a row
// (the forwarder's own idle policy).
//
// Prints READY once the socket is bound; on SIGTERM or SIGINT prints
//   FINAL rx=N seconds=S empty_polls=N sleeps=N fill_wakeups=N
// (seconds from READY), removes the socket, the UMEM and the XDP program, and exits 0.
// Any error: a message naming the call and its errno, exit 1.
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>
#include <xdp/xsk.h>

#define FRAME_SIZE 4096u
#define RX_RING_SIZE 2048u        // the forwarder's RX ring size
#define COMPLETION_RING_SIZE 2048u // unused (no TX), but the UMEM needs one
#define IDLE_SPINS 2000u           // --sleep: empty polls in a row before poll()
#define IDLE_SLEEP_MS 10           // --sleep: longest poll()

struct options {
	const char *iface;
	unsigned queue;
	int cpu;
	unsigned frames;
	unsigned batch;
	bool sleep;
};

struct counts {
	uint64_t rx;
	uint64_t empty_polls;
	uint64_t sleeps;
	uint64_t fill_wakeups;
};

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int signal_number)
{
	(void)signal_number;
	stop_requested = 1;
}

static void usage_error(const char *format, ...)
{
	va_list args;
	va_start(args, format);
	fputs("rxdrop: ", stderr);
	vfprintf(stderr, format, args);
	va_end(args);
	fputs("\nusage: rxdrop --iface IF --queue Q --cpu N [--frames 4096] [--batch 64] [--sleep]\n", stderr);
	exit(1);
}

// A failed call: its name, the errno it gave (positive) and what it was doing.
static void call_failed(const char *call, int error, const char *what)
{
	fprintf(stderr, "rxdrop: %s failed: %s (errno %d) %s\n", call, strerror(error), error, what);
}

static unsigned parse_number(const char *option, const char *text, unsigned long max)
{
	char *end;
	errno = 0;
	unsigned long value = strtoul(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || text[0] == '-' || value > max)
		usage_error("%s needs a whole number from 0 to %lu, got '%s'", option, max, text);
	return (unsigned)value;
}

static bool power_of_two(unsigned n) { return n != 0 && (n & (n - 1)) == 0; }

static struct options parse_options(int argc, char **argv)
{
	struct options o = { .iface = NULL, .queue = UINT_MAX, .cpu = -1, .frames = 4096, .batch = 64, .sleep = false };
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "--sleep") == 0) {
			o.sleep = true;
			continue;
		}
		if (i + 1 >= argc)
			usage_error("%s needs a value", arg);
		const char *value = argv[++i];
		if (strcmp(arg, "--iface") == 0)
			o.iface = value;
		else if (strcmp(arg, "--queue") == 0)
			o.queue = parse_number(arg, value, 65535);
		else if (strcmp(arg, "--cpu") == 0)
			o.cpu = (int)parse_number(arg, value, CPU_SETSIZE - 1);
		else if (strcmp(arg, "--frames") == 0)
			o.frames = parse_number(arg, value, 1u << 20);
		else if (strcmp(arg, "--batch") == 0)
			o.batch = parse_number(arg, value, 4096);
		else
			usage_error("unknown option %s", arg);
	}
	if (o.iface == NULL || o.iface[0] == '\0')
		usage_error("--iface is required");
	if (o.queue == UINT_MAX)
		usage_error("--queue is required");
	if (o.cpu < 0)
		usage_error("--cpu is required");
	if (!power_of_two(o.frames) || o.frames < 64)
		usage_error("--frames must be a power of two of at least 64 (it is also the FILL ring's size), got %u", o.frames);
	if (o.batch == 0)
		usage_error("--batch must be at least 1");
	return o;
}

static double now_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

// libxdp and libbpf say why a program failed to load at warning level; their information and debug lines are not kept.
static int print_xdp_warnings(enum libxdp_print_level level, const char *format, va_list args)
{
	return level == LIBXDP_WARN ? vfprintf(stderr, format, args) : 0;
}

static int print_bpf_warnings(enum libbpf_print_level level, const char *format, va_list args)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, format, args) : 0;
}

static void install_stop_handlers(void)
{
	struct sigaction action;
	memset(&action, 0, sizeof(action));
	action.sa_handler = on_stop_signal; // no SA_RESTART: poll() returns EINTR and the loop sees the stop
	sigemptyset(&action.sa_mask);
	if (sigaction(SIGTERM, &action, NULL) != 0 || sigaction(SIGINT, &action, NULL) != 0) {
		call_failed("sigaction", errno, "(SIGTERM/SIGINT handler)");
		exit(1);
	}
}

static void pin_to_cpu(int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) != 0) {
		char what[64];
		snprintf(what, sizeof(what), "(pinning to CPU %d)", cpu);
		call_failed("sched_setaffinity", errno, what);
		exit(1);
	}
}

// Gives every UMEM chunk to the kernel: FILL has exactly --frames entries.
static void fill_all(struct xsk_ring_prod *fill, unsigned frames)
{
	uint32_t index;
	uint32_t reserved = xsk_ring_prod__reserve(fill, frames, &index);
	for (uint32_t i = 0; i < reserved; i++)
		*xsk_ring_prod__fill_addr(fill, index + i) = (uint64_t)i * FRAME_SIZE;
	xsk_ring_prod__submit(fill, reserved);
}

// The receive loop, until SIGTERM/SIGINT. Every received address goes straight back to FILL, so FILL always
// has room for a batch: the frames on FILL plus those on RX never exceed --frames.
static void receive(const struct options *o, struct xsk_socket *xsk, struct xsk_ring_cons *rx,
		    struct xsk_ring_prod *fill, struct counts *c)
{
	int fd = xsk_socket__fd(xsk);
	unsigned empty_run = 0;
	while (!stop_requested) {
		uint32_t rx_index;
		uint32_t received = xsk_ring_cons__peek(rx, o->batch, &rx_index);
		if (received == 0) {
			c->empty_polls++;
			if (xsk_ring_prod__needs_wakeup(fill)) {
				c->fill_wakeups++;
				recvfrom(fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
			}
			if (o->sleep && ++empty_run >= IDLE_SPINS) {
				empty_run = 0;
				c->sleeps++;
				struct pollfd p = { .fd = fd, .events = POLLIN };
				if (poll(&p, 1, IDLE_SLEEP_MS) < 0 && errno != EINTR) {
					call_failed("poll", errno, "(waiting for RX)");
					return;
				}
			}
			continue;
		}
		empty_run = 0;
		uint32_t fill_index;
		uint32_t room = xsk_ring_prod__reserve(fill, received, &fill_index);
		// Cannot fall short (see above); should it, the frames stay on RX and come round again.
		for (uint32_t i = 0; i < room; i++)
			*xsk_ring_prod__fill_addr(fill, fill_index + i) = xsk_ring_cons__rx_desc(rx, rx_index + i)->addr;
		xsk_ring_prod__submit(fill, room);
		xsk_ring_cons__release(rx, room);
		c->rx += room;
	}
}

int main(int argc, char **argv)
{
	struct options o = parse_options(argc, argv);
	libxdp_set_print(print_xdp_warnings);
	libbpf_set_print(print_bpf_warnings);
	install_stop_handlers();
	pin_to_cpu(o.cpu);

	if (if_nametoindex(o.iface) == 0) {
		char what[IF_NAMESIZE + 32];
		snprintf(what, sizeof(what), "(interface '%.*s')", IF_NAMESIZE, o.iface);
		call_failed("if_nametoindex", errno, what);
		return 1;
	}
	size_t area_bytes = (size_t)o.frames * FRAME_SIZE;
	void *area = mmap(NULL, area_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED) {
		call_failed("mmap", errno, "(the UMEM area)");
		return 1;
	}

	struct xsk_ring_prod fill;
	struct xsk_ring_cons completion;
	struct xsk_umem *umem = NULL;
	struct xsk_umem_config umem_config = {
		.fill_size = o.frames,
		.comp_size = COMPLETION_RING_SIZE,
		.frame_size = FRAME_SIZE,
		.frame_headroom = 0,
		.flags = 0,
	};
	int result = xsk_umem__create(&umem, area, area_bytes, &fill, &completion, &umem_config);
	if (result != 0) {
		char what[64];
		snprintf(what, sizeof(what), "(%u frames of %u bytes)", o.frames, FRAME_SIZE);
		call_failed("xsk_umem__create", -result, what);
		munmap(area, area_bytes);
		return 1;
	}

	struct xsk_ring_cons rx;
	struct xsk_socket *xsk = NULL;
	struct xsk_socket_config socket_config = {
		.rx_size = RX_RING_SIZE,
		.tx_size = 0,
		.libxdp_flags = 0, // libxdp loads its default program: every frame of the queue into the socket
		.xdp_flags = XDP_FLAGS_DRV_MODE,
		.bind_flags = XDP_COPY | XDP_USE_NEED_WAKEUP,
	};
	result = xsk_socket__create(&xsk, o.iface, o.queue, umem, &rx, NULL, &socket_config);
	if (result != 0) {
		char what[128];
		snprintf(what, sizeof(what), "(%s queue %u, copy mode, native XDP)", o.iface, o.queue);
		call_failed("xsk_socket__create", -result, what);
		xsk_umem__delete(umem);
		munmap(area, area_bytes);
		return 1;
	}

	fill_all(&fill, o.frames);
	printf("READY iface=%s queue=%u cpu=%d frames=%u batch=%u idle=%s\n", o.iface, o.queue, o.cpu, o.frames, o.batch,
	       o.sleep ? "sleep" : "spin");
	fflush(stdout);

	struct counts counts = { 0 };
	double start = now_seconds();
	receive(&o, xsk, &rx, &fill, &counts);
	double seconds = now_seconds() - start;
	bool loop_failed = !stop_requested;

	printf("FINAL rx=%" PRIu64 " seconds=%.3f empty_polls=%" PRIu64 " sleeps=%" PRIu64 " fill_wakeups=%" PRIu64 "\n",
	       counts.rx, seconds, counts.empty_polls, counts.sleeps, counts.fill_wakeups);
	fflush(stdout);

	xsk_socket__delete(xsk); // the last socket on the interface: libxdp detaches its program
	result = xsk_umem__delete(umem);
	if (result != 0) {
		call_failed("xsk_umem__delete", -result, "");
		loop_failed = true;
	}
	munmap(area, area_bytes);
	return loop_failed ? 1 : 0;
}
