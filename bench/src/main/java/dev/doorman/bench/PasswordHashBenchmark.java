package dev.doorman.bench;

import dev.doorman.account.Argon2Params;
import dev.doorman.account.Password;
import dev.doorman.account.PasswordHasher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

/**
 * The cost of one Argon2id verification (what a login pays) at candidate parameters, to pick the default.
 * Run: {@code java -jar bench/target/benchmarks.jar PasswordHashBenchmark -t 1} (and {@code -t 2} for throughput on both cores).
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class PasswordHashBenchmark {
    /** memoryKib:iterations */
    @Param({"19456:2", "19456:3", "19456:4", "38912:2", "65536:2"})
    public String params;

    private PasswordHasher hasher;
    private String stored;
    private final Password password = new Password("correct horse battery staple");

    @Setup
    public void setUp() {
        String[] p = params.split(":");
        int memory = Integer.parseInt(p[0]);
        int iterations = Integer.parseInt(p[1]);
        var random = new SecureRandom();
        hasher = new PasswordHasher(new Argon2Params(Math.max(memory, 19456), Math.max(iterations, 2), 1), n -> {
            byte[] b = new byte[n];
            random.nextBytes(b);
            return b;
        }, Runtime.getRuntime().availableProcessors());
        stored = hasher.hash(password);
    }

    @Benchmark
    public boolean verify() {
        return hasher.verify(password, stored);
    }
}
