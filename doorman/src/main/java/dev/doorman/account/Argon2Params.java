package dev.doorman.account;

/**
 * Argon2id cost. The floor is OWASP's minimum (m=19 MiB, t=2, p=1). The default, m=19 MiB and t=4, costs about
 * 50 ms per hash and allows about 33 logins/s on two cores (bench/, docs/performance.md): slower than the floor
 * for an attacker, fast enough for the 25 logins/s a two-core node must sustain.
 */
public record Argon2Params(int memoryKib, int iterations, int parallelism) {
    public Argon2Params {
        if (memoryKib < 19 * 1024) throw new IllegalArgumentException("argon2 memory must be at least 19456 KiB (OWASP minimum)");
        if (iterations < 2) throw new IllegalArgumentException("argon2 iterations must be at least 2");
        if (parallelism < 1) throw new IllegalArgumentException("argon2 parallelism must be at least 1");
    }

    public static Argon2Params defaults() {
        return new Argon2Params(19 * 1024, 4, 1);
    }
}
