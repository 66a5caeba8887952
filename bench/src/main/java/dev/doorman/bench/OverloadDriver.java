package dev.doorman.bench;

import dev.doorman.bench.LoadKit.Arrivals;
import dev.doorman.bench.LoadKit.Dist;
import dev.doorman.bench.LoadKit.OpenLoop;
import dev.doorman.bench.LoadKit.Recovery;
import dev.doorman.bench.LoadKit.Rig;
import dev.doorman.bench.LoadKit.Sample;
import dev.doorman.bench.LoadKit.TokenProbe;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import static dev.doorman.bench.LoadKit.LEGIT_PASSWORD;
import static dev.doorman.bench.LoadKit.RECOVERY;
import static dev.doorman.bench.LoadKit.TOKEN_RATE;
import static dev.doorman.bench.LoadKit.WINDOW;
import static dev.doorman.bench.LoadKit.between;
import static dev.doorman.bench.LoadKit.byStatus;
import static dev.doorman.bench.LoadKit.failureStatus;
import static dev.doorman.bench.LoadKit.freshAddress;
import static dev.doorman.bench.LoadKit.statuses;
import static dev.doorman.bench.LoadKit.verdict;

/**
 * LD-04: overload at a multiple of capacity (2x by default), measured open-loop against a local server with the
 * default limits (the same in-process set-up as {@link CredentialStuffingDriver}: dev settings, 127.0.0.1 as trusted
 * proxy, mail discarded).
 * <p>
 * Every login is a valid one (the right password) from a browser never seen before (no cookies) at an address not
 * used before, over 2,000 accounts taken in turn, so that no per-source or per-account limit trips and whatever is
 * refused is refused for load. First, for the JIT, the phases below run shorter (5 s capacity, 20 s overload) against a
 * server that is then thrown away (not reported). Then, on a fresh server:
 * <ol>
 *   <li>capacity: a closed loop of {@code 2 x cores} workers (the server's hashing slots plus its default queue of one per core, so
 *       that the loop saturates the cores without being shed: a shed stranger counts towards the failure burst, and a
 *       loop retrying at once would trip it), 5 s to warm up (not reported), then 15 s:
 *       logins answered 200 per second is the capacity;</li>
 *   <li>baseline: 5 logins/s open-loop for 15 s, and the token endpoint at 20/s;</li>
 *   <li>overload: {@code multiple x capacity} logins/s open-loop for {@code seconds}, the token endpoint at 20/s
 *       alongside; at most 2,000 logins in flight (the rest are counted as dropped), each timed out at 10 s (5 s to
 *       connect);</li>
 *   <li>recovery: 30 s at the baseline rates, p95 per 5-s window.</li>
 * </ol>
 * Latency is measured from the scheduled arrival. The heap (the server is in this process) is measured after a
 * {@link System#gc()} before the overload and when it stops; the recovery clock starts after that collection returns
 * (a full collection stops the server too, so nothing is hidden by it), and the requests in flight across either
 * collection have its pause taken off their latency. Loopback only; bounded by the phases.
 * <p>
 * Run: {@code java -cp bench/target/benchmarks.jar dev.doorman.bench.OverloadDriver 60 2.0} (overload seconds,
 * multiple of capacity); add {@code jdbc:postgresql://127.0.0.1:5432/doorman USER PASSWORD} to run on PostgreSQL.
 */
public final class OverloadDriver {
    private static final int USERS = 2000;
    private static final double BASELINE_RATE = 5;
    private static final Duration WARM_UP = Duration.ofSeconds(5);
    private static final Duration CAPACITY = Duration.ofSeconds(15);
    private static final Duration BASELINE = Duration.ofSeconds(15);
    private static final Duration JIT_CAPACITY = Duration.ofSeconds(5);
    private static final Duration JIT_OVERLOAD = Duration.ofSeconds(20);
    private static final double MB = 1024 * 1024;

