package dev.doorman.oidc;

import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.Subject;
import com.nimbusds.openid.connect.sdk.OIDCScopeValue;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;
import dev.doorman.account.User;
import dev.doorman.account.UserId;
import dev.doorman.account.UserStore;
import dev.doorman.oauth2.token.AccessTokenVerifier;
import dev.doorman.oauth2.token.TokenFactory;

import java.util.Optional;

/**
 * The claims behind a bearer access token (OIDC Core §5.3): a valid access token of ours for our own audience, with
 * {@code openid} granted, about a user who exists and is not disabled (OI-06, JW-05, JW-06).
 */
public final class UserInfoService {
    public sealed interface Outcome {
        record Claims(UserInfo userInfo) implements Outcome { }

        /** @param reason for logs only; the wire says {@code invalid_token} */
        record InvalidToken(String reason) implements Outcome { }

        record InsufficientScope() implements Outcome { }
    }

    private final AccessTokenVerifier verifier;
    private final UserStore users;

    /** @param verifier accepts tokens for the issuer as audience */
    public UserInfoService(AccessTokenVerifier verifier, UserStore users) {
        this.verifier = verifier;
        this.users = users;
    }

    public Outcome userInfo(String bearer) {
        return switch (verifier.verify(bearer)) {
            case AccessTokenVerifier.Result.Invalid invalid -> new Outcome.InvalidToken(invalid.reason());
            case AccessTokenVerifier.Result.Valid valid -> {
                Object scopeClaim = valid.claims().getClaim("scope");
                Scope scope = scopeClaim instanceof String s ? Optional.ofNullable(Scope.parse(s)).orElseGet(Scope::new) : new Scope();
                Optional<User> user = userOf(valid.claims().getSubject());
                if (user.isEmpty()) yield new Outcome.InvalidToken("no_such_user");
                if (!scope.contains(OIDCScopeValue.OPENID)) yield new Outcome.InsufficientScope();
                var info = new UserInfo(new Subject(user.get().id().toString()));
                TokenFactory.claimsFor(user.get(), scope).forEach(info::setClaim);
                yield new Outcome.Claims(info);
            }
        };
    }

    private Optional<User> userOf(String subject) {
        try {
            return users.find(UserId.parse(subject)).filter(u -> !u.disabled());
        } catch (IllegalArgumentException e) {
            return Optional.empty();   // a client-credentials token: its subject is a client
        }
    }
}
