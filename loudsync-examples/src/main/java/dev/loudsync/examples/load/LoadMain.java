package dev.loudsync.examples.load;

import dev.loudsync.examples.host.Durations;
import dev.loudsync.netty.internal.Transports;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The load generator: drives any host that speaks LoudSync's protocol with simulated guests over
 * real WebSocket connections, and measures it. One run goes through these phases:
 *
 * <ol>
 *   <li><b>connect</b> {@code --guests} WebSocket connections (not timed as part of the join);
 *   <li><b>join storm</b>: all send {@code JOIN} at once; timed until every guest's member list
 *       holds every guest and the host ({@code MEMBER_LIST} plus {@code MEMBER_JOINED}, or
 *       {@code MEMBERS_CHANGED} with {@code --batching}); with the host's CPU time per frame
 *       delivered;
 *   <li><b>idle</b> ({@code --idle}): everyone heartbeats; the host's CPU use over the period,
 *       then its RSS (and live heap, for a JVM) against the empty host's;
 *   <li><b>broadcast</b> ({@code --broadcasts}): guest 0 sends CHATs one at a time; the latency
 *       of every delivery and of the last receiver of each, p50 and p99;
 *   <li><b>leave storm</b> ({@code --leave-fraction}): that share of guests send {@code LEAVE} at
 *       once; timed until the others' lists are right again.
 * </ol>
 *
 * <p>Host figures need {@code --host-pid} and Linux's {@code /proc}. Prints one summary line per
 * run; {@code --csv} appends a row (with a header when the file is new). Exits 0 when every phase
 * converged without protocol errors, 1 otherwise.
 *
 * <pre>java -jar loudsync-examples/target/loudsync-load.jar --url ws://127.0.0.1:8080/ --session ABC123 --guests 1000</pre>
 */
@Command(name = "loudsync-load", sortOptions = false, usageHelpAutoWidth = true,
        description = "Drives a LoudSync host with simulated guests and measures it.")
public final class LoadMain implements Callable<Integer> {

    @Option(names = "--url", paramLabel = "ws://HOST:PORT/", defaultValue = "ws://127.0.0.1:8080/",
            description = "the host's WebSocket address (default: ${DEFAULT-VALUE})")
    URI url;

    @Option(names = "--session", paramLabel = "CODE", defaultValue = "ABC123",
            description = "session code (default: ${DEFAULT-VALUE})")
    String session;

    @Option(names = "--guests", paramLabel = "N", defaultValue = "1000", description = "guests (default: ${DEFAULT-VALUE})")
    int guests;

    @Option(names = "--batching", description = "guests announce the membersChanged capability")
    boolean batching;

    @Option(names = "--idle", paramLabel = "D", defaultValue = "0s",
            description = "idle period with heartbeats, measuring host CPU (default: ${DEFAULT-VALUE}: skip)")
    Duration idle;

    @Option(names = "--broadcasts", paramLabel = "N", defaultValue = "100",
            description = "CHAT broadcasts, one at a time (default: ${DEFAULT-VALUE})")
    int broadcasts;

    @Option(names = "--broadcast-gap", paramLabel = "D", defaultValue = "100ms",
            description = "pause after each broadcast reached everyone (default: ${DEFAULT-VALUE})")
    Duration broadcastGap;

    @Option(names = "--leave-fraction", paramLabel = "F", defaultValue = "0.5",
            description = "share of guests leaving at once at the end (default: ${DEFAULT-VALUE}; 0: skip)")
    double leaveFraction;

