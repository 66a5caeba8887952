package dev.doorman.provisioning;

import dev.doorman.account.AccountService;
import dev.doorman.account.PasswordHasher;
import dev.doorman.account.PasswordPolicy;
import dev.doorman.account.RoleStore;
import dev.doorman.account.RoleStore.Role;
import dev.doorman.account.User;
import dev.doorman.account.UserId;
import dev.doorman.account.UserStore;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.Identifier;
import dev.doorman.audit.AuditEvent;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.client.ClientProblem;
import dev.doorman.client.ClientRegistration;
import dev.doorman.client.ClientRules;
import dev.doorman.client.ClientStore;
import dev.doorman.client.RegisteredClient;
import dev.doorman.client.StoredClient;
import dev.doorman.provisioning.ImportFile.ClientEntry;
import dev.doorman.provisioning.ImportFile.PasswordEntry;
import dev.doorman.provisioning.ImportFile.RoleEntry;
import dev.doorman.provisioning.ImportFile.UserEntry;
import dev.doorman.provisioning.ImportFileException.Problem;
import dev.doorman.provisioning.ImportPlan.Change;
import dev.doorman.provisioning.ImportPlan.UserField;
import dev.doorman.support.ClientInfo;
import dev.doorman.support.Secrets;
import dev.doorman.support.Tx;

import java.net.URI;
import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Accounts, roles and OAuth clients as code: plan what a provisioning file would change, apply that plan in one
 * transaction, export the database in the same format, and create single accounts for the operator's CLI.
 *
 * <p>Importing is idempotent: importing a file the database already matches plans no changes, so nothing is written,
 * hashed again or audited. Accounts, roles and clients that the file does not name are left alone; the import never
 * deletes. Every account the import creates or changes gets a {@code user_imported} audit event, every client a
 * {@code client_imported} one. A client secret in the file is compared with the stored hash; a client entry without
 * one keeps the secret it has.
 */
public final class ProvisioningService {
    /** Who an import is recorded as acting for, when no better client is known. */
    public static final ClientInfo OPERATOR = new ClientInfo("", "doorman provisioning");
    private static final int PAGE = 500;

    private final UserStore users;
    private final RoleStore roles;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final AccountService accounts;
    private final ClientStore clients;
    private final Tx tx;
    private final AuditLog audit;
    private final Clock clock;