    public static void main(String[] args) throws Exception {
        Rig.quietAuditLog();
        Duration overloadFor = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 60);
        double multiple = args.length > 1 ? Double.parseDouble(args[1]) : 2.0;
        // The JIT's warm-up, on a server thrown away afterwards: the same phases, shorter, the overload included, so
        // that the measured overload does not also carry the compilation of the shedding paths it is the first to take.
        try (var rig = Rig.start("doorman-overload-warm-up", args, 2)) {
            System.out.println("JIT warm-up (not reported): the same phases on a server thrown away afterwards");
            run(rig, multiple, new Durations(JIT_CAPACITY, Duration.ZERO, JIT_OVERLOAD, Duration.ZERO));
        }
        try (var rig = Rig.start("doorman-overload-bench", args, 2)) {
            rig.clearRateLimits();
            run(rig, multiple, new Durations(CAPACITY, BASELINE, overloadFor, RECOVERY)).print();
        }
    }

    /** How long each measured phase lasts. */
    private record Durations(Duration capacity, Duration baseline, Duration overload, Duration recovery) { }

    private static Report run(Rig rig, double multiple, Durations d) throws Exception {
        long insertStart = System.nanoTime();
        var emails = new ArrayList<String>();
        for (int i = 0; i < USERS; i++) emails.add(rig.insertUser("load" + i, LEGIT_PASSWORD));
        System.out.printf("%s: %d accounts created in %.1f s%n", rig.dialect(), USERS, (System.nanoTime() - insertStart) / 1e9);

        try (var logins = new Logins(rig, emails); var token = new TokenProbe(rig)) {
            int workers = 2 * Runtime.getRuntime().availableProcessors();
            logins.closedLoop(workers, WARM_UP);
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpuBefore = os.getProcessCpuTime();
            var capacity = logins.closedLoop(workers, d.capacity());
            // Whether the closed loop saturated what this process got of the machine (server and driver share it).
            double cpu = (os.getProcessCpuTime() - cpuBefore) / (double) d.capacity().toNanos() / Runtime.getRuntime().availableProcessors();
            double perSecond = capacity.ok() / (double) d.capacity().toSeconds();
            System.out.printf("capacity: closed loop, %d workers, %d s: %d answers %s, %.1f logins/s admitted; 200s %s; process CPU %.0f %% of %d cores%n",
                    workers, d.capacity().toSeconds(), capacity.samples().size(), statuses(byStatus(capacity.samples())), perSecond,
                    Dist.of(capacity.samples().stream().filter(s -> s.status() == 200).toList()), 100 * cpu, Runtime.getRuntime().availableProcessors());
            if (perSecond <= 0) throw new IllegalStateException("no login succeeded in the capacity phase; nothing to overload");

            var gc = new ForcedCollections();
            var baseline = Window.run("baseline", logins, token, BASELINE_RATE, d.baseline());
            long heapBefore = gc.usedAfterGc();
            var heapPeak = new HeapPeak();
            var overload = Window.run("overload", logins, token, multiple * perSecond, d.overload());
            heapPeak.stop();
            long heapAfter = gc.usedAfterGc();
            var recovery = Window.run("recovery", logins, token, BASELINE_RATE, d.recovery());
            boolean drained = logins.drain(Duration.ofSeconds(15)) & token.drain(Duration.ofSeconds(15));
            if (!drained) System.out.println("WARNING: some requests were still in flight after the drain timeout; they are missing below");

            return new Report(gc, baseline, overload, recovery, multiple, perSecond, List.copyOf(logins.samples), List.copyOf(token.samples),
                    heapBefore, heapPeak.peak(), heapAfter);
        }
    }

    /** Where one open-loop phase ran, on the {@link System#nanoTime()} scale, and at what login rate. */
    private record Window(long from, long to, double rate) {
        static Window run(String name, Logins logins, TokenProbe token, double rate, Duration duration) throws InterruptedException {
            long from = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
            long to = from + duration.toNanos();
            var loginArrivals = Arrivals.start("logins", rate, from, to, logins::fire);
            var tokenArrivals = Arrivals.start("token client", TOKEN_RATE, from, to, token::fire);
            loginArrivals.join();
            tokenArrivals.join();
            System.out.println("driver schedule (" + name + "), " + loginArrivals.lag() + "; " + tokenArrivals.lag());
            return new Window(from, to, rate);
        }

        long seconds() {
            return Duration.ofNanos(to - from).toSeconds();
        }
    }

    /**
     * The forced collections. A full collection stops the in-process server as well as the driver, so a request in
     * flight across one is slower by the overlap, which without the measurement it would not have been: that overlap
     * is taken off its latency.
     */
    private static final class ForcedCollections {
        private final List<long[]> pauses = new ArrayList<>();

        long usedAfterGc() {
            long start = System.nanoTime();
            System.gc();
            var runtime = Runtime.getRuntime();
            long used = runtime.totalMemory() - runtime.freeMemory();
            pauses.add(new long[] {start, System.nanoTime()});
            return used;
        }

        private long overlap(Sample s) {
            return pauses.stream().mapToLong(p -> Math.max(0, Math.min(s.done(), p[1]) - Math.max(s.arrival(), p[0]))).sum();
        }

        boolean spans(Sample s) {
            return overlap(s) > 0;
        }

        Sample corrected(Sample s) {
            return new Sample(s.arrival(), s.latency() - overlap(s), s.status());
        }

        double lastPauseMs() {
            var last = pauses.getLast();
            return (last[1] - last[0]) / 1e6;
        }
    }

    /** The largest heap in use (garbage included) seen during the overload, sampled every 200 ms. */
    private static final class HeapPeak {
        private final AtomicLong peak = new AtomicLong();
        private final Thread sampler = Thread.ofPlatform().daemon().name("heap sampler").start(() -> {
            var runtime = Runtime.getRuntime();
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(runtime.totalMemory() - runtime.freeMemory(), Math::max);
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });

        void stop() throws InterruptedException {
            sampler.interrupt();
            sampler.join();
        }

        long peak() {
            return peak.get();
        }
    }

    /**
     * Valid logins, one request each (a shed login is not retried: what is measured is the server's answer). Each
     * comes from a fresh address with no cookies, for the next of the accounts in turn; open-loop ({@link OpenLoop}) or
     * from a closed loop of workers.
     */
    private static final class Logins extends OpenLoop {
        private final URI uri;
        private final List<String> emails;
        private final AtomicLong nextUser = new AtomicLong();
        private final AtomicLong nextAddress = new AtomicLong(1);

        Logins(Rig rig, List<String> emails) {
            this.uri = rig.uri("/api/v1/session");
            this.emails = emails;
        }

        private HttpRequest next() {
            String email = emails.get((int) (nextUser.getAndIncrement() % emails.size()));
            // Every login comes from an address not used before, so no per-source limit trips.
            return Rig.login(uri, email, LEGIT_PASSWORD, freshAddress(nextAddress.getAndIncrement()), Optional.empty()).build();
        }

        void fire(long arrival) {
            send(arrival, next(), status -> { });
        }

        record ClosedLoop(List<Sample> samples, long ok) { }

        /** {@code workers} platform threads, each sending its next login as soon as the last is answered; {@code ok} counts the 200s answered within the time. */
        ClosedLoop closedLoop(int workers, Duration duration) throws InterruptedException {
            var answers = new ConcurrentLinkedQueue<Sample>();
            long end = System.nanoTime() + duration.toNanos();
            var threads = new ArrayList<Thread>();
            for (int w = 0; w < workers; w++) {
                threads.add(Thread.ofPlatform().daemon().name("closed loop " + w).start(() -> {
                    while (System.nanoTime() < end) {
                        long start = System.nanoTime();
                        int status;
                        try {
                            status = http.send(next(), HttpResponse.BodyHandlers.discarding()).statusCode();
                        } catch (IOException e) {
                            status = failureStatus(e);
                        } catch (InterruptedException e) {
                            return;
                        }
                        answers.add(new Sample(start, System.nanoTime() - start, status));
                    }
                }));
            }
            for (var t : threads) t.join();
            var all = List.copyOf(answers);
            return new ClosedLoop(all, all.stream().filter(s -> s.status() == 200 && s.done() <= end).count());
        }
    }

    private record Report(ForcedCollections gc, Window baseline, Window overload, Window recovery, double multiple, double capacity,
                          List<Sample> logins, List<Sample> tokens, long heapBefore, long heapPeak, long heapAfter) {
        private static final Predicate<Sample> SHED = s -> s.status() == 429 || s.status() == 503;

        private Dist latency(List<Sample> samples, Predicate<Sample> which) {
            return Dist.of(samples.stream().filter(which).map(gc::corrected).toList());
        }

        private static long count(List<Sample> samples, Predicate<Sample> which) {
            return samples.stream().filter(which).count();
        }

        void print() {
            var baseLogins = between(logins, baseline.from(), baseline.to());
            var baseTokens = between(tokens, baseline.from(), baseline.to());
            var base = latency(baseLogins, s -> s.status() == 200);
            var baseToken = latency(baseTokens, s -> s.status() == 200);
            System.out.printf("baseline: %.0f logins/s open loop, %d s: %s; 200s %s%n", baseline.rate(), baseline.seconds(),
                    statuses(byStatus(baseLogins)), base);
            System.out.printf("  token endpoint: %s; 200s %s%n", statuses(byStatus(baseTokens)), baseToken);

            var over = between(logins, overload.from(), overload.to());
            var overTokens = between(tokens, overload.from(), overload.to());
            var admitted = latency(over, s -> s.status() == 200);
            var shed = latency(over, SHED);
            long timeouts = count(over, s -> s.status() == Sample.TIMEOUT || s.status() == Sample.CONNECT_TIMEOUT);
            long dropped = count(over, s -> s.status() == Sample.DROPPED);
            long spanned = count(over, gc::spans);
            System.out.printf("overload: %.1f logins/s offered (%.1f x capacity %.1f/s) for %d s, %d arrivals; by status %s%n", overload.rate(),
                    multiple, capacity, overload.seconds(), over.size(), statuses(byStatus(over)));
            System.out.printf("  admitted (200): %d (%.1f/s) %s%n", count(over, s -> s.status() == 200),
                    count(over, s -> s.status() == 200) / (double) overload.seconds(), admitted);
            System.out.printf("  shed (429/503): %d %s%n", count(over, SHED), shed);
            System.out.printf("  timeouts (connect 5 s, answer 10 s): %d; dropped at the in-flight cap: %d; in flight across the forced GC (its pause taken off their latency): %d%n",
                    timeouts, dropped, spanned);
            var overToken = latency(overTokens, s -> s.status() == 200);
            System.out.printf("  token endpoint: %s; 200s %s%n", statuses(byStatus(overTokens)), overToken);
            long max = Runtime.getRuntime().maxMemory();
            long growth = heapAfter - heapBefore;
            System.out.printf("  heap: %.0f MB after GC before the overload, peak %.0f MB during it (garbage included), %.0f MB after GC when it stopped"
                    + " (GC took %.0f ms); max heap %.0f MB%n", heapBefore / MB, heapPeak / MB, heapAfter / MB, gc.lastPauseMs(), max / MB);

            var afterLogins = between(logins, recovery.from(), recovery.to());
            var afterTokens = between(tokens, recovery.from(), recovery.to());
            double limit = 2 * base.p95();
            var windows = Recovery.of(afterLogins.stream().map(gc::corrected).toList(), s -> s.status() == 200, recovery.from(),
                    recovery.to(), limit);
            System.out.printf("recovery: %.0f logins/s, %d s: %s; 200s %s%n", recovery.rate(), recovery.seconds(), statuses(byStatus(afterLogins)),
                    latency(afterLogins, s -> s.status() == 200));
            System.out.printf("  token endpoint: %s; 200s %s%n", statuses(byStatus(afterTokens)), latency(afterTokens, s -> s.status() == 200));
            System.out.printf("  logins' p95 per %d-s window (limit 2x baseline = %.1f ms, every login answered 200):%s%n", WINDOW.toSeconds(), limit,
                    windows.describe());
            System.out.printf("  back under the limit: first within %s; for good within %s%n", seconds(windows.firstUnderWithin()),
                    seconds(windows.staysUnderWithin()));

            var fromBaseline = new ArrayList<Sample>(between(logins, baseline.from(), recovery.to()));
            fromBaseline.addAll(between(tokens, baseline.from(), recovery.to()));
            var serverErrors = byStatus(fromBaseline.stream().filter(s -> s.status() >= 500 && s.status() != 503).toList());
            long connectionErrors = count(fromBaseline, s -> s.status() == Sample.ERROR);

            // The offered rate rests on the capacity measured first; measured low (a busy machine), "2x" is no overload at all.
            double admittedPerSecond = count(over, s -> s.status() == 200) / (double) overload.seconds();
            boolean overloaded = admittedPerSecond < 0.9 * overload.rate();
            System.out.println();
            System.out.printf("VERDICT LD-04 (overload at %.1f x capacity)%s:%n", multiple, overloaded ? "" : " INCONCLUSIVE");
            if (!overloaded) {
                System.out.printf("  NOT AN OVERLOAD: %.1f of the %.1f logins/s offered were admitted, so the capacity phase (%.1f/s) measured low"
                        + " (a busy machine?); the lines below do not speak to LD-04. Run again.%n", admittedPerSecond, overload.rate(), capacity);
            }
            verdict("excess answered 429/503 within 100 ms (p95)", shed.n() > 0 && shed.p95() <= 100,
                    String.format("%d shed, p50=%.1f ms p95=%.1f ms max=%.1f ms%s", shed.n(), shed.p50(), shed.p95(), shed.max(),
                            shed.n() > 0 && shed.max() > 100 ? " (some over 100 ms)" : ""));
            verdict("excess refused, not queued: no timeouts, none dropped at the driver's cap", timeouts == 0 && dropped == 0,
                    String.format("timeouts=%d dropped=%d", timeouts, dropped));
            verdict("admitted logins' p95 <= 2x baseline p95", admitted.n() > 0 && admitted.p95() <= limit,
                    String.format("%.1f ms vs 2 x %.1f ms", admitted.p95(), base.p95()));
            verdict("token p95 <= 2x baseline p95", overToken.n() > 0 && overToken.p95() <= 2 * baseToken.p95(),
                    String.format("%.1f ms vs 2 x %.1f ms", overToken.p95(), baseToken.p95()));
            verdict("no 5xx other than 503 (logins and token, baseline to recovery)", serverErrors.isEmpty(),
                    (serverErrors.isEmpty() ? "none" : statuses(serverErrors)) + "; connection errors: " + connectionErrors);
            verdict("heap bounded: retained growth <= 10 % of max heap, peak < 90 %", growth <= max / 10 && heapPeak < max * 0.9,
                    String.format("growth %+.0f MB (limit %.0f MB), peak %.0f MB of %.0f MB", growth / MB, max / 10 / MB, heapPeak / MB, max / MB));
            verdict("recovered within 30 s (p95 back under 2x baseline, every login answered 200, to the end)", windows.staysUnderWithin().isPresent(),
                    "for good within " + seconds(windows.staysUnderWithin()));
        }

        private static String seconds(Optional<Long> s) {
            return s.map(v -> v + " s").orElse("never (in the recovery phase)");
        }
    }
}