    @Option(names = "--join-waves", paramLabel = "N", defaultValue = "0",
            description = "join in waves of N, each after the previous one was welcomed, instead of all at "
                    + "once: for large idle sessions, where a storm's member lists would overflow the "
                    + "kernel's TCP memory (default: ${DEFAULT-VALUE}: one storm)")
    int joinWaves;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "0",
            description = "before measuring the empty host, N guests join and leave once, so that its "
                    + "baseline memory includes warmed-up code and pools (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--host-pid", paramLabel = "PID", description = "the host's process, for CPU and memory figures")
    Long hostPid;

    @Option(names = "--label", paramLabel = "NAME", defaultValue = "host", description = "names the host in the output")
    String label;

    @Option(names = "--csv", paramLabel = "FILE", description = "append the run's figures to this CSV file")
    Path csv;

    @Option(names = "--source-ips", paramLabel = "FIRST-LAST",
            description = "spread the connections over these local addresses, e.g. 127.0.0.2-127.0.0.254 "
                    + "(default: that range when the host is on loopback, so per-address connection caps "
                    + "do not apply; otherwise the system's choice)")
    String sourceIps;

    @Option(names = "--threads", paramLabel = "N", description = "event loop threads (default: Netty's, two per core)")
    Integer threads;

    @Option(names = "--nio", description = "use NIO even where Linux's native epoll transport is available")
    boolean nio;

    @Option(names = "--timeout", paramLabel = "D", defaultValue = "300s",
            description = "how long a phase may take before the run gives up (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--help", usageHelp = true, description = "show this help and exit")
    boolean help;

    private final PrintStream out;

    LoadMain(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        // A join storm delivers gigabytes of member lists; Netty's pooled allocator then creates and
        // frees chunks all the time, and through ByteBuffer.allocateDirect each is zeroed first (a
        // third of the generator's CPU). With java.nio opened (the jar's manifest does it), Netty
        // allocates without zeroing. Before any Netty class reads the property.
        if (System.getProperty("io.netty.tryReflectionSetAccessible") == null) {
            System.setProperty("io.netty.tryReflectionSetAccessible", "true");
        }
        System.exit(new CommandLine(new LoadMain(System.out))
                .registerConverter(Duration.class, Durations::option).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        HostProbe host = HostProbe.of(hostPid);
        HostProbe self = HostProbe.of(ProcessHandle.current().pid());
        Figures f = new Figures();
        LoadGuest.Shared shared = new LoadGuest.Shared(session, batching);
        EventLoopGroup group = Transports.newGroup(threads != null ? threads : 0,
                new DefaultThreadFactory("load"), !nio);
        List<LoadGuest> all = new ArrayList<>(guests);
        try {
            if (warmup > 0) {
                warmUp(group);
            }
            if (host != null) { // RSS first, before the heap count's full collection, as at the end
                f.rssEmptyKib = host.rssKib();
                f.heapEmptyKib = host.liveHeapKib();
            }
            long t0 = System.nanoTime();
            connect(group, shared, all, "load-", joinWaves > 0 ? 0 : guests); // waves connect as they go
            f.connectMs = millisSince(t0);

            joinStorm(group, shared, all, host, self, f);
            if (!idle.isZero()) {
                idlePeriod(host, f);
            }
            if (host != null) {
                f.rssFullKib = host.rssKib();
                f.heapFullKib = host.liveHeapKib();
            }
            if (broadcasts > 0) {
                broadcast(shared, all, f);
            }
            if (leaveFraction > 0) {
                leaveStorm(shared, all, f);
            }
        } catch (PhaseFailed e) {
            f.ok = false;
            f.failure = e.getMessage();
        } finally {
            for (LoadGuest g : all) {
                if (g.channel() != null) {
                    g.channel().close();
                }
            }
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        f.errors = shared.errors.sum();
        if (f.errors > 0) {
            f.ok = false;
            String errors = f.errors + " errors, first: " + shared.firstError;
            f.failure = f.failure.isEmpty() ? errors : f.failure + "; " + errors;
        }
        out.println(f.summary(label, guests, batching));
        if (csv != null) {
            f.appendCsv(csv, label, guests, batching, idle);
        }
        return f.ok ? 0 : 1;
    }

    /** A phase did not complete; the run reports what it has. */
    private static final class PhaseFailed extends Exception {
        PhaseFailed(String message) {
            super(message, null, false, false);
        }
    }

    /** Opens {@code count} more connections, appended to {@code all}, and waits for their handshakes. */
    private void connect(EventLoopGroup group, LoadGuest.Shared shared, List<LoadGuest> all, String idPrefix,
            int count) throws PhaseFailed, InterruptedException {
        InetSocketAddress remote = new InetSocketAddress(url.getHost(), url.getPort() != -1 ? url.getPort() : 80);
        List<InetAddress> sources = sourceAddresses(remote.getAddress());
        Semaphore inFlight = new Semaphore(256);
        List<CompletableFuture<Void>> handshakes = new ArrayList<>(count);
        int first = all.size();
        for (int i = first; i < first + count; i++) {
            LoadGuest g = new LoadGuest(i, idPrefix + i, shared);
            all.add(g);
            handshakes.add(g.handshake);
            inFlight.acquire();
            g.handshake.whenComplete((v, e) -> inFlight.release());
            Bootstrap b = new Bootstrap().group(group).channel(Transports.socketChannel(group))
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                                    new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                                            .webSocketUri(url).allowExtensions(false)
                                            .maxFramePayloadLength(64 << 20).handshakeTimeoutMillis(30_000)
                                            .withUTF8Validator(false) // the host is measured, not checked
                                            .build()),
                                    new WebSocketFrameAggregator(64 << 20), g);
                        }
                    });
            (sources.isEmpty() ? b.connect(remote)
                    : b.connect(remote, new InetSocketAddress(sources.get(i % sources.size()), 0)))
                    .addListener(cf -> {
                        if (!cf.isSuccess()) {
                            g.handshake.completeExceptionally(cf.cause());
                        }
                    });
        }
        await(CompletableFuture.allOf(handshakes.toArray(new CompletableFuture<?>[0])), "connect");
    }

    /** {@code --warmup} guests (other device ids) join, then all disconnect at once. */
    private void warmUp(EventLoopGroup group) throws PhaseFailed, InterruptedException {
        LoadGuest.Shared shared = new LoadGuest.Shared(session, batching);
        List<LoadGuest> all = new ArrayList<>(warmup);
        try {
            connect(group, shared, all, "warmup-", warmup);
            Convergence c = new Convergence(warmup + 1, warmup);
            shared.convergence = c;
            for (LoadGuest g : all) {
                g.sendJoin();
            }
            awaitConvergence(c, "warm-up", all);
            for (LoadGuest g : all) {
                g.sendLeave();
            }
        } finally {
            for (LoadGuest g : all) {
                if (g.channel() != null) {
                    g.channel().close().syncUninterruptibly();
                }
            }
        }
        Thread.sleep(5_000); // the host settles: departures announced, buffers released
    }

    private List<InetAddress> sourceAddresses(InetAddress remote) {
        String range = sourceIps != null ? sourceIps : remote.isLoopbackAddress() ? "127.0.0.2-127.0.0.254" : null;
        List<InetAddress> list = new ArrayList<>();
        if (range == null || range.equals("none")) {
            return list;
        }
        String[] ends = range.split("-");
        try {
            byte[] first = InetAddress.getByName(ends[0]).getAddress();
            byte[] last = InetAddress.getByName(ends.length > 1 ? ends[1] : ends[0]).getAddress();
            for (int x = first[3] & 0xFF; x <= (last[3] & 0xFF); x++) {
                byte[] a = first.clone();
                a[3] = (byte) x;
                list.add(InetAddress.getByAddress(a));
            }
        } catch (UnknownHostException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--source-ips: " + range);
        }
        return list;
    }

    private void joinStorm(EventLoopGroup group, LoadGuest.Shared shared, List<LoadGuest> all, HostProbe host, HostProbe self, Figures f)
            throws PhaseFailed, InterruptedException {
        Convergence c = new Convergence(guests + 1, guests);
        shared.convergence = c;
        double hostCpu0 = host != null ? host.cpuSeconds() : 0;
        double selfCpu0 = self.cpuSeconds();
        long frames0 = shared.frames.sum();
        long t0 = System.nanoTime();
        int wave = joinWaves > 0 ? joinWaves : guests;
        for (int from = 0; from < guests; from += wave) {
            if (joinWaves > 0) {
                connect(group, shared, all, "load-", Math.min(wave, guests - from));
            }
            List<LoadGuest> these = all.subList(from, Math.min(guests, from + wave));
            for (LoadGuest g : these) {
                g.sendJoin();
            }
            if (joinWaves > 0) {
                await(CompletableFuture.allOf(these.stream().map(g -> g.welcomed).toArray(CompletableFuture<?>[]::new)),
                        "join wave at " + from);
            }
        }
        long done = awaitConvergence(c, "join storm", all);
        f.joinMs = TimeUnit.NANOSECONDS.toMillis(done - t0);
        f.joinFrames = shared.frames.sum() - frames0;
        f.driverCpuJoinSeconds = self.cpuSeconds() - selfCpu0;
        if (host != null) {
            f.hostCpuJoinSeconds = host.cpuSeconds() - hostCpu0;
        }
        await(CompletableFuture.allOf(all.stream().map(g -> g.welcomed).toArray(CompletableFuture<?>[]::new)),
                "WELCOME");
    }

    private void idlePeriod(HostProbe host, Figures f) throws InterruptedException {
        Thread.sleep(2_000); // the join's work settles
        if (host == null) {
            Thread.sleep(idle.toMillis());
            return;
        }
        double cpu0 = host.cpuSeconds();
        long t0 = System.nanoTime();
        Thread.sleep(idle.toMillis());
        double seconds = (System.nanoTime() - t0) / 1e9;
        f.idleCpuPercent = 100 * (host.cpuSeconds() - cpu0) / seconds;
    }

    private void broadcast(LoadGuest.Shared shared, List<LoadGuest> all, Figures f)
            throws PhaseFailed, InterruptedException {
        Broadcasts b = new Broadcasts(broadcasts, guests);
        shared.broadcasts = b;
        LoadGuest sender = all.get(0);
        int completed = 0;
        try {
            for (int r = 0; r < broadcasts; r++) {
                sender.sendChat(r + ":" + System.nanoTime());
                awaitRound(b, r, all);
                completed++;
                Thread.sleep(broadcastGap.toMillis());
            }
        } finally {
            long[] deliveries = b.deliveries(completed);
            long[] last = b.lastReceivers(completed);
            f.deliveryP50Us = micros(Broadcasts.quantile(deliveries, 0.50));
            f.deliveryP99Us = micros(Broadcasts.quantile(deliveries, 0.99));
            f.lastP50Us = micros(Broadcasts.quantile(last, 0.50));
            f.lastP99Us = micros(Broadcasts.quantile(last, 0.99));
        }
    }

    private void leaveStorm(LoadGuest.Shared shared, List<LoadGuest> all, Figures f)
            throws PhaseFailed, InterruptedException {
        int leavers = (int) Math.floor(guests * leaveFraction);
        List<LoadGuest> leaving = all.subList(guests - leavers, guests);
        for (LoadGuest g : leaving) {
            g.participates = false;
        }
        Convergence c = new Convergence(guests - leavers + 1, guests - leavers);
        shared.convergence = c;
        long t0 = System.nanoTime();
        for (LoadGuest g : leaving) {
            g.sendLeave();
        }
        long done = awaitConvergence(c, "leave storm", all.subList(0, guests - leavers));
        f.leaveMs = TimeUnit.NANOSECONDS.toMillis(done - t0);
        f.leavers = leavers;
    }

    private long awaitConvergence(Convergence c, String phase, List<LoadGuest> participants)
            throws PhaseFailed, InterruptedException {
        try {
            return c.done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            IntSummaryStatistics views = participants.stream().mapToInt(g -> g.members).summaryStatistics();
            throw new PhaseFailed(phase + ": " + c.remaining() + " guests still without " + c.target
                    + " members after " + timeout.toSeconds() + " s (views " + views.getMin() + ".."
                    + views.getMax() + " members, " + closedSummary(participants) + ")");
        } catch (ExecutionException e) {
            throw new PhaseFailed(phase + ": " + e.getCause());
        }
    }

    private void awaitRound(Broadcasts b, int round, List<LoadGuest> all) throws PhaseFailed, InterruptedException {
        try {
            b.roundComplete(round).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new PhaseFailed("broadcast " + round + ": " + (guests - b.received(round)) + " guests without it after "
                    + timeout.toSeconds() + " s (" + closedSummary(all) + ")");
        } catch (ExecutionException e) {
            throw new PhaseFailed("broadcast " + round + ": " + e.getCause());
        }
    }

    /** How many of these guests' connections are closed, by the close code the host sent (-1: none). */
    private static String closedSummary(List<LoadGuest> guests) {
        List<LoadGuest> closed = guests.stream().filter(g -> !g.channel().isActive()).toList();
        Map<Integer, Long> codes = closed.stream()
                .collect(Collectors.groupingBy(g -> g.closeCode, TreeMap::new, Collectors.counting()));
        return closed.size() + " connections closed, by close code " + codes;
    }

    private void await(CompletableFuture<?> f, String phase) throws PhaseFailed, InterruptedException {
        try {
            f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new PhaseFailed(phase + ": no completion within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new PhaseFailed(phase + ": " + e.getCause());
        }
    }

    private static long millisSince(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private static long micros(long nanos) {
        return nanos < 0 ? -1 : TimeUnit.NANOSECONDS.toMicros(nanos);
    }
}
