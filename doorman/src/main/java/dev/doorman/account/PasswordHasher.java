package dev.doorman.account;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Argon2id (BouncyCastle) in PHC string form, {@code $argon2id$v=19$m=…,t=…,p=…$salt$hash}, so each hash carries
 * its own parameters and old ones can be upgraded on the next login. At most one hash per core runs at a time, on the
 * hasher's own threads: more only adds latency for everyone and memory (m per hash) for an attacker to exhaust. At
 * most {@code queue} more of each {@link Priority} wait for a core; beyond that a hash is refused at once with
 * {@link Overloaded}, so a login flood is shed (503) instead of piling up, known users' hashes go first, and requests
 * that need no hash (tokens, userinfo, pages) keep their latency.
 *
 * <p>The queue is for peaks, not for overload. Once a stranger's hash has been refused, strangers stop queueing for
 * as long as that refusal told its client to stay away ({@link #QUEUE_CLOSED_FOR}, the 503's Retry-After): a
 * stranger is let in only while a core is free for it, so under sustained overload the strangers let in wait for no
 * one, and their latency stays what it is without load. The queue opens again a second after the last refusal.
 */
public final class PasswordHasher {
    /** Every hashing slot and its queue are taken: try again shortly. Nothing was hashed. */
    public static final class Overloaded extends RuntimeException {
        public Overloaded() {
            super("password hashing is at capacity", null, false, false);
        }
    }

    private static final Pattern PHC = Pattern.compile("\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,64})\\$([A-Za-z0-9+/]{22,128})");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    /**
     * Which hashes go first when they wait for a core. {@link #FIRST}: a browser that already logged in to the account
     * (a known device) or a signed-in user re-entering their password; {@link #NORMAL}: everyone else. Each has its own
     * bound on waiting hashes, so a flood of strangers is shed while known users keep getting in.
     */
    public enum Priority { FIRST, NORMAL }

    /** How long strangers do not queue after one was refused: the Retry-After of the 503 that refusal becomes. */
    public static final java.time.Duration QUEUE_CLOSED_FOR = java.time.Duration.ofSeconds(1);

    private final Argon2Params params;
    private final java.util.function.IntFunction<byte[]> saltSource;
    private final int threads;
    private final int admitted;
    private final java.util.function.LongSupplier nanoTime;
    /** When a stranger was last refused ({@link #nanoTime} scale); strangers do not queue for {@link #QUEUE_CLOSED_FOR} after. */
    private volatile long strangerRefusedAt;
    private final Map<Priority, AtomicInteger> inFlight = new EnumMap<>(Map.of(Priority.FIRST, new AtomicInteger(), Priority.NORMAL, new AtomicInteger()));
    private final ThreadPoolExecutor cores;
    /**
     * Each hashing thread's Argon2 memory (m KiB in 1 KiB blocks), zeroed by BouncyCastle after every hash and used
     * again by the next: a new 19 MiB for every hash would keep the collector busy, and its pauses would reach every
     * request. It goes with its thread, which goes after 30 s idle.
     */
    private final ThreadLocal<Argon2BytesGenerator.BlockPool> blockPool;
    private final AtomicLong arrivals = new AtomicLong();
    private final CompletableFuture<String> dummyHash;
    private final Timing timing;

    /** Told how long each Argon2id derivation waited for a core and then ran (the password-hash metrics). */
    @FunctionalInterface
    public interface Timing {
        Timing NONE = (waitNanos, hashNanos) -> { };

        void record(long waitNanos, long hashNanos);
    }

    /** @param saltSource returns n random bytes (SecureRandom behind it) */
    public PasswordHasher(Argon2Params params, java.util.function.IntFunction<byte[]> saltSource, int concurrency) {
        this(params, saltSource, concurrency, Integer.MAX_VALUE / 4, Timing.NONE);
    }

    public PasswordHasher(Argon2Params params, java.util.function.IntFunction<byte[]> saltSource, int concurrency, int queue) {
        this(params, saltSource, concurrency, queue, Timing.NONE);
    }

    /**
     * @param queue how many hashes of one {@link Priority} may wait for one of the {@code concurrency} cores; more are
     *              refused with {@link Overloaded}
     */
    public PasswordHasher(Argon2Params params, java.util.function.IntFunction<byte[]> saltSource, int concurrency, int queue,
                          Timing timing) {
        this(params, saltSource, concurrency, queue, timing, System::nanoTime);
    }

    /** @param nanoTime the clock that times how long strangers do not queue after a refusal ({@link System#nanoTime()}) */
    public PasswordHasher(Argon2Params params, java.util.function.IntFunction<byte[]> saltSource, int concurrency, int queue,
                          Timing timing, java.util.function.LongSupplier nanoTime) {
        this.timing = timing;
        this.params = params;
        this.saltSource = saltSource;
        this.nanoTime = nanoTime;
        this.strangerRefusedAt = nanoTime.getAsLong() - QUEUE_CLOSED_FOR.toNanos();
        this.threads = Math.max(1, concurrency);
        this.admitted = threads + Math.max(0, queue);
        int blocks = Argon2BytesGenerator.getBlockCount(params.memoryKib(), params.parallelism());
        this.blockPool = ThreadLocal.withInitial(() -> new Argon2BytesGenerator.FixedBlockPool(blocks));
        // Platform threads of their own: a hash runs for tens of milliseconds without a blocking call, and on a virtual
        // thread it would hold a carrier that every other request (tokens, pages) needs. Idle threads go away.
        var counter = new AtomicLong();
        this.cores = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new PriorityBlockingQueue<>(),
                task -> {
                    var t = new Thread(task, "doorman-argon2-" + counter.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.cores.allowCoreThreadTimeOut(true);
        // Made off the start-up path (a first, still interpreted, hash costs over 100 ms); the first dummy verify waits for it.
        this.dummyHash = CompletableFuture.supplyAsync(() -> hash(new Password("doorman-dummy-password-for-equal-timing")),
                task -> Thread.ofVirtual().name("doorman-dummy-hash").start(task));
    }

    public String hash(Password password) {
        return hash(password, Priority.NORMAL);
    }

    public String hash(Password password, Priority priority) {
        byte[] salt = saltSource.apply(SALT_BYTES);
        byte[] out = derive(password, salt, params.memoryKib(), params.iterations(), params.parallelism(), priority);
        return "$argon2id$v=19$m=" + params.memoryKib() + ",t=" + params.iterations() + ",p=" + params.parallelism()
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
    }

    /** Constant-time comparison; a malformed stored hash never matches. */
    public boolean verify(Password password, String phc) {
        return verify(password, phc, Priority.NORMAL);
    }

    public boolean verify(Password password, String phc, Priority priority) {
        return parse(phc).map(p -> MessageDigest.isEqual(p.hash,
                derive(password, p.salt, p.memoryKib, p.iterations, p.parallelism, priority))).orElse(false);
    }

    /** Does the work of a verification against nothing, so an unknown account costs what a known one does. */
    public void dummyVerify(Password password) {
        dummyVerify(password, Priority.NORMAL);
    }

    public void dummyVerify(Password password, Priority priority) {
        verify(password, dummyHash.join(), priority);
    }

    /** Whether a stored hash was made with other parameters than today's. */
    public boolean needsRehash(String phc) {
        return parse(phc).map(p -> p.memoryKib != params.memoryKib() || p.iterations != params.iterations()
                || p.parallelism != params.parallelism()).orElse(true);
    }

    /** Whether a string is a well-formed Argon2id PHC hash (for imports that bring their own hashes). */
    public static boolean isWellFormed(String phc) {
        return parse(phc).isPresent();
    }

    private byte[] derive(Password password, byte[] salt, int memoryKib, int iterations, int parallelism, Priority priority) {
        var parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib).withIterations(iterations).withParallelism(parallelism)
                .withSalt(salt);
        byte[] input = password.value().getBytes(StandardCharsets.UTF_8);
        var waiting = inFlight.get(priority);
        if (waiting.incrementAndGet() > bound(priority)) {
            waiting.decrementAndGet();
            if (priority == Priority.NORMAL) strangerRefusedAt = nanoTime.getAsLong();
            throw new Overloaded();
        }
        try {
            var job = new Job(priority, arrivals.incrementAndGet(), System.nanoTime(), parameters, input);
            cores.execute(job);
            // A virtual thread waiting here gives its carrier back; the hash runs on one of this hasher's own threads.
            return job.result.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        } finally {
            waiting.decrementAndGet();
        }
    }

    /** How many hashes of this priority may be running or waiting: no queue for strangers just after one was refused. */
    private int bound(Priority priority) {
        boolean queueClosed = priority == Priority.NORMAL && nanoTime.getAsLong() - strangerRefusedAt < QUEUE_CLOSED_FOR.toNanos();
        return queueClosed ? threads : admitted;
    }

    /** One derivation waiting for a core: {@link Priority#FIRST} before {@link Priority#NORMAL}, then in arrival order. */
    private final class Job implements Runnable, Comparable<Job> {
        final Priority priority;
        final long arrival;
        final long queuedAt;
        final Argon2Parameters.Builder parameters;
        final byte[] input;
        final CompletableFuture<byte[]> result = new CompletableFuture<>();

        Job(Priority priority, long arrival, long queuedAt, Argon2Parameters.Builder parameters, byte[] input) {
            this.priority = priority;
            this.arrival = arrival;
            this.queuedAt = queuedAt;
            this.parameters = parameters;
            this.input = input;
        }

        @Override
        public void run() {
            try {
                long started = System.nanoTime();
                var generator = new Argon2BytesGenerator();
                generator.init(parameters.withBlockPool(blockPool.get()).build());
                byte[] out = new byte[HASH_BYTES];
                generator.generateBytes(input, out);
                timing.record(started - queuedAt, System.nanoTime() - started);
                result.complete(out);
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        }

        @Override
        public int compareTo(Job other) {
            int byPriority = priority.compareTo(other.priority);
            return byPriority != 0 ? byPriority : Long.compare(arrival, other.arrival);
        }
    }

    private record Parsed(int memoryKib, int iterations, int parallelism, byte[] salt, byte[] hash) { }

    private static Optional<Parsed> parse(String phc) {
        if (phc == null) return Optional.empty();
        var m = PHC.matcher(phc);
        if (!m.matches()) return Optional.empty();
        int memory = Integer.parseInt(m.group(1));
        int iterations = Integer.parseInt(m.group(2));
        int parallelism = Integer.parseInt(m.group(3));
        // Refuse parameters that would let a planted hash exhaust memory or CPU.
        if (memory < 8 || memory > 1024 * 1024 || iterations < 1 || iterations > 20 || parallelism < 1 || parallelism > 16)
            return Optional.empty();
        try {
            return Optional.of(new Parsed(memory, iterations, parallelism, B64D.decode(m.group(4)), B64D.decode(m.group(5))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
