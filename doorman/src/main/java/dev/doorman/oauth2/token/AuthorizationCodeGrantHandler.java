package dev.doorman.oauth2.token;

import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.OIDCScopeValue;
import dev.doorman.account.User;
import dev.doorman.account.UserStore;
import dev.doorman.audit.AuditLog;
import dev.doorman.audit.AuditType;
import dev.doorman.client.RegisteredClient;
import dev.doorman.oauth2.GrantId;
import dev.doorman.oauth2.code.CodeGrant;
import dev.doorman.oauth2.code.CodeStore;
import dev.doorman.support.ClientInfo;
import dev.doorman.support.Secrets;
import dev.doorman.support.Tx;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code grant_type=authorization_code} (RFC 6749 §4.1.3, RFC 7636 §4.6): the code is consumed first, so that any
 * failure after it still burns it (OA-07); a replay revokes everything its grant issued (OA-06).
 */
public final class AuthorizationCodeGrantHandler implements GrantHandler {
    /** RFC 7636 §4.1: 43 to 128 unreserved characters. */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

    private final CodeStore codes;
    private final UserStore users;
    private final TokenFactory tokens;
    private final TokenRevoker revoker;
    private final AuditLog audit;
    private final Clock clock;
    private final Tx tx;

    /** @param tx the consumption, the checks and the issuance (or the replay's revocation) run in one transaction */
    public AuthorizationCodeGrantHandler(CodeStore codes, UserStore users, TokenFactory tokens, TokenRevoker revoker, AuditLog audit,
                                         Clock clock, Tx tx) {
        this.tx = tx;
        this.codes = codes;
        this.users = users;
        this.tokens = tokens;
        this.revoker = revoker;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public TokenResult handle(RegisteredClient client, TokenRequest request, ClientInfo from) {
        var grant = (AuthorizationCodeGrant) request.getAuthorizationGrant();
        return tx.inTransaction(() -> switch (codes.consume(Secrets.hash(grant.getAuthorizationCode().getValue())).orElse(null)) {
            case null -> TokenResult.invalidGrant("Invalid authorization code");
            case CodeStore.Redemption.Replayed replayed -> replayed(replayed.grant(), from);
            case CodeStore.Redemption.Redeemed redeemed -> redeemed(client, grant, redeemed.grant(), from);
        });
    }

    private TokenResult replayed(CodeGrant code, ClientInfo from) {
        revoker.revoke(TokensOf.grant(new GrantId(code.grantId())));
        audit.failure(AuditType.AUTHORIZATION_CODE_REPLAYED, "code_replayed", Optional.of(code.user()), from);
        return TokenResult.invalidGrant("Invalid authorization code");
    }

    private TokenResult redeemed(RegisteredClient client, AuthorizationCodeGrant grant, CodeGrant code, ClientInfo from) {
        Optional<String> refusal = refusal(client, grant, code);
        Optional<User> user = users.find(code.user()).filter(u -> !u.disabled());
        if (refusal.isEmpty() && user.isEmpty()) refusal = Optional.of("user_unavailable");
        if (refusal.isPresent()) {
            audit.failure(AuditType.TOKEN_REFUSED, "authorization_code." + refusal.get(), Optional.of(code.user()), from);
            return TokenResult.invalidGrant("Invalid authorization code");
        }
        return issue(client, code, user.get(), from);
    }

    /** Why the code may not be redeemed by this request, if it may not (a stable id for the audit log). */
    private Optional<String> refusal(RegisteredClient client, AuthorizationCodeGrant grant, CodeGrant code) {
        if (!code.client().equals(client.id())) return Optional.of("other_client");
        if (!clock.instant().isBefore(code.expiresAt())) return Optional.of("expired");
        if (grant.getRedirectionURI() == null || !grant.getRedirectionURI().toString().equals(code.redirectUri().toString()))
            return Optional.of("redirect_uri_mismatch");
        if (!pkceHolds(grant.getCodeVerifier(), code.challenge())) return Optional.of("pkce_failed");
        return Optional.empty();
    }

    private static boolean pkceHolds(CodeVerifier verifier, CodeChallenge challenge) {
        if (verifier == null || !VERIFIER.matcher(verifier.getValue()).matches()) return false;
        String computed = CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue();
        return MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII), challenge.getValue().getBytes(StandardCharsets.US_ASCII));
    }

    private TokenResult issue(RegisteredClient client, CodeGrant code, User user, ClientInfo from) {
        var grantId = new GrantId(code.grantId());
        var principal = tokens.principal(code.user(), Optional.of(code.authentication()), Optional.of(code.session()));
        Optional<TokenFactory.NewRefreshToken> refreshToken = client.grantTypes().contains(GrantType.REFRESH_TOKEN)
                ? Optional.of(tokens.firstRefreshToken(client, grantId, code.user(), Optional.of(code.session()), code.authentication(),
                        code.scope()))
                : Optional.empty();
        var accessToken = tokens.userAccessToken(client, principal, code.scope(), grantId,
                refreshToken.map(TokenFactory.NewRefreshToken::family), code.user(),
                Optional.of(code.session()));
        Optional<String> idToken = code.scope().contains(OIDCScopeValue.OPENID)
                ? Optional.of(tokens.idToken(client, principal, user, code.scope(), code.nonce(), accessToken))
                : Optional.empty();
        audit.success(AuditType.TOKEN_ISSUED, Optional.of(code.user()), from);
        return new TokenResult.Issued(accessToken, idToken, refreshToken.map(TokenFactory.NewRefreshToken::value), code.scope());
    }
}
