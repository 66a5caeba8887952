package dev.doorman.guard;

import dev.doorman.account.Argon2Params;
import dev.doorman.account.Password;
import dev.doorman.account.PasswordHasher;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The hashing pool admits its slots plus a short queue; the rest is refused at once, and nothing is lost for the admitted. */
class LoadSheddingTest {
    @Test
    void verifyWhenMoreArriveThanSlotsPlusQueueThenTheRestAreRefusedAtOnceAndTheAdmittedAllFinish() throws Exception {
        var random = new SecureRandom();
        var hasher = new PasswordHasher(Argon2Params.defaults(), n -> {
            byte[] b = new byte[n];
            random.nextBytes(b);
            return b;
        }, 1, 1);
        String hash = hasher.hash(new Password("correct horse battery staple"));
        // The dummy hash for unknown accounts is made on a background thread at construction and takes a slot while
        // it runs; wait for it, so that the flood below meets an idle pool.
        hasher.dummyVerify(new Password("warm up the dummy hash"));
        int callers = 12;
        var start = new CountDownLatch(1);
        var results = new ArrayList<Future<String>>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < callers; i++) {
                Callable<String> call = () -> {
                    start.await();
                    try {
                        return hasher.verify(new Password("correct horse battery staple"), hash) ? "ok" : "wrong";
                    } catch (PasswordHasher.Overloaded e) {
                        return "shed";
                    }
                };
                results.add(pool.submit(call));
            }
            start.countDown();
        }
        var outcomes = new ArrayList<String>();
        for (var f : results) {
            try {
                outcomes.add(f.get());
            } catch (ExecutionException e) {
                throw new AssertionError(e.getCause());
            }
        }
        assertThat(outcomes).contains("shed").doesNotContain("wrong");
        assertThat(outcomes.stream().filter("ok"::equals).count()).isBetween(2L, (long) callers - 1);
        // Once the flood is over, hashing works again.
        assertThat(hasher.verify(new Password("correct horse battery staple"), hash)).isTrue();
    }

    @Test
    void verifyWhenStrangersFillTheirQueueThenAKnownUsersHashIsStillAdmittedAndRunsBeforeTheWaitingOnes() throws Exception {
        var random = new SecureRandom();
        // A slow hash (t=20), so that the order below is set long before the running hash ends.
        var hasher = new PasswordHasher(new Argon2Params(19456, 20, 1), n -> {
            byte[] b = new byte[n];
            random.nextBytes(b);
            return b;
        }, 1, 2);
        String hash = hasher.hash(new Password("correct horse battery staple"));
        hasher.dummyVerify(new Password("warm up the dummy hash"));
        var finished = new java.util.concurrent.ConcurrentLinkedQueue<String>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Callable<String> stranger = () -> hasher.verify(new Password("correct horse battery staple"), hash, PasswordHasher.Priority.NORMAL) ? "ok" : "wrong";
            var running = pool.submit(() -> finished.add("stranger running " + stranger.call()));
            Thread.sleep(50);
            var waiting = List.of(pool.submit(() -> finished.add("stranger waiting " + stranger.call())),
                    pool.submit(() -> finished.add("stranger waiting " + stranger.call())));
            Thread.sleep(50);
            // The strangers' lane is full: one more is refused at once...
            org.assertj.core.api.Assertions.assertThatThrownBy(stranger::call).isInstanceOf(PasswordHasher.Overloaded.class);
            // ...while a known user's hash is admitted and goes ahead of the two waiting strangers.
            var known = pool.submit(() -> finished.add("known " + (hasher.verify(new Password("correct horse battery staple"), hash,
                    PasswordHasher.Priority.FIRST) ? "ok" : "wrong")));
            known.get();
            running.get();
            for (var w : waiting) w.get();
        }
        assertThat(finished).containsExactly("stranger running ok", "known ok", "stranger waiting ok", "stranger waiting ok");
    }

    @Test
    void verifyWhenAStrangerWasJustRefusedThenStrangersDoNotQueueUntilItsRetryAfterHasPassed() throws Exception {
        var random = new SecureRandom();
        var now = new java.util.concurrent.atomic.AtomicLong();
        // Slow hashes (t=20), so that what runs and what waits is settled long before a hash ends; the clock is the test's.
        var hasher = new PasswordHasher(new Argon2Params(19456, 20, 1), n -> {
            byte[] b = new byte[n];
            random.nextBytes(b);
            return b;
        }, 1, 2, PasswordHasher.Timing.NONE, now::get);
        String hash = hasher.hash(new Password("correct horse battery staple"));
        hasher.dummyVerify(new Password("warm up the dummy hash"));
        Callable<Boolean> stranger = () -> hasher.verify(new Password("correct horse battery staple"), hash, PasswordHasher.Priority.NORMAL);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var running = pool.submit(stranger);
            Thread.sleep(50);
            // A peak: the queue takes two more, and the next one is refused.
            var queued = List.of(pool.submit(stranger), pool.submit(stranger));
            Thread.sleep(50);
            org.assertj.core.api.Assertions.assertThatThrownBy(stranger::call).isInstanceOf(PasswordHasher.Overloaded.class);

            assertThat(running.get()).isTrue();
            // One waiting hash has its core now and the queue has room, but for a second strangers wait for no one.
            org.assertj.core.api.Assertions.assertThatThrownBy(stranger::call).as("the queue is closed after a refusal")
                    .isInstanceOf(PasswordHasher.Overloaded.class);
            now.addAndGet(PasswordHasher.QUEUE_CLOSED_FOR.toNanos());
            var afterRetryAfter = pool.submit(stranger);
            Thread.sleep(50);
            assertThat(afterRetryAfter.isDone()).as("queued again, not refused").isFalse();
            assertThat(afterRetryAfter.get()).isTrue();
            for (var q : queued) assertThat(q.get()).isTrue();
        }
    }
}
