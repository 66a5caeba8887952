package dev.doorman.account;

import dev.doorman.session.Session;
import dev.doorman.session.SessionId;
import dev.doorman.session.SessionService;
import dev.doorman.web.Authn;
import dev.doorman.web.Clients;
import dev.doorman.web.Forms;
import dev.doorman.web.Json;
import dev.doorman.web.JsonBody;
import dev.doorman.web.Layout;
import dev.doorman.web.Pages;
import dev.doorman.web.ProblemException;
import dev.doorman.web.Views;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.Optional;
import java.util.Set;

/** The signed-in user's own account: profile, password, sessions. Every action is on the caller's own data. */
public final class AccountEndpoint {
    public record Me(String id, String email, String name, boolean emailVerified, String createdAt) { }

    public record SessionView(String id, String userAgent, String ip, String createdAt, String lastSeenAt, String expiresAt, boolean current) { }

    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final AccountService accounts;
    private final SessionService sessions;
    private final Authn authn;
    private final PasswordPolicy policy;
    private final Views views;
    private final Layout layout;
    private final Function<UserId, List<Pages.ConsentRow>> consents;
    private final Function<UserId, List<Pages.ActivityRow>> activity;
    private final Predicate<UserId> mustChangePassword;

    /**
     * @param consents           the account page's list of applications the user has allowed
     * @param activity           the account's recent security activity, newest first
     * @param mustChangePassword whether the account must change its password before anything else
     */
    public AccountEndpoint(AccountService accounts, SessionService sessions, Authn authn, PasswordPolicy policy, Views views, Layout layout,
                           Function<UserId, List<Pages.ConsentRow>> consents, Function<UserId, List<Pages.ActivityRow>> activity,
                           Predicate<UserId> mustChangePassword) {
        this.consents = consents;
        this.activity = activity;
        this.mustChangePassword = mustChangePassword;
        this.accounts = accounts;
        this.sessions = sessions;
        this.authn = authn;
        this.policy = policy;
        this.views = views;
        this.layout = layout;
    }

    public void page(Context ctx) {
        Optional<Session> session = Authn.session(ctx);
        if (session.isEmpty()) {
            redirectToLogin(ctx);
            return;
        }
        Optional<String> notice = switch (Optional.ofNullable(ctx.queryParam("done")).orElse("")) {
            case "consent" -> Optional.of("The application's access was revoked.");
            case "password" -> Optional.of("Your password was changed. Every other session was logged out.");
            case "revoked" -> Optional.of("The session was logged out.");
            case "others" -> Optional.of("Every other session was logged out.");
            default -> Optional.empty();
        };
        render(ctx, 200, session.get(), Optional.empty(), notice);
    }

    public void changePassword(Context ctx) {
        Forms.requireForm(ctx);
        Session session = requirePageSession(ctx);
        if (session == null) return;
        var outcome = accounts.changePassword(session, new Password(Forms.field(ctx, "currentPassword")),
                new Password(Forms.field(ctx, "newPassword")), Clients.of(ctx));
        switch (outcome) {
            case PasswordChangeOutcome.Changed c -> ctx.redirect(AccountPaths.PAGE + "?done=password", HttpStatus.SEE_OTHER);
            case PasswordChangeOutcome.Rejected r -> render(ctx, 400, session, Optional.of(r.message()), Optional.empty());
        }
    }

    public void revokeSession(Context ctx) {
        Session session = requirePageSession(ctx);
        if (session == null) return;
        SessionId target = SessionId.tryParse(ctx.pathParam("id"))
                .orElseThrow(() -> new ProblemException(404, "session.not_found", "There is no such session."));
        if (!sessions.revoke(session.user(), target, Clients.of(ctx)))
            throw new ProblemException(404, "session.not_found", "There is no such session.");
        if (target.equals(session.id())) {
            authn.end(ctx);
            ctx.redirect("/login?loggedOut=1", HttpStatus.SEE_OTHER);
        } else {
            ctx.redirect(AccountPaths.PAGE + "?done=revoked", HttpStatus.SEE_OTHER);
        }
    }

