package dev.doorman.audit;

import dev.doorman.web.AdminAccess;
import dev.doorman.web.Authn;
import dev.doorman.web.Layout;
import dev.doorman.web.ProblemException;
import dev.doorman.web.Views;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** {@code GET /admin/security?window=hour|day}: the admin security page (admin role; anonymous callers are sent to log in). */
public final class SecurityDashboardEndpoint {
    private final SecurityDashboard dashboard;
    private final AdminAccess admins;
    private final Views views;
    private final Layout layout;

    public SecurityDashboardEndpoint(SecurityDashboard dashboard, AdminAccess admins, Views views, Layout layout) {
        this.dashboard = dashboard;
        this.admins = admins;
        this.views = views;
        this.layout = layout;
    }

    public void page(Context ctx) {
        if (Authn.session(ctx).isEmpty()) {
            ctx.redirect("/login?returnTo=" + URLEncoder.encode(AuditPaths.ADMIN_PAGE, StandardCharsets.UTF_8), HttpStatus.SEE_OTHER);
            return;
        }
        admins.require(ctx);
        SecurityDashboard.Window window = switch (ctx.queryParam("window") == null ? "hour" : ctx.queryParam("window")) {
            case "hour" -> SecurityDashboard.Window.HOUR;
            case "day" -> SecurityDashboard.Window.DAY;
            default -> throw new ProblemException(400, "request.bad_request", "window must be hour or day.");
        };
        views.render(ctx, "admin-security.jte", dashboard.build(layout.nav(ctx), window));
    }
}
