package dev.doorman.consent;

import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.doorman.account.UserId;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Consents in {@code consents}. A merge is a read-modify-write, so it starts with an upsert that touches the row:
 * on PostgreSQL {@code on conflict … do update} takes the row lock, so a concurrent merge waits and then reads the
 * scope this one wrote; on SQLite the IMMEDIATE transaction already holds the write lock. Same SQL on both.
 */
public final class JdbiConsentStore implements ConsentStore {
    private final Jdbi jdbi;
    private final Clock clock;

    public JdbiConsentStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    @Override
    public Scope save(UserId user, ClientID client, Scope scope) {
        long now = clock.millis();
        return jdbi.inTransaction(h -> {
            h.createUpdate("insert into consents (user_id, client_id, scope, granted_at) values (:user, :client, '', :now) "
                            + "on conflict (user_id, client_id) do update set granted_at = excluded.granted_at")
                    .bind("user", user.toString()).bind("client", client.getValue()).bind("now", now)
                    .execute();
            String stored = h.createQuery("select scope from consents where user_id = :user and client_id = :client")
                    .bind("user", user.toString()).bind("client", client.getValue())
                    .mapTo(String.class).one();
            Scope merged = merge(parse(stored), scope);
            h.createUpdate("update consents set scope = :scope where user_id = :user and client_id = :client")
                    .bind("scope", merged.toString()).bind("user", user.toString()).bind("client", client.getValue())
                    .execute();
            return merged;
        });
    }

    @Override
    public Optional<Scope> find(UserId user, ClientID client) {
        return jdbi.withHandle(h -> h.createQuery("select scope from consents where user_id = :user and client_id = :client")
                .bind("user", user.toString()).bind("client", client.getValue())
                .mapTo(String.class).findOne().map(JdbiConsentStore::parse));
    }

    @Override
    public boolean remove(UserId user, ClientID client) {
        return jdbi.withHandle(h -> h.createUpdate("delete from consents where user_id = :user and client_id = :client")
                .bind("user", user.toString()).bind("client", client.getValue()).execute()) > 0;
    }

    @Override
    public int removeAll(ClientID client) {
        return jdbi.withHandle(h -> h.createUpdate("delete from consents where client_id = :client")
                .bind("client", client.getValue()).execute());
    }

    @Override
    public List<Consent> listByUser(UserId user) {
        return jdbi.withHandle(h -> h.createQuery("select client_id, scope, granted_at from consents where user_id = :user "
                        + "order by granted_at desc, client_id")
                .bind("user", user.toString())
                .map((rs, ctx) -> new Consent(user, new ClientID(rs.getString("client_id")), parse(rs.getString("scope")),
                        Instant.ofEpochMilli(rs.getLong("granted_at"))))
                .list());
    }

    /** The union, sorted, so that the stored form is canonical. */
    private static Scope merge(Scope stored, Scope added) {
        var values = new TreeSet<String>(stored.toStringList());
        values.addAll(added.toStringList());
        return new Scope(values.toArray(String[]::new));
    }

    private static Scope parse(String value) {
        return Optional.ofNullable(Scope.parse(value)).orElseGet(Scope::new);
    }
}