    /** @param accounts disables accounts, ending their sessions, as the operator's {@code user disable} does */
    public ProvisioningService(UserStore users, RoleStore roles, PasswordHasher hasher, PasswordPolicy policy, AccountService accounts,
                               ClientStore clients, Tx tx, AuditLog audit, Clock clock) {
        this.users = users;
        this.roles = roles;
        this.hasher = hasher;
        this.policy = policy;
        this.accounts = accounts;
        this.clients = clients;
        this.tx = tx;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * What importing the file would change. Writes nothing.
     *
     * @throws ImportFileException listing every problem (a password the policy refuses, a role that is neither in the
     *                             file nor in the database, a client registration the rules refuse), each with the
     *                             path of the entry
     */
    public ImportPlan plan(ImportFile file) {
        Map<String, Role> existingRoles = roles.list().stream().collect(Collectors.toMap(Role::name, Function.identity()));
        checkUsers(file, existingRoles.keySet());

        var changes = new ArrayList<Change>();
        for (RoleEntry entry : file.roles()) {
            Role existing = existingRoles.get(entry.name());
            if (existing == null)
                changes.add(new Change.CreateRole(entry.name(), entry.description()));
            else if (entry.description().isPresent() && !entry.description().equals(existing.description()))
                changes.add(new Change.UpdateRole(entry.name(), existing.description(), entry.description().get()));
        }
        for (UserEntry entry : file.users()) {
            Optional<User> existing = users.findByEmail(entry.email());
            if (existing.isEmpty()) changes.add(creation(entry));
            else update(entry, existing.get()).ifPresent(changes::add);
        }
        var problems = new ArrayList<Problem>();
        for (int i = 0; i < file.clients().size(); i++) {
            ClientEntry entry = file.clients().get(i);
            clientChange("clients[" + i + "]", entry, clients.findStored(entry.clientId()), problems).ifPresent(changes::add);
        }
        if (!problems.isEmpty()) throw new ImportFileException(problems);
        return new ImportPlan(changes);
    }

    /** The file's entry laid over the client as stored (a field it leaves out keeps its value), checked like a new registration. */
    private Optional<Change> clientChange(String path, ClientEntry entry, Optional<StoredClient> existing, List<Problem> problems) {
        Optional<RegisteredClient> old = existing.map(StoredClient::client);
        boolean confidential = entry.publicClient().map(p -> !p).orElse(old.map(RegisteredClient::confidential).orElse(true));
        Optional<ClientAuthenticationMethod> method = entry.authMethod()
                .or(() -> old.filter(c -> c.confidential() == confidential).map(RegisteredClient::authMethod));
        boolean keyAuth = method.map(ClientAuthenticationMethod.PRIVATE_KEY_JWT::equals).orElse(false);
        Optional<String> jwks = entry.jwks().or(() -> keyAuth ? existing.flatMap(StoredClient::jwks).map(j -> j.toString(true)) : Optional.empty());
        var registration = new ClientRegistration(Optional.of(entry.clientId()),
                entry.name().or(() -> old.map(RegisteredClient::name)).orElse(entry.clientId().getValue()),
                confidential, method,
                entry.redirectUris().orElseGet(() -> old.map(ProvisioningService::redirectUris).orElse(List.of())),
                entry.grantTypes().orElseGet(() -> old.map(ProvisioningService::grantTypes).orElse(List.of())),
                entry.scopes().orElseGet(() -> old.map(c -> c.scope().toStringList()).orElse(List.of())),
                entry.audiences().orElseGet(() -> old.map(c -> Identifier.toStringList(c.audiences())).orElse(List.of())),
                jwks,
                entry.accessTokenTtl().or(() -> old.flatMap(RegisteredClient::accessTokenTtl)),
                entry.refreshTokenTtl().or(() -> old.flatMap(RegisteredClient::refreshTokenTtl)),
                entry.consentRequired().or(() -> old.map(RegisteredClient::consentRequired)).orElse(true));
        var validation = ClientRules.validate(registration);
        if (validation instanceof ClientRules.Validation.Invalid invalid) {
            for (ClientProblem p : invalid.problems()) problems.add(new Problem(path + "." + p.field(), p.message()));
            return Optional.empty();
        }
        var valid = (ClientRules.Validation.Valid) validation;
        RegisteredClient client = valid.client();

        Optional<String> current = existing.flatMap(StoredClient::secretHash);
        Optional<String> hash = Optional.empty();
        if (StoredClient.usesSecret(client.authMethod())) {
            hash = entry.clientSecret().map(secret -> Secrets.hash(secret.getValue())).or(() -> current);
            if (hash.isEmpty()) {
                problems.add(new Problem(path + ".clientSecret", "missing: a client authenticating with " + client.authMethod().getValue()
                        + " needs its secret here (or create it with `doorman client create`, which generates one)"));
                return Optional.empty();
            }
        } else if (entry.clientSecret().isPresent()) {
            problems.add(new Problem(path + ".clientSecret", "only a client authenticating with client_secret_basic or client_secret_post "
                    + "has a secret; this one uses " + client.authMethod().getValue()));
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (existing.isEmpty()) return Optional.of(new Change.CreateClient(new StoredClient(client, hash, valid.jwks(), now, now)));
        var desired = new StoredClient(client, hash, valid.jwks(), existing.get().createdAt(), now);
        List<String> differences = clientDifferences(existing.get(), desired);
        return differences.isEmpty() ? Optional.empty() : Optional.of(new Change.UpdateClient(desired, differences));
    }

    private static List<String> clientDifferences(StoredClient before, StoredClient after) {
        RegisteredClient a = before.client();
        RegisteredClient b = after.client();
        var out = new ArrayList<String>();
        if (!a.name().equals(b.name())) out.add("name \"" + a.name() + "\" → \"" + b.name() + "\"");
        if (a.confidential() != b.confidential()) out.add(a.confidential() ? "confidential → public" : "public → confidential");
        if (!a.authMethod().equals(b.authMethod())) out.add("auth method " + a.authMethod() + " → " + b.authMethod());
        if (!new LinkedHashSet<>(a.redirectUris()).equals(new LinkedHashSet<>(b.redirectUris())))
            out.add("redirect URIs " + a.redirectUris() + " → " + b.redirectUris());
        if (!a.grantTypes().equals(b.grantTypes())) out.add("grants " + grantTypes(a) + " → " + grantTypes(b));
        if (!a.scope().equals(b.scope())) out.add("scopes " + a.scope().toStringList() + " → " + b.scope().toStringList());
        if (!new LinkedHashSet<>(a.audiences()).equals(new LinkedHashSet<>(b.audiences())))
            out.add("audiences " + a.audiences() + " → " + b.audiences());
        if (!before.jwks().map(j -> j.toJSONObject(true)).equals(after.jwks().map(j -> j.toJSONObject(true))))
            out.add(after.jwks().isEmpty() ? "JWK set removed" : "JWK set replaced");
        if (!a.accessTokenTtl().equals(b.accessTokenTtl()))
            out.add("access token lifetime " + ttl(a.accessTokenTtl()) + " → " + ttl(b.accessTokenTtl()));
        if (!a.refreshTokenTtl().equals(b.refreshTokenTtl()))
            out.add("refresh token lifetime " + ttl(a.refreshTokenTtl()) + " → " + ttl(b.refreshTokenTtl()));
        if (a.consentRequired() != b.consentRequired()) out.add("consent required " + a.consentRequired() + " → " + b.consentRequired());
        if (!before.secretHash().equals(after.secretHash()))
            out.add(after.secretHash().isEmpty() ? "secret removed" : before.secretHash().isEmpty() ? "secret set" : "secret replaced");
        return out;
    }

    private static String ttl(Optional<Duration> ttl) {
        return ttl.map(Duration::toString).orElse("(server default)");
    }

    private static List<String> redirectUris(RegisteredClient c) {
        return c.redirectUris().stream().map(URI::toString).toList();
    }

    private static List<String> grantTypes(RegisteredClient c) {
        return c.grantTypes().stream().map(GrantType::getValue).sorted().toList();
    }

    /** Validates what the reader cannot: the password policy, and that every role a user names exists. */
    private void checkUsers(ImportFile file, Set<String> existingRoles) {
        var known = new HashSet<>(existingRoles);
        file.roles().forEach(r -> known.add(r.name()));
        var problems = new ArrayList<Problem>();
        for (int i = 0; i < file.users().size(); i++) {
            UserEntry entry = file.users().get(i);
            String path = "users[" + i + "]";
            if (entry.password().orElse(null) instanceof PasswordEntry.Plain plain) {
                policy.check(plain.password(), Optional.of(entry.email()))
                        .ifPresent(v -> problems.add(new Problem(path + ".password", v.message())));
            }
            for (String role : new TreeSet<>(entry.roles().orElse(Set.of()))) {
                if (!known.contains(role))
                    problems.add(new Problem(path + ".roles", "role \"" + role + "\" is not defined in the file's \"roles\" or in the database"));
            }
        }
        if (!problems.isEmpty()) throw new ImportFileException(problems);
    }

    private Change creation(UserEntry entry) {
        Optional<String> hash = entry.password().map(p -> switch (p) {
            case PasswordEntry.Plain plain -> hasher.hash(plain.password());
            case PasswordEntry.Hashed hashed -> hashed.phc();
        });
        return new Change.CreateUser(entry.email(), entry.name(), hash, entry.verified().orElse(false),
                entry.disabled().orElse(false), entry.roles().orElse(Set.of()));
    }

    private Optional<Change> update(UserEntry entry, User user) {
        var fields = new ArrayList<UserField>();
        entry.name().filter(n -> !user.name().equals(Optional.of(n)))
                .ifPresent(n -> fields.add(new UserField.Name(user.name(), n)));
        entry.verified().filter(v -> v != user.emailVerified()).ifPresent(v -> fields.add(new UserField.Verified(v)));
        entry.disabled().filter(d -> d != user.disabled()).ifPresent(d -> fields.add(new UserField.Disabled(d)));
        entry.roles().ifPresent(wanted -> {
            Set<String> held = roles.rolesOf(user.id());
            if (!held.equals(wanted)) fields.add(new UserField.Roles(held, wanted));
        });
        entry.password().flatMap(p -> newHash(p, user.passwordHash())).ifPresent(h -> fields.add(new UserField.PasswordHash(h)));
        return fields.isEmpty() ? Optional.empty() : Optional.of(new Change.UpdateUser(user.id(), user.email(), fields));
    }

    /** The hash to store, or empty when the stored one already stands for this password (no rehash). */
    private Optional<String> newHash(PasswordEntry password, Optional<String> stored) {
        return switch (password) {
            case PasswordEntry.Hashed hashed -> stored.equals(Optional.of(hashed.phc())) ? Optional.empty() : Optional.of(hashed.phc());
            case PasswordEntry.Plain plain -> stored.isPresent() && hasher.verify(plain.password(), stored.get())
                    ? Optional.empty() : Optional.of(hasher.hash(plain.password()));
        };
    }

    /** Applies a plan in one transaction, recording the import as done by {@link #OPERATOR}. */
    public void apply(ImportPlan plan) {
        apply(plan, OPERATOR);
    }

    /**
     * Writes the plan's changes in one transaction: all of them or none.
     *
     * @throws IllegalStateException when an account the plan would create exists by now (plan again)
     */
    public void apply(ImportPlan plan, ClientInfo actor) {
        if (plan.isEmpty()) return;
        tx.run(() -> {
            for (Change change : plan.changes()) {
                switch (change) {
                    case Change.CreateRole c -> roles.save(new Role(c.name(), c.description()));
                    case Change.UpdateRole u -> roles.save(new Role(u.name(), Optional.of(u.newDescription())));
                    case Change.CreateUser c -> create(c, actor);
                    case Change.UpdateUser u -> update(u, actor);
                    case Change.CreateClient c -> createClient(c.client(), actor);
                    case Change.UpdateClient u -> updateClient(u.client(), actor);
                }
            }
        });
    }

    private void create(Change.CreateUser c, ClientInfo actor) {
        Instant now = clock.instant();
        var user = new User(UserId.random(), c.email(), c.name(), c.passwordHash(), c.verified(), c.disabled(), now, now);
        if (!users.insert(user))
            throw new IllegalStateException("the account " + c.email() + " was created after the plan was made; plan the import again");
        if (!c.roles().isEmpty()) roles.setRoles(user.id(), c.roles());
        audit.success(AuditType.USER_IMPORTED, Optional.of(user.id()), actor);
    }

    private void update(Change.UpdateUser change, ClientInfo actor) {
        User user = users.find(change.id()).orElseThrow(() ->
                new IllegalStateException("the account " + change.email() + " was removed after the plan was made; plan the import again"));
        User updated = user;
        boolean disable = false;
        boolean passwordReplaced = false;
        for (UserField field : change.fields()) {
            switch (field) {
                case UserField.Name n -> updated = with(updated, Optional.of(n.to()), updated.passwordHash(), updated.emailVerified(), updated.disabled());
                case UserField.Verified v -> updated = with(updated, updated.name(), updated.passwordHash(), v.to(), updated.disabled());
                case UserField.PasswordHash p -> {
                    updated = with(updated, updated.name(), Optional.of(p.hash()), updated.emailVerified(), updated.disabled());
                    passwordReplaced = true;
                }
                case UserField.Disabled d when !d.to() -> updated = with(updated, updated.name(), updated.passwordHash(), updated.emailVerified(), false);
                case UserField.Disabled ignored -> disable = true;
                case UserField.Roles r -> roles.setRoles(user.id(), r.to());
            }
        }
        if (!updated.equals(user)) users.update(updated);
        if (disable) accounts.disable(user.id(), actor);
        else if (passwordReplaced) accounts.endAllSessions(user.id(), actor);   // a new password ends every session (SE-07)
        audit.success(AuditType.USER_IMPORTED, Optional.of(user.id()), actor);
    }

    private void createClient(StoredClient planned, ClientInfo actor) {
        Instant now = clock.instant();
        var client = new StoredClient(planned.client(), planned.secretHash(), planned.jwks(), now, now);
        if (!clients.insert(client))
            throw new IllegalStateException("the client " + client.client().id() + " was created after the plan was made; plan the import again");
        audit.clientEvent(AuditType.CLIENT_IMPORTED, AuditEvent.Outcome.SUCCESS, Optional.empty(), client.client().id().getValue(), actor);
    }

    private void updateClient(StoredClient planned, ClientInfo actor) {
        var client = new StoredClient(planned.client(), planned.secretHash(), planned.jwks(), planned.createdAt(), clock.instant());
        if (!clients.update(client))
            throw new IllegalStateException("the client " + client.client().id() + " was removed after the plan was made; plan the import again");
        audit.clientEvent(AuditType.CLIENT_IMPORTED, AuditEvent.Outcome.SUCCESS, Optional.empty(), client.client().id().getValue(), actor);
    }

    private User with(User u, Optional<String> name, Optional<String> hash, boolean verified, boolean disabled) {
        return new User(u.id(), u.email(), name, hash, verified, disabled, u.createdAt(), clock.instant());
    }

    /**
     * Every role, account and client, in the import format: passwords only as their Argon2id hashes, every field
     * stated, so that importing the export into an empty database reproduces the accounts and into this one changes
     * nothing. Client secrets are not exported: only their hash is kept, and the file format takes secrets, not hashes.
     * Re-importing keeps a client's current secret; into an empty database, each client that authenticates with a
     * secret needs a {@code clientSecret} added (or a new one from {@code client rotate-secret}).
     */
    public ImportFile export() {
        List<RoleEntry> roleEntries = roles.list().stream().map(r -> new RoleEntry(r.name(), r.description())).toList();
        var userEntries = new ArrayList<UserEntry>();
        for (int offset = 0; ; offset += PAGE) {
            List<User> page = users.list(offset, PAGE);
            for (User u : page) {
                userEntries.add(new UserEntry(u.email(), u.passwordHash().map(PasswordEntry.Hashed::new), u.name(),
                        Optional.of(roles.rolesOf(u.id())), Optional.of(u.emailVerified()), Optional.of(u.disabled())));
            }
            if (page.size() < PAGE) break;
        }
        List<ClientEntry> clientEntries = clients.list().stream().map(ProvisioningService::exported).toList();
        return new ImportFile(roleEntries, userEntries, clientEntries);
    }

    private static ClientEntry exported(StoredClient stored) {
        RegisteredClient c = stored.client();
        return new ClientEntry(c.id(), Optional.empty(), Optional.of(!c.confidential()), Optional.of(c.name()), Optional.of(redirectUris(c)),
                Optional.of(grantTypes(c)), Optional.of(c.scope().toStringList()), Optional.of(Identifier.toStringList(c.audiences())),
                Optional.of(c.authMethod()), stored.jwks().map(j -> j.toString(true)), c.accessTokenTtl(), c.refreshTokenTtl(),
                Optional.of(c.consentRequired()));
    }

    /** Creates one account, as the operator's {@code user create} does. Audited as {@code user_created}. */
    public CreateUserOutcome createUser(NewUser request, ClientInfo actor) {
        var violation = policy.check(request.password(), Optional.of(request.email()));
        if (violation.isPresent()) return new CreateUserOutcome.PasswordRejected(violation.get());
        Set<String> known = roles.list().stream().map(Role::name).collect(Collectors.toSet());
        var unknown = new TreeSet<>(request.roles());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) return new CreateUserOutcome.UnknownRoles(unknown);
        if (users.findByEmail(request.email()).isPresent()) return new CreateUserOutcome.EmailTaken(request.email());

        Instant now = clock.instant();
        var user = new User(UserId.random(), request.email(), request.name(), Optional.of(hasher.hash(request.password())),
                request.verified(), false, now, now);
        boolean created = tx.inTransaction(() -> {
            if (!users.insert(user)) return false;
            if (!request.roles().isEmpty()) roles.setRoles(user.id(), request.roles());
            return true;
        });
        if (!created) return new CreateUserOutcome.EmailTaken(request.email());
        audit.success(AuditType.USER_CREATED, Optional.of(user.id()), actor);
        return new CreateUserOutcome.Created(user, new TreeSet<>(request.roles()));
    }
}
