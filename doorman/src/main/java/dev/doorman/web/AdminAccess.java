package dev.doorman.web;

import dev.doorman.account.RoleStore;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.session.Session;
import io.javalin.http.Context;

import java.util.Optional;

/**
 * Who may use the admin pages and API: a signed-in user holding the {@value #ROLE} role (granted with
 * {@code doorman user create --role admin} or an import file). Anonymous callers get 401; signed-in users without the
 * role get 403, and the refusal is audited ({@code access_denied}, AU-02).
 */
public final class AdminAccess {
    public static final String ROLE = "admin";

    private final RoleStore roles;
    private final AuditLog audit;

    public AdminAccess(RoleStore roles, AuditLog audit) {
        this.roles = roles;
        this.audit = audit;
    }

    /** The admin's session; otherwise throws the 401 or 403 problem. */
    public Session require(Context ctx) {
        Session session = Authn.session(ctx)
                .orElseThrow(() -> new ProblemException(401, "auth.unauthenticated", "You are not logged in."));
        if (!roles.rolesOf(session.user()).contains(ROLE)) {
            audit.failure(AuditType.ACCESS_DENIED, "admin_role_required", Optional.of(session.user()), Clients.of(ctx));
            throw new ProblemException(403, "auth.forbidden", "This needs the admin role.");
        }
        return session;
    }
}
