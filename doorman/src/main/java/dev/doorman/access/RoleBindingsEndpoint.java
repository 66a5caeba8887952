package dev.doorman.access;

import dev.doorman.account.RoleStore;
import dev.doorman.account.UserId;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.authz.ResourceRef;
import dev.doorman.session.Session;
import dev.doorman.web.Authn;
import dev.doorman.web.Clients;
import dev.doorman.web.Json;
import dev.doorman.web.JsonBody;
import dev.doorman.web.ProblemException;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The administrators' role-binding API: {@code GET|POST|DELETE /api/v1/admin/role-bindings}. A session of an
 * account holding the global {@code admin} role is required (403 otherwise, audited); a change also needs a
 * login within the last 15 minutes (step-up, AZ-03) and the CSRF header, like every cookie-authenticated write.
 */
public final class RoleBindingsEndpoint {
    static final Duration STEP_UP = Duration.ofMinutes(15);

    /** A binding on the wire; {@code resource} is {@code type/id} or null for a global binding. */
    public record BindingJson(String subject, String role, String resource, String createdAt) { }

    private final AccessService access;
    private final RoleStore roles;
    private final AuditLog audit;
    private final Clock clock;

    public RoleBindingsEndpoint(AccessService access, RoleStore roles, AuditLog audit, Clock clock) {
        this.access = access;
        this.roles = roles;
        this.audit = audit;
        this.clock = clock;
    }

    public void list(Context ctx) {
        admin(ctx, false);
        Optional<String> subject = Optional.ofNullable(ctx.queryParam("subject")).filter(s -> !s.isEmpty());
        List<BindingJson> out = access.bindings(subject).stream()
                .map(b -> new BindingJson(b.binding().subjectId(), b.binding().role(), b.binding().scope().map(ResourceRef::toString).orElse(null), b.createdAt().toString()))
                .toList();
        ctx.header("Cache-Control", "no-store");
        Json.write(ctx, 200, out);
    }

    public void bind(Context ctx) {
        Session admin = admin(ctx, true);
        JsonBody body = JsonBody.read(ctx, Set.of("subject", "role"), Set.of("resource"));
        var outcome = access.bind(body.text("subject"), body.text("role"), body.optionalText("resource"), Optional.of(admin.user()), Clients.of(ctx));
        switch (outcome) {
            case BindingOutcome.Bound b -> Json.write(ctx, 201, json(b.binding()));
            case BindingOutcome.AlreadyBound a -> Json.write(ctx, 200, json(a.binding()));
            case BindingOutcome.Refused r -> throw new ProblemException(400, r.code(), r.message());
            case BindingOutcome.Unbound u -> throw new IllegalStateException("bind answered unbound");
            case BindingOutcome.NotBound n -> throw new IllegalStateException("bind answered not bound");
        }
    }

    public void unbind(Context ctx) {
        Session admin = admin(ctx, true);
        String subject = ctx.queryParam("subject");
        String role = ctx.queryParam("role");
        if (subject == null || subject.isEmpty() || role == null || role.isEmpty())
            throw new ProblemException(400, "request.missing_field", "Give the binding as ?subject=…&role=…[&resource=type/id].");
        var outcome = access.unbind(subject, role, Optional.ofNullable(ctx.queryParam("resource")).filter(r -> !r.isEmpty()),
                Optional.of(admin.user()), Clients.of(ctx));
        switch (outcome) {
            case BindingOutcome.Unbound u -> ctx.status(204);
            case BindingOutcome.NotBound n -> throw new ProblemException(404, "access.binding_not_found", "There is no such role binding.");
            case BindingOutcome.Refused r -> throw new ProblemException(400, r.code(), r.message());
            case BindingOutcome.Bound b -> throw new IllegalStateException("unbind answered bound");
            case BindingOutcome.AlreadyBound a -> throw new IllegalStateException("unbind answered already bound");
        }
    }

    private static BindingJson json(dev.doorman.authz.RoleBinding b) {
        return new BindingJson(b.subjectId(), b.role(), b.scope().map(ResourceRef::toString).orElse(null), null);
    }

    /** The caller's session if it belongs to an administrator; for a change, one who logged in recently. */
    private Session admin(Context ctx, boolean change) {
        Session session = Authn.session(ctx).orElseThrow(() -> new ProblemException(401, "auth.unauthenticated", "You are not logged in."));
        UserId user = session.user();
        // Read on every request: a role removed a moment ago no longer counts (AZ-03).
        if (!roles.rolesOf(user).contains(AccessPaths.ADMIN_ROLE)) {
            audit.failure(AuditType.ACCESS_DENIED, ctx.method() + " " + AccessPaths.ADMIN_BINDINGS + ": not an administrator", Optional.of(user), Clients.of(ctx));
            throw new ProblemException(403, "access.forbidden", "This needs the " + AccessPaths.ADMIN_ROLE + " role.");
        }
        if (change && session.authTime().isBefore(clock.instant().minus(STEP_UP))) {
            audit.failure(AuditType.ACCESS_DENIED, ctx.method() + " " + AccessPaths.ADMIN_BINDINGS + ": login too old", Optional.of(user), Clients.of(ctx));
            throw new ProblemException(403, "access.reauthentication_required", "Log in again to change role bindings (your last login is more than 15 minutes old).");
        }
        return session;
    }
}
