package dev.doorman.consent;

import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.doorman.account.AccountPaths;
import dev.doorman.account.UserId;
import dev.doorman.client.ClientRegistry;
import dev.doorman.client.RegisteredClient;
import dev.doorman.session.Session;
import dev.doorman.web.Authn;
import dev.doorman.web.Clients;
import dev.doorman.web.Forms;
import dev.doorman.web.Pages;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/** The account page's list of applications the user has allowed (OA-12), and withdrawing one. */
public final class ConsentEndpoint {
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final ConsentStore consents;
    private final ConsentWithdrawal withdrawal;
    private final ClientRegistry clients;

    public ConsentEndpoint(ConsentStore consents, ConsentWithdrawal withdrawal, ClientRegistry clients) {
        this.consents = consents;
        this.withdrawal = withdrawal;
        this.clients = clients;
    }

    public List<Pages.ConsentRow> rows(UserId user) {
        return consents.listByUser(user).stream()
                .map(c -> new Pages.ConsentRow(c.client().getValue(),
                        clients.find(c.client()).map(RegisteredClient::name).orElse(c.client().getValue()),
                        String.join(", ", c.scope().toStringList()), SHOWN.format(c.grantedAt())))
                .toList();
    }

    /** POST /account/consents/revoke {client_id}: the client must ask again next time. */
    public void revoke(Context ctx) {
        Forms.requireForm(ctx);
        Optional<Session> session = Authn.session(ctx);
        if (session.isEmpty()) {
            ctx.redirect("/login", HttpStatus.SEE_OTHER);
            return;
        }
        String client = Forms.field(ctx, "client_id");
        if (!client.isBlank()) withdrawal.withdraw(session.get().user(), new ClientID(client), Clients.of(ctx));
        ctx.redirect(AccountPaths.PAGE + "?done=consent", HttpStatus.SEE_OTHER);
    }
}
