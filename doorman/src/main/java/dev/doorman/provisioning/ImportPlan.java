package dev.doorman.provisioning;

import dev.doorman.account.Email;
import dev.doorman.client.RegisteredClient;
import dev.doorman.client.StoredClient;
import dev.doorman.account.UserId;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What importing a file would change, computed against the database without writing anything. An empty plan means
 * the database already matches the file. Passwords are already hashed here, so applying does no slow hashing inside
 * its transaction; {@link #toString()} and {@link Change#describe()} never show a hash.
 */
public record ImportPlan(List<Change> changes) {
    public ImportPlan {
        changes = List.copyOf(changes);
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** One line per change, in the order they will be applied (roles, users, clients). */
    public List<String> describe() {
        return changes.stream().map(Change::describe).toList();
    }

    /** E.g. {@code 1 role to create, 2 users to update}, or {@code no changes}. */
    public String summary() {
        if (changes.isEmpty()) return "no changes";
        var parts = new ArrayList<String>();
        count(parts, Change.CreateRole.class, "role", "to create");
        count(parts, Change.UpdateRole.class, "role", "to update");
        count(parts, Change.CreateUser.class, "user", "to create");
        count(parts, Change.UpdateUser.class, "user", "to update");
        count(parts, Change.CreateClient.class, "client", "to create");
        count(parts, Change.UpdateClient.class, "client", "to update");
        return String.join(", ", parts);
    }

    private void count(List<String> parts, Class<? extends Change> kind, String noun, String verb) {
        long n = changes.stream().filter(kind::isInstance).count();
        if (n > 0) parts.add(n + " " + noun + (n == 1 ? "" : "s") + " " + verb);
    }

    @Override
    public String toString() {
        return "ImportPlan[" + summary() + "]";
    }

    public sealed interface Change {
        /** A line for the operator, e.g. {@code update user alice@example.org: verified false → true}. */
        String describe();

        record CreateRole(String name, Optional<String> description) implements Change {
            public CreateRole {
                Objects.requireNonNull(name);
                Objects.requireNonNull(description);
            }

            @Override
            public String describe() {
                return "create role " + name + description.map(d -> " (\"" + d + "\")").orElse("");
            }
        }

        record UpdateRole(String name, Optional<String> oldDescription, String newDescription) implements Change {
            public UpdateRole {
                Objects.requireNonNull(name);
                Objects.requireNonNull(oldDescription);
                Objects.requireNonNull(newDescription);
            }

            @Override
            public String describe() {
                return "update role " + name + ": description " + oldDescription.map(d -> "\"" + d + "\"").orElse("(none)")
                        + " → \"" + newDescription + "\"";
            }
        }

        /** @param passwordHash empty: an account without a password (it can set one through a reset) */
        record CreateUser(Email email, Optional<String> name, Optional<String> passwordHash, boolean verified, boolean disabled,
                          Set<String> roles) implements Change {
            public CreateUser {
                Objects.requireNonNull(email);
                Objects.requireNonNull(name);
                Objects.requireNonNull(passwordHash);
                roles = Set.copyOf(roles);
            }

            @Override
            public String describe() {
                var details = new ArrayList<String>();
                name.ifPresent(n -> details.add("name \"" + n + "\""));
                details.add(passwordHash.isPresent() ? "password" : "no password");
                details.add(verified ? "verified" : "not verified");
                if (disabled) details.add("disabled");
                details.add(roles.isEmpty() ? "no roles" : "roles " + sorted(roles));
                return "create user " + email + " (" + String.join(", ", details) + ")";
            }

            @Override
            public String toString() {
                return describe();
            }
        }

        record UpdateUser(UserId id, Email email, List<UserField> fields) implements Change {
            public UpdateUser {
                Objects.requireNonNull(id);
                Objects.requireNonNull(email);
                fields = List.copyOf(fields);
                if (fields.isEmpty()) throw new IllegalArgumentException("an update changes at least one field");
            }

            @Override
            public String describe() {
                return "update user " + email + ": " + fields.stream().map(UserField::describe).collect(Collectors.joining(", "));
            }

            @Override
            public String toString() {
                return describe();
            }
        }

        /** A client to register as the file states it; a secret it gives is already hashed here. */
        record CreateClient(StoredClient client) implements Change {
            public CreateClient {
                Objects.requireNonNull(client);
            }

            @Override
            public String describe() {
                RegisteredClient c = client.client();
                var details = new ArrayList<String>();
                details.add(c.confidential() ? "confidential" : "public");
                details.add(c.authMethod().getValue());
                if (!c.redirectUris().isEmpty()) details.add("redirect URIs " + c.redirectUris());
                details.add("grants " + sorted(c.grantTypes().stream().map(g -> g.getValue()).collect(Collectors.toSet())));
                details.add(c.scope().isEmpty() ? "no scopes" : "scopes " + c.scope().toStringList());
                if (!c.audiences().isEmpty()) details.add("audiences " + c.audiences());
                details.add(c.consentRequired() ? "consent required" : "no consent screen");
                return "create client " + c.id() + " (" + String.join(", ", details) + ")";
            }

            @Override
            public String toString() {
                return describe();
            }
        }

        /**
         * An existing client whose registration differs from the file: the whole record as it will be stored.
         *
         * @param changes what differs, one phrase each, e.g. {@code secret replaced}
         */
        record UpdateClient(StoredClient client, List<String> changes) implements Change {
            public UpdateClient {
                Objects.requireNonNull(client);
                changes = List.copyOf(changes);
                if (changes.isEmpty()) throw new IllegalArgumentException("an update changes at least one field");
            }

            @Override
            public String describe() {
                return "update client " + client.client().id() + ": " + String.join(", ", changes);
            }

            @Override
            public String toString() {
                return describe();
            }
        }
    }

    /** One field of an existing account that the import changes. */
    public sealed interface UserField {
        String describe();

        record Name(Optional<String> from, String to) implements UserField {
            @Override
            public String describe() {
                return "name " + from.map(n -> "\"" + n + "\"").orElse("(none)") + " → \"" + to + "\"";
            }
        }

        record Verified(boolean to) implements UserField {
            @Override
            public String describe() {
                return "verified " + !to + " → " + to;
            }
        }

        /** Disabling goes through the account service, so that every session of the account ends. */
        record Disabled(boolean to) implements UserField {
            @Override
            public String describe() {
                return to ? "disable (ends its sessions)" : "enable";
            }
        }

        record Roles(Set<String> from, Set<String> to) implements UserField {
            public Roles {
                from = Set.copyOf(from);
                to = Set.copyOf(to);
            }

            @Override
            public String describe() {
                return "roles " + sorted(from) + " → " + sorted(to);
            }
        }

        record PasswordHash(String hash) implements UserField {
            @Override
            public String describe() {
                return "password replaced";
            }

            @Override
            public String toString() {
                return "PasswordHash[redacted]";
            }
        }
    }

    private static String sorted(Set<String> names) {
        return new TreeSet<>(names).toString();
    }
}
