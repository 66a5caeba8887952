package dev.doorman.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.doorman.account.ActionTokenStore;
import dev.doorman.account.ActionTokens;
import dev.doorman.account.UserStore;
import dev.doorman.audit.AuditEvent;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.recovery.RecoveryPaths;
import dev.doorman.registration.RegistrationPaths;
import dev.doorman.verification.VerificationPaths;
import dev.doorman.web.Clients;
import dev.doorman.web.Cookies;
import dev.doorman.web.Forms;
import dev.doorman.web.Layout;
import dev.doorman.web.Pages;
import dev.doorman.web.SecurityHeaders;
import dev.doorman.web.Views;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The HTTP edge of the guard: decides the client address first, puts a named limit in front of each sensitive
 * route, and serves the unlock link's page and the proof-of-work script.
 *
 * <p>Any other feature limits a route with one line, e.g. for a second-factor step:
 * {@code routes.before(MfaPaths.VERIFY, guard.limit(Limit.MFA_SOURCE, GuardEndpoint.bySource()))}, and per account with
 * {@link #byField}. A refused request throws {@link RateLimited} (429, Retry-After, audited) and changes nothing.
 */
public final class GuardEndpoint {
    public static final String UNLOCK = "/login/unlock";
    public static final String POW_SCRIPT = "/assets/pow.js";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RateLimits limits;
    private final TrustedProxies proxies;
    private final AuditLog audit;
    private final ActionTokens tokens;
    private final UserStore users;
    private final LoginGuard loginGuard;
    private final DevicePasses passes;
    private final Cookies cookies;
    private final Views views;
    private final Layout layout;
    private final byte[] powScript;

    public GuardEndpoint(RateLimits limits, TrustedProxies proxies, AuditLog audit, ActionTokens tokens, UserStore users,
                         LoginGuard loginGuard, DevicePasses passes, Cookies cookies, Views views, Layout layout) {
        this.limits = limits;
        this.proxies = proxies;
        this.audit = audit;
        this.tokens = tokens;
        this.users = users;
        this.loginGuard = loginGuard;
        this.passes = passes;
        this.cookies = cookies;
        this.views = views;
        this.layout = layout;
        try (InputStream in = Objects.requireNonNull(GuardEndpoint.class.getResourceAsStream("/assets/pow.js"), "pow.js")) {
            this.powScript = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a route's limit counts per. Empty: this request has no such key (the route then answers its own 400). */
    @FunctionalInterface
    public interface KeyOf extends Function<Context, Optional<String>> { }

    /** Per source address (IPv6 by /64). */
    public static KeyOf bySource() {
        return ctx -> Optional.of(RateLimits.source(Clients.ip(ctx)));
    }

    /** Per account: the named form or JSON field (e.g. {@code email}), normalized and hashed, whether or not it exists. */
    public static KeyOf byField(String field) {
        return ctx -> field(ctx, field).map(RateLimits::account);
    }

    /** Must run before every other before-handler: from here on {@link Clients#ip} is the client's address. */
    public void installFirst(JavalinConfig config) {
        config.routes.before(Clients.resolver(proxies));
    }

    public void install(JavalinConfig config) {
        var routes = config.routes;
        postLimit(config, RegistrationPaths.FORM, Limit.REGISTER_SOURCE, bySource());
        postLimit(config, RegistrationPaths.API, Limit.REGISTER_SOURCE, bySource());
        for (String path : new String[]{RecoveryPaths.FORGOT, RecoveryPaths.API_REQUEST}) {
            postLimit(config, path, Limit.RESET_REQUEST_SOURCE, bySource());
            postLimit(config, path, Limit.RESET_REQUEST_ACCOUNT, byField("email"));
        }
        postLimit(config, RecoveryPaths.RESET, Limit.RESET_CONFIRM_SOURCE, bySource());
        postLimit(config, RecoveryPaths.API_CONFIRM, Limit.RESET_CONFIRM_SOURCE, bySource());
        postLimit(config, VerificationPaths.PAGE, Limit.VERIFY_SOURCE, bySource());
        postLimit(config, VerificationPaths.API, Limit.VERIFY_SOURCE, bySource());
        postLimit(config, VerificationPaths.API_RESEND, Limit.VERIFY_RESEND_SOURCE, bySource());
        postLimit(config, VerificationPaths.API_RESEND, Limit.VERIFY_RESEND_ACCOUNT, byField("email"));
        postLimit(config, UNLOCK, Limit.UNLOCK_SOURCE, bySource());
        routes.get(UNLOCK, this::unlockPage);
        routes.post(UNLOCK, this::unlockSubmit);
        routes.get(POW_SCRIPT, ctx -> ctx.contentType("text/javascript; charset=utf-8").result(powScript));
    }

    /**
     * Puts {@code limit} in front of every POST to {@code path}; must be installed after the routes' own before-handlers
     * (headers, session, CSRF), as {@link #install} is. E.g. {@code guard.postLimit(config, MfaPaths.VERIFY, Limit.MFA_SOURCE, bySource())}.
     */
    public void postLimit(JavalinConfig config, String path, Limit limit, KeyOf key) {
        Handler h = limit(limit, key);
        config.routes.before(path, ctx -> {
            if (ctx.method() == HandlerType.POST) h.handle(ctx);
        });
    }

    /** A before-handler that takes one token of {@code limit} per request, keyed by {@code key}; refused: {@link RateLimited}. */
    public Handler limit(Limit limit, KeyOf key) {
        return ctx -> {
            Optional<String> k = key.apply(ctx);
            if (k.isEmpty()) return;
            var decision = limits.tryConsume(limit, k.get());
            if (decision.allowed()) return;
            audit.failure(AuditType.RATE_LIMITED, limit.wireName(), Optional.empty(), Clients.of(ctx));
            throw new RateLimited(limit, decision.retryAfter());
        };
    }

    /** Per-client limits for the token and introspection endpoints. */
    public ClientAdmission clients(Limit limit) {
        return ClientAdmission.limitedBy(limits, limit, audit);
    }

    /** What this browser proved before for the identifier it is logging in with: an unlock pass, a device pass, or nothing. */
    public LoginGuard.Trust trust(Context ctx, String identifier) {
        String account = RateLimits.account(identifier);
        if (passes.device(ctx.cookie(cookies.name(DevicePasses.Kind.UNLOCK.cookie())), DevicePasses.Kind.UNLOCK, account).isPresent())
            return new LoginGuard.Trust.Unlocked();
        return passes.device(ctx.cookie(cookies.name(DevicePasses.Kind.DEVICE.cookie())), DevicePasses.Kind.DEVICE, account)
                .<LoginGuard.Trust>map(LoginGuard.Trust.KnownDevice::new).orElse(LoginGuard.Trust.STRANGER);
    }

    /** The password was right: from now on this browser is a known device for the account (one account per browser, the latest). */
    public void rememberDevice(Context ctx, String identifier) {
        give(ctx, DevicePasses.Kind.DEVICE, identifier);
    }

    private void give(Context ctx, DevicePasses.Kind kind, String identifier) {
        cookies.set(ctx, cookies.name(kind.cookie()), passes.issue(kind, RateLimits.account(identifier))
                + "; Max-Age=" + passes.ttl(kind).toSeconds());
    }

    private void unlockPage(Context ctx) {
        SecurityHeaders.noReferrer(ctx);
        String token = Optional.ofNullable(ctx.queryParam("token")).orElse("");
        if (!(tokens.peek(token, ActionTokenStore.Purpose.UNLOCK_LOGIN) instanceof ActionTokens.Redemption.Redeemed)) {
            invalid(ctx);
            return;
        }
        views.render(ctx, "unlock.jte", new Pages.Unlock(layout.nav(ctx), layout.csrf(ctx), token));
    }

    private void unlockSubmit(Context ctx) {
        Forms.requireForm(ctx);
        SecurityHeaders.noReferrer(ctx);
        var client = Clients.of(ctx);
        switch (tokens.redeem(Forms.field(ctx, "token"), ActionTokenStore.Purpose.UNLOCK_LOGIN)) {
            case ActionTokens.Redemption.Redeemed r -> {
                var user = users.find(r.user()).orElse(null);
                if (user == null) {
                    invalid(ctx);
                    return;
                }
                loginGuard.unlocked(user.email().value(), client);
                give(ctx, DevicePasses.Kind.UNLOCK, user.email().value());
                audit.success(AuditType.ACCOUNT_UNLOCKED, Optional.of(user.id()), client);
                views.render(ctx, "message.jte", new Pages.Message(layout.nav(ctx), "You can log in again",
                        "This browser may now log in to your account as usual. If the failed attempts were not yours, "
                                + "choose a new password after logging in.", Optional.of(new Pages.Link("/login", "Log in"))));
            }
            case ActionTokens.Redemption.Expired e -> invalid(ctx);
            case ActionTokens.Redemption.Invalid i -> {
                audit.unknownIdentifier(AuditType.ACCOUNT_UNLOCKED, AuditEvent.Outcome.FAILURE, "invalid_token", "unlock", client);
                invalid(ctx);
            }
        }
    }

    private void invalid(Context ctx) {
        views.render(ctx, 400, "message.jte", new Pages.Message(layout.nav(ctx), "Link not valid",
                "This unlock link is not valid any more. You can always reset your password instead.",
                Optional.of(new Pages.Link(RecoveryPaths.FORGOT, "Reset my password"))));
    }

    private static Optional<String> field(Context ctx, String name) {
        String type = Optional.ofNullable(ctx.contentType()).orElse("").toLowerCase(Locale.ROOT);
        try {
            if (type.startsWith("application/json")) {
                JsonNode node = JSON.readTree(ctx.body());
                return node != null && node.get(name) != null && node.get(name).isTextual() ? Optional.of(node.get(name).asText()) : Optional.empty();
            }
            if (type.startsWith("application/x-www-form-urlencoded")) return Optional.ofNullable(ctx.formParam(name));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
