package dev.doorman.account;

/**
 * Argon2id cost. The floor is OWASP's minimum (m=19 MiB, t=2, p=1); the default (m=19 MiB, t=3) was picked from
 * bench/ to cost about 50-100 ms on two cores (docs/performance.md).
 */
public record Argon2Params(int memoryKib, int iterations, int parallelism) {
    public Argon2Params {
        if (memoryKib < 19 * 1024) throw new IllegalArgumentException("argon2 memory must be at least 19456 KiB (OWASP minimum)");
        if (iterations < 2) throw new IllegalArgumentException("argon2 iterations must be at least 2");
        if (parallelism < 1) throw new IllegalArgumentException("argon2 parallelism must be at least 1");
    }

    public static Argon2Params defaults() {
        return new Argon2Params(19 * 1024, 3, 1);
    }
}
