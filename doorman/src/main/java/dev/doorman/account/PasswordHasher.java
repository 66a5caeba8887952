package dev.doorman.account;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;

/**
 * Argon2id (BouncyCastle) in PHC string form, {@code $argon2id$v=19$m=…,t=…,p=…$salt$hash}, so each hash carries
 * its own parameters and old ones can be upgraded on the next login. At most one hash per core runs at a time:
 * more only adds latency for everyone and memory (m per hash) for an attacker to exhaust. At most {@code queue} more
 * wait for a core; beyond that a hash is refused at once with {@link Overloaded}, so a login flood is shed (503)
 * instead of piling up, and requests that need no hash (tokens, userinfo, pages) keep their latency.
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

    private final Argon2Params params;
    private final java.util.function.IntFunction<byte[]> saltSource;
    private final Semaphore permits;
    private final int admitted;
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
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
        this(params, saltSource, concurrency, Integer.MAX_VALUE / 2, Timing.NONE);
    }

    public PasswordHasher(Argon2Params params, java.util.function.IntFunction<byte[]> saltSource, int concurrency, int queue) {
        this(params, saltSource, concurrency, queue, Timing.NONE);
    }

    /** @param queue how many hashes may wait for one of the {@code concurrency} slots; more are refused with {@link Overloaded} */
    public PasswordHasher(Argon2Params params, java.util.function.IntFunction<byte[]> saltSource, int concurrency, int queue,
                          Timing timing) {
        this.timing = timing;
        this.params = params;
        this.saltSource = saltSource;
        this.permits = new Semaphore(Math.max(1, concurrency), true);
        this.admitted = Math.max(1, concurrency) + Math.max(0, queue);
        // Made off the start-up path (a first, still interpreted, hash costs over 100 ms); the first dummy verify waits for it.
        this.dummyHash = CompletableFuture.supplyAsync(() -> hash(new Password("doorman-dummy-password-for-equal-timing")),
                task -> Thread.ofVirtual().name("doorman-dummy-hash").start(task));
    }

    public String hash(Password password) {
        byte[] salt = saltSource.apply(SALT_BYTES);
        byte[] out = derive(password, salt, params.memoryKib(), params.iterations(), params.parallelism());
        return "$argon2id$v=19$m=" + params.memoryKib() + ",t=" + params.iterations() + ",p=" + params.parallelism()
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
    }

    /** Constant-time comparison; a malformed stored hash never matches. */
    public boolean verify(Password password, String phc) {
        return parse(phc).map(p -> MessageDigest.isEqual(p.hash,
                derive(password, p.salt, p.memoryKib, p.iterations, p.parallelism))).orElse(false);
    }

    /** Does the work of a verification against nothing, so an unknown account costs what a known one does. */
    public void dummyVerify(Password password) {
        verify(password, dummyHash.join());
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

    private byte[] derive(Password password, byte[] salt, int memoryKib, int iterations, int parallelism) {
        var parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib).withIterations(iterations).withParallelism(parallelism)
                .withSalt(salt).build();
        var generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[HASH_BYTES];
        byte[] input = password.value().getBytes(StandardCharsets.UTF_8);
        if (inFlight.incrementAndGet() > admitted) {
            inFlight.decrementAndGet();
            throw new Overloaded();
        }
        try {
            long queued = System.nanoTime();
            permits.acquireUninterruptibly();
            long started = System.nanoTime();
            try {
                generator.generateBytes(input, out);
            } finally {
                permits.release();
            }
            timing.record(started - queued, System.nanoTime() - started);
        } finally {
            inFlight.decrementAndGet();
        }
        return out;
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
