package dev.doorman.mfa;

import dev.doorman.account.UserId;
import dev.doorman.db.StoreContract;
import dev.doorman.support.PurgeSchedule;
import dev.doorman.support.Secrets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Purging second-factor state nobody can use any more, and nothing else: by a call, by the schedule, by several nodes at once. */
abstract class MfaPurgeContract extends StoreContract {
    private static final MfaSettings SETTINGS = MfaSettings.defaults();   // failure window: 1 hour
    private static final Duration SHORT = Duration.ofMinutes(5);
    private static final Duration LONG = Duration.ofMinutes(20);

    private JdbiLoginChallengeStore challenges;
    private JdbiTotpStore totp;
    private JdbiCeremonyStore ceremonies;
    private MfaPurge purge;

    @BeforeEach
    void setUp() {
        challenges = new JdbiLoginChallengeStore(db.jdbi());
        totp = new JdbiTotpStore(db.jdbi());
        ceremonies = new JdbiCeremonyStore(db.jdbi());
        purge = new MfaPurge(db.jdbi(), clock, SETTINGS);
    }

    /** One row of each kind for {@code user}, living {@code ttl} from now; a wrong code recorded now. */
    private void state(UserId user, String name, Duration ttl) {
        Instant now = clock.instant();
        challenges.save(Secrets.hash("challenge-" + name), new LoginChallenge(user, Secrets.hash("password-hash"), Optional.empty(), "/account", 0,
                now, now.plus(ttl)));
        totp.savePending(user, "sealed-" + name, now.plus(ttl));
        ceremonies.save(Secrets.hash("ceremony-" + name), new CeremonyStore.Ceremony(CeremonyStore.Purpose.STEP_UP, Optional.of(user),
                Optional.of("session-" + name), now.plus(ttl)));
        challenges.record(user, now, now.minus(SETTINGS.failureWindow()));
    }

    private boolean present(UserId user, String name) {
        return challenges.find(Secrets.hash("challenge-" + name)).isPresent()
                && rows("mfa_totp_pending", "user_id", user.toString()) == 1
                && rows("webauthn_ceremonies", "challenge_hash", Secrets.hash("ceremony-" + name)) == 1;
    }

    private boolean gone(UserId user, String name) {
        return challenges.find(Secrets.hash("challenge-" + name)).isEmpty()
                && rows("mfa_totp_pending", "user_id", user.toString()) == 0
                && rows("webauthn_ceremonies", "challenge_hash", Secrets.hash("ceremony-" + name)) == 0;
    }

    private int failures(UserId user) {
        return challenges.countSince(user, Instant.EPOCH);
    }

    private int rows(String table, String column, String value) {
        return db.jdbi().withHandle(h -> h.createQuery("select count(*) from " + table + " where " + column + " = :v").bind("v", value)
                .mapTo(Integer.class).one());
    }

    @Test
    void purgeWhenRowsReachTheirExpiryThenExactlyThoseGoAndLiveOnesStay() {
        UserId shortLived = newUser();
        UserId longLived = newUser();
        state(shortLived, "short", SHORT);
        state(longLived, "long", LONG);

        assertThat(purge.purgeExpired()).isEqualTo(new MfaPurge.Purged(0, 0, 0, 0));

        clock.advance(SHORT.minusMillis(1));
        assertThat(purge.purgeExpired()).isEqualTo(new MfaPurge.Purged(0, 0, 0, 0));
        assertThat(present(shortLived, "short")).isTrue();

        // At the expiry instant itself the readers treat a row as dead already: so does the purge.
        clock.advance(Duration.ofMillis(1));
        assertThat(purge.purgeExpired()).isEqualTo(new MfaPurge.Purged(1, 1, 1, 0));
        assertThat(gone(shortLived, "short")).isTrue();
        assertThat(present(longLived, "long")).isTrue();
        assertThat(failures(shortLived)).isEqualTo(1);
    }

    @Test
    void purgeWhenAWrongCodeIsOlderThanTheFailureWindowThenItGoesAndNewerOnesStillCount() {
        UserId early = newUser();
        UserId later = newUser();
        challenges.record(early, clock.instant(), clock.instant().minus(SETTINGS.failureWindow()));
        clock.advance(Duration.ofMinutes(30));
        challenges.record(later, clock.instant(), clock.instant().minus(SETTINGS.failureWindow()));

        clock.advance(Duration.ofMinutes(30));   // the early one is exactly at the window's edge: it still counts
        assertThat(purge.purgeExpired().failures()).isZero();
        assertThat(failures(early)).isEqualTo(1);

        clock.advance(Duration.ofMillis(1));
        assertThat(purge.purgeExpired().failures()).isEqualTo(1);
        assertThat(failures(early)).isZero();
        assertThat(failures(later)).isEqualTo(1);
    }

    @Test
    void purgeWhenSeveralNodesPurgeAtOnceThenEveryExpiredRowGoesExactlyOnceAndNoneFails() throws Exception {
        int users = 20;
        List<UserId> dead = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            UserId user = newUser();
            state(user, "dead-" + i, SHORT);
            dead.add(user);
        }
        UserId live = newUser();
        clock.advance(Duration.ofMinutes(41));
        state(live, "live", LONG);
        clock.advance(Duration.ofMinutes(19).plusMillis(1));   // the dead rows' wrong codes are now just past the hour's window

        // Each racer is a node of its own: its own purge, its own connection.
        List<MfaPurge.Purged> results = concurrently(4, i -> new MfaPurge(db.jdbi(), clock, SETTINGS).purgeExpired());

        assertThat(results.stream().mapToInt(MfaPurge.Purged::challenges).sum()).isEqualTo(users);
        assertThat(results.stream().mapToInt(MfaPurge.Purged::pendingTotp).sum()).isEqualTo(users);
        assertThat(results.stream().mapToInt(MfaPurge.Purged::ceremonies).sum()).isEqualTo(users);
        assertThat(results.stream().mapToInt(MfaPurge.Purged::failures).sum()).isEqualTo(users);
        for (int i = 0; i < users; i++) assertThat(gone(dead.get(i), "dead-" + i)).isTrue();
        assertThat(dead).allSatisfy(user -> assertThat(failures(user)).isZero());
        assertThat(present(live, "live")).isTrue();
        assertThat(failures(live)).isEqualTo(1);
    }

    @Test
    void scheduleWhenItRunsThenExpiredRowsDisappearWithoutACallAndLiveOnesStay() throws InterruptedException {
        UserId shortLived = newUser();
        UserId longLived = newUser();
        state(shortLived, "short", SHORT);
        state(longLived, "long", LONG);
        clock.advance(SHORT);

        try (var schedule = PurgeSchedule.start("mfa-purge", purge::purgeExpired, Duration.ofMillis(20))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!gone(shortLived, "short")) {
                assertThat(System.nanoTime()).as("the scheduled purge never ran").isLessThan(deadline);
                Thread.sleep(20);
            }
            Thread.sleep(100);   // several more runs
            assertThat(present(longLived, "long")).isTrue();
            assertThat(failures(shortLived)).isEqualTo(1);
        }
    }
}
