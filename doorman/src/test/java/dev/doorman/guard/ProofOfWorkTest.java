package dev.doorman.guard;

import dev.doorman.support.Secrets;
import dev.doorman.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ProofOfWorkTest {
    private final MutableClock clock = MutableClock.at(Instant.parse("2026-11-28T10:00:00Z"));
    private final RateLimits limits = new RateLimits(BucketStores.memory(clock), GuardSettings.defaults());
    private final ProofOfWork pow = new ProofOfWork(new byte[32], limits, clock, new Secrets(new SecureRandom()), Duration.ofMinutes(5));

    @Test
    void verifyWhenSolvedThenAcceptedOnceAndTheSecondUseIsRefused() {
        var c = pow.issue("login", "203.0.113.9", 12);
        String nonce = ProofOfWork.solve(c.value(), 12);
        assertThat(pow.verify(c.value(), nonce, "login", "203.0.113.9", 12)).isEmpty();
        assertThat(pow.verify(c.value(), nonce, "login", "203.0.113.9", 12)).contains(ProofOfWork.Failure.ALREADY_USED);
    }

    @Test
    void verifyWhenNotSolvedTamperedExpiredOrMovedThenRefusedWithWhy() {
        var c = pow.issue("login", "203.0.113.9", 12);
        String nonce = ProofOfWork.solve(c.value(), 12);
        String unsolved = nonce.equals("0") ? "1" : "0";
        if (ProofOfWork.leadingZeroBits(sha(c.value() + unsolved)) < 12)
            assertThat(pow.verify(c.value(), unsolved, "login", "203.0.113.9", 12)).contains(ProofOfWork.Failure.NOT_SOLVED);
        String easier = c.value().replace(".12.", ".1.");
        assertThat(pow.verify(easier, ProofOfWork.solve(easier, 1), "login", "203.0.113.9", 1)).contains(ProofOfWork.Failure.FORGED);
        assertThat(pow.verify(c.value(), nonce, "login", "203.0.113.10", 12)).contains(ProofOfWork.Failure.WRONG_SOURCE);
        assertThat(pow.verify(c.value(), nonce, "register", "203.0.113.9", 12)).contains(ProofOfWork.Failure.WRONG_FORM);
        assertThat(pow.verify(c.value(), nonce, "login", "203.0.113.9", 16)).contains(ProofOfWork.Failure.TOO_EASY);
        assertThat(pow.verify(c.value(), "not a nonce!", "login", "203.0.113.9", 12)).contains(ProofOfWork.Failure.MALFORMED);
        assertThat(pow.verify("garbage", nonce, "login", "203.0.113.9", 12)).contains(ProofOfWork.Failure.MALFORMED);
        clock.advance(Duration.ofMinutes(5));
        assertThat(pow.verify(c.value(), nonce, "login", "203.0.113.9", 12)).contains(ProofOfWork.Failure.EXPIRED);
    }

    @Test
    void verifyWhenAnotherServerKeySignedItThenForged() {
        var other = new ProofOfWork(new byte[]{1, 2, 3}, limits, clock, new Secrets(new SecureRandom()), Duration.ofMinutes(5));
        var c = other.issue("login", "203.0.113.9", 8);
        assertThat(pow.verify(c.value(), ProofOfWork.solve(c.value(), 8), "login", "203.0.113.9", 8)).isEqualTo(Optional.of(ProofOfWork.Failure.FORGED));
    }

    private static byte[] sha(String s) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
