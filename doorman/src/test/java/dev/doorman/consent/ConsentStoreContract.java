package dev.doorman.consent;

import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.doorman.account.UserId;
import dev.doorman.consent.ConsentStore.Consent;
import dev.doorman.db.StoreContract;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Consents (OA-12): one per user and client, merged, listed and withdrawn. */
abstract class ConsentStoreContract extends StoreContract {
    private static final ClientID NOTES = new ClientID("s6BhdRkqt3");
    private static final ClientID TASKS = new ClientID("tasks-app");

    private ConsentStore consents;
    private UserId user;

    @BeforeEach
    void setUp() {
        consents = new JdbiConsentStore(db.jdbi(), clock);
        user = newUser();
    }

    @Test
    void findWhenSavedThenTheScopeComesBack() {
        consents.save(user, NOTES, new Scope("openid", "profile"));

        assertThat(consents.find(user, NOTES)).contains(new Scope("openid", "profile"));
    }

    @Test
    void findWhenNothingWasGrantedThenEmpty() {
        consents.save(user, NOTES, new Scope("openid"));

        assertThat(consents.find(user, TASKS)).isEmpty();
        assertThat(consents.find(newUser(), NOTES)).isEmpty();
    }

    @Test
    void saveWhenMoreScopesAreGrantedLaterThenTheyAreMergedWithoutDuplicates() {
        consents.save(user, NOTES, new Scope("openid", "profile"));

        Scope merged = consents.save(user, NOTES, new Scope("profile", "email", "notes:read"));

        assertThat(merged.toStringList()).containsExactly("email", "notes:read", "openid", "profile");
        assertThat(consents.find(user, NOTES)).contains(merged);
        assertThat(consents.listByUser(user)).hasSize(1);
    }

    @Test
    void saveWhenTwentyGrantsRaceThenNoScopeIsLost() throws Exception {
        concurrently(20, i -> consents.save(user, NOTES, new Scope("scope-" + i)));

        assertThat(consents.find(user, NOTES).orElseThrow()).hasSize(20);
    }

    @Test
    void removeWhenConsentIsWithdrawnThenItIsGoneAndOthersStay() {
        consents.save(user, NOTES, new Scope("openid"));
        consents.save(user, TASKS, new Scope("openid"));

        assertThat(consents.remove(user, NOTES)).isTrue();

        assertThat(consents.find(user, NOTES)).isEmpty();
        assertThat(consents.find(user, TASKS)).isPresent();
        assertThat(consents.remove(user, NOTES)).as("already gone").isFalse();
    }

    @Test
    void listByUserWhenUserHasConsentsThenOnlyTheirsNewestFirst() {
        UserId other = newUser();
        Instant first = clock.instant();
        consents.save(user, NOTES, new Scope("openid"));
        consents.save(other, NOTES, new Scope("openid"));
        Instant second = clock.advance(Duration.ofMinutes(1));
        consents.save(user, TASKS, new Scope("openid", "tasks:write"));

        assertThat(consents.listByUser(user)).containsExactly(
                new Consent(user, TASKS, new Scope("openid", "tasks:write"), second),
                new Consent(user, NOTES, new Scope("openid"), first));
    }

    @Test
    void listByUserWhenAConsentIsExtendedThenItsGrantTimeMovesForward() {
        consents.save(user, NOTES, new Scope("openid"));
        Instant later = clock.advance(Duration.ofDays(1));
        consents.save(user, NOTES, new Scope("email"));

        assertThat(consents.listByUser(user)).containsExactly(new Consent(user, NOTES, new Scope("email", "openid"), later));
    }

    @Test
    void findWhenTheUserIsDeletedThenTheirConsentsAreGone() {
        consents.save(user, NOTES, new Scope("openid"));

        db.jdbi().useHandle(h -> h.createUpdate("delete from users where id = :id").bind("id", user.toString()).execute());

        assertThat(consents.find(user, NOTES)).isEmpty();
    }
}
