package dev.doorman.mail;

import dev.doorman.web.Layout;
import dev.doorman.web.Pages;
import dev.doorman.web.Views;
import io.javalin.http.Context;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** GET /dev/outbox: mail that dev mode did not send. Only routed when the dev outbox is wired (never in production). */
public final class DevOutboxEndpoint {
    public static final String PATH = "/dev/outbox";
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final DevOutbox outbox;
    private final Views views;
    private final Layout layout;

    public DevOutboxEndpoint(DevOutbox outbox, Views views, Layout layout) {
        this.outbox = outbox;
        this.views = views;
        this.layout = layout;
    }

    public void page(Context ctx) {
        var rows = outbox.entries().stream()
                .map(e -> new Pages.OutboxRow(SHOWN.format(e.at()), e.mail().to().value(), e.mail().subject(), e.mail().text()))
                .toList();
        views.render(ctx, "outbox.jte", new Pages.Outbox(layout.nav(ctx), rows));
    }
}