    public void revokeOthers(Context ctx) {
        Session session = requirePageSession(ctx);
        if (session == null) return;
        sessions.revokeAllExcept(session.user(), Optional.of(session.id()), Clients.of(ctx));
        ctx.redirect(AccountPaths.PAGE + "?done=others", HttpStatus.SEE_OTHER);
    }

    /** GET /api/v1/me */
    public void apiMe(Context ctx) {
        User user = currentUser(requireApiSession(ctx));
        Json.write(ctx, 200, new Me(user.id().toString(), user.email().value(), user.name().orElse(null), user.emailVerified(),
                user.createdAt().toString()));
    }

    /** GET /api/v1/me/sessions */
    public void apiSessions(Context ctx) {
        Session current = requireApiSession(ctx);
        List<SessionView> list = sessions.list(current.user()).stream()
                .map(s -> new SessionView(s.id().toString(), s.client().userAgent(), s.client().ip(), s.createdAt().toString(),
                        s.lastSeenAt().toString(), s.expiresAt().toString(), s.id().equals(current.id())))
                .toList();
        Json.write(ctx, 200, list);
    }

    /** DELETE /api/v1/me/sessions/{id} → 204, or 404 for a session that is not the caller's. */
    public void apiRevokeSession(Context ctx) {
        Session current = requireApiSession(ctx);
        Optional<SessionId> target = SessionId.tryParse(ctx.pathParam("id"));
        if (target.isEmpty() || !sessions.revoke(current.user(), target.get(), Clients.of(ctx)))
            throw new ProblemException(404, "session.not_found", "There is no such session.");
        if (target.get().equals(current.id())) authn.end(ctx);
        ctx.status(204);
    }

    /** DELETE /api/v1/me/sessions → 204: every session but this one is ended. */
    public void apiRevokeOthers(Context ctx) {
        Session current = requireApiSession(ctx);
        sessions.revokeAllExcept(current.user(), Optional.of(current.id()), Clients.of(ctx));
        ctx.status(204);
    }

    /** POST /api/v1/me/password {currentPassword, newPassword} → 204. */
    public void apiChangePassword(Context ctx) {
        Session current = requireApiSession(ctx);
        var body = JsonBody.read(ctx, Set.of("currentPassword", "newPassword"), Set.of());
        switch (accounts.changePassword(current, new Password(body.text("currentPassword")), new Password(body.text("newPassword")), Clients.of(ctx))) {
            case PasswordChangeOutcome.Changed c -> ctx.status(204);
            case PasswordChangeOutcome.Rejected r -> throw new ProblemException(400, r.id(), r.message());
        }
    }

    private void render(Context ctx, int status, Session session, Optional<String> error, Optional<String> notice) {
        User user = currentUser(session);
        List<Pages.SessionRow> rows = sessions.list(user.id()).stream()
                .map(s -> new Pages.SessionRow(s.id().toString(), s.client().userAgent().isEmpty() ? "Unknown device" : s.client().userAgent(),
                        s.client().ip(), SHOWN.format(s.createdAt()), SHOWN.format(s.lastSeenAt()), s.id().equals(session.id())))
                .toList();
        views.render(ctx, status, "account.jte", new Pages.Account(layout.nav(ctx), layout.csrf(ctx), user.email().value(),
                user.name().orElse(null), user.emailVerified(), rows, consents.apply(user.id()), error, notice, policy.minLength(),
                activity.apply(user.id()), mustChangePassword.test(user.id())));
    }

    private User currentUser(Session session) {
        return accounts.find(session.user()).orElseThrow(() -> new ProblemException(401, "auth.unauthenticated", "You are not logged in."));
    }

    private static Session requireApiSession(Context ctx) {
        return Authn.session(ctx).orElseThrow(() -> new ProblemException(401, "auth.unauthenticated", "You are not logged in."));
    }

    /** The session, or null after redirecting to the login page. */
    private static Session requirePageSession(Context ctx) {
        Optional<Session> session = Authn.session(ctx);
        if (session.isEmpty()) redirectToLogin(ctx);
        return session.orElse(null);
    }

    private static void redirectToLogin(Context ctx) {
        ctx.redirect("/login?returnTo=" + URLEncoder.encode(AccountPaths.PAGE, StandardCharsets.UTF_8), HttpStatus.SEE_OTHER);
    }
}
