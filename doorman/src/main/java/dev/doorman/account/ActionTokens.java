package dev.doorman.account;

import dev.doorman.account.ActionTokenStore.Purpose;
import dev.doorman.account.ActionTokenStore.StoredToken;
import dev.doorman.support.Secrets;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Issues and redeems single-use links: 256-bit, stored hashed, expiring, and replaced by a newer one. */
public final class ActionTokens {
    public sealed interface Redemption {
        record Redeemed(UserId user) implements Redemption { }
        record Invalid() implements Redemption { }
        record Expired() implements Redemption { }
    }

    private final ActionTokenStore store;
    private final Secrets secrets;
    private final Clock clock;

    public ActionTokens(ActionTokenStore store, Secrets secrets, Clock clock) {
        this.store = store;
        this.secrets = secrets;
        this.clock = clock;
    }

    /** A new token for the user; any older token of the same purpose dies with it. */
    public String issue(UserId user, Purpose purpose, Duration ttl) {
        String token = secrets.newToken();
        Instant now = clock.instant();
        store.removeAll(user, purpose);
        store.save(new StoredToken(Secrets.hash(token), purpose, user, now, now.plus(ttl)));
        return token;
    }

    /** Consumes the token: of concurrent redemptions at most one succeeds. Expired tokens are deleted too. */
    public Redemption redeem(String token, Purpose purpose) {
        if (!Secrets.looksLikeToken(token)) return new Redemption.Invalid();
        String hash = Secrets.hash(token);
        var found = store.find(hash, purpose);
        if (found.isEmpty()) return new Redemption.Invalid();
        if (!clock.instant().isBefore(found.get().expiresAt())) {
            store.remove(hash);
            return new Redemption.Expired();
        }
        return store.remove(hash) ? new Redemption.Redeemed(found.get().user()) : new Redemption.Invalid();
    }

    /** Checks the token without consuming it (to validate a form before the single use). */
    public Redemption peek(String token, Purpose purpose) {
        if (!Secrets.looksLikeToken(token)) return new Redemption.Invalid();
        var found = store.find(Secrets.hash(token), purpose);
        if (found.isEmpty()) return new Redemption.Invalid();
        if (!clock.instant().isBefore(found.get().expiresAt())) return new Redemption.Expired();
        return new Redemption.Redeemed(found.get().user());
    }

    public void revokeAll(UserId user, Purpose purpose) {
        store.removeAll(user, purpose);
    }
}
