package dev.doorman.consent;

import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.doorman.account.UserId;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.oauth2.revocation.RevocationList;
import dev.doorman.oauth2.token.RefreshTokenStore;
import dev.doorman.oauth2.token.TokensOf;
import dev.doorman.support.ClientInfo;
import dev.doorman.support.Tx;

import java.util.Optional;

/** Withdrawing a consent (OA-12): the client must ask again, and every token it holds for the user dies now. */
public final class ConsentWithdrawal {
    private final ConsentStore consents;
    private final RefreshTokenStore refreshTokens;
    private final RevocationList revocations;
    private final Tx tx;
    private final AuditLog audit;

    public ConsentWithdrawal(ConsentStore consents, RefreshTokenStore refreshTokens, RevocationList revocations, Tx tx, AuditLog audit) {
        this.consents = consents;
        this.refreshTokens = refreshTokens;
        this.revocations = revocations;
        this.tx = tx;
        this.audit = audit;
    }

    public boolean withdraw(UserId user, ClientID client, ClientInfo from) {
        var tokens = TokensOf.userAndClient(user, client);
        boolean removed = tx.inTransaction(() -> {
            boolean had = consents.remove(user, client);
            refreshTokens.revoke(tokens);
            revocations.revokeAll(tokens);
            return had;
        });
        if (removed) audit.success(AuditType.CONSENT_WITHDRAWN, Optional.of(user), from);
        return removed;
    }
}
