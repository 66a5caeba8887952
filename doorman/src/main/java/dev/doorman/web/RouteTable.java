package dev.doorman.web;

import dev.doorman.access.AccessPaths;
import dev.doorman.access.AuthZenEndpoint;
import dev.doorman.access.RoleBindingsEndpoint;
import dev.doorman.account.AccountEndpoint;
import dev.doorman.account.AccountPaths;
import dev.doorman.account.PasswordChangeGate;
import dev.doorman.audit.AuditEndpoint;
import dev.doorman.audit.AuditPaths;
import dev.doorman.audit.SecurityDashboardEndpoint;
import dev.doorman.metrics.MetricsEndpoint;
import dev.doorman.consent.ConsentEndpoint;
import dev.doorman.keys.JwksEndpoint;
import dev.doorman.keys.KeysPaths;
import dev.doorman.login.LoginEndpoint;
import dev.doorman.oauth2.OAuth2Paths;
import dev.doorman.oauth2.authorize.AuthorizeEndpoint;
import dev.doorman.oauth2.par.ParEndpoint;
import dev.doorman.oidc.DiscoveryEndpoint;
import dev.doorman.oidc.EndSessionEndpoint;
import dev.doorman.login.LoginPaths;
import dev.doorman.mail.DevOutboxEndpoint;
import dev.doorman.mfa.MfaEndpoint;
import dev.doorman.mfa.MfaPaths;
import dev.doorman.mfa.PasskeyEndpoint;
import dev.doorman.recovery.RecoveryEndpoint;
import dev.doorman.recovery.RecoveryPaths;
import dev.doorman.registration.RegistrationEndpoint;
import dev.doorman.registration.RegistrationPaths;
import dev.doorman.verification.VerificationEndpoint;
import dev.doorman.verification.VerificationPaths;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HttpStatus;

import java.util.Optional;

/** The whole HTTP surface of Doorman in one place. */
public record RouteTable(SecurityHeaders headers, Authn authn, Csrf csrf, WebErrors errors, HealthEndpoint health, AssetEndpoint assets,
                         RegistrationEndpoint registration, VerificationEndpoint verification, LoginEndpoint login,
                         RecoveryEndpoint recovery, AccountEndpoint account, JwksEndpoint jwks, BackChannelEndpoints backChannel,
                         Optional<DevOutboxEndpoint> devOutbox, AuthorizeEndpoint authorize, ParEndpoint par,
                         DiscoveryEndpoint discovery, EndSessionEndpoint endSession,
                         ConsentEndpoint consents, AuthZenEndpoint authZen, RoleBindingsEndpoint roleBindings,
                         PasswordChangeGate passwordChangeGate, AuditEndpoint audit,
                         Optional<MetricsEndpoint> metrics, SecurityDashboardEndpoint securityPage,
                         MfaEndpoint mfa, PasskeyEndpoint passkeys) {

    public void install(JavalinConfig config) {
        var routes = config.routes;
        routes.before(headers::apply);
        // Only for requests that reach a route: an unknown path is a plain 404, whatever it carries.
        routes.beforeMatched(authn::resolve);
        routes.beforeMatched(csrf::check);
        routes.beforeMatched(passwordChangeGate::check);
        errors.install(config);

        routes.get(HealthEndpoint.LIVE, health::live);
        routes.get(HealthEndpoint.READY, health::ready);
        routes.get(AssetPaths.STYLESHEET, assets::stylesheet);
        metrics.ifPresent(m -> routes.get(MetricsEndpoint.PATH, m::handle));
        routes.get(AssetPaths.PASSKEYS_SCRIPT, assets::passkeysScript);
        routes.get("/", ctx -> ctx.redirect(Authn.session(ctx).isPresent() ? AccountPaths.PAGE : LoginPaths.FORM, HttpStatus.SEE_OTHER));

        // Pages
        routes.get(RegistrationPaths.FORM, registration::form);
        routes.post(RegistrationPaths.FORM, registration::submit);
        routes.get(VerificationPaths.PAGE, verification::page);
        routes.post(VerificationPaths.PAGE, verification::submit);
        routes.get(LoginPaths.FORM, login::form);
        routes.post(LoginPaths.FORM, login::submit);
        routes.post(LoginPaths.LOGOUT, login::logout);
        routes.get(RecoveryPaths.FORGOT, recovery::forgotForm);
        routes.post(RecoveryPaths.FORGOT, recovery::forgotSubmit);
        routes.get(RecoveryPaths.RESET, recovery::resetForm);
        routes.post(RecoveryPaths.RESET, recovery::resetSubmit);
        routes.get(AccountPaths.PAGE, account::page);
        routes.post(AccountPaths.CHANGE_PASSWORD, account::changePassword);
        routes.post(AccountPaths.REVOKE_OTHERS, account::revokeOthers);
        routes.post(AccountPaths.REVOKE_SESSION, account::revokeSession);
        routes.post(AccountPaths.REVOKE_CONSENT, consents::revoke);
        devOutbox.ifPresent(outbox -> routes.get(DevOutboxEndpoint.PATH, outbox::page));
        routes.get(MfaPaths.CHALLENGE, mfa::challengePage);
        routes.post(MfaPaths.CHALLENGE, mfa::challengeSubmit);
        routes.get(MfaPaths.STEP_UP, mfa::stepUpPage);
        routes.post(MfaPaths.STEP_UP, mfa::stepUpSubmit);
        routes.get(MfaPaths.SETTINGS, mfa::settingsPage);
        routes.post(MfaPaths.TOTP_START, mfa::totpStart);
        routes.post(MfaPaths.TOTP_CONFIRM, mfa::totpConfirm);
        routes.post(MfaPaths.TOTP_REMOVE, mfa::totpRemove);
        routes.post(MfaPaths.RECOVERY_CODES, mfa::recoveryCodesRegenerate);
        routes.post(PasskeyEndpoint.RENAME, passkeys::rename);
        routes.post(PasskeyEndpoint.REMOVE, passkeys::remove);

        // OAuth 2.0 / OpenID Connect
        routes.get(KeysPaths.JWKS, jwks::handle);
        routes.get(OAuth2Paths.OPENID_CONFIGURATION, discovery::handle);
        routes.get(OAuth2Paths.AUTHORIZATION_SERVER_METADATA, discovery::handle);
        routes.get(OAuth2Paths.AUTHORIZE, authorize::authorize);
        routes.post(OAuth2Paths.AUTHORIZE, authorize::authorize);
        routes.get(OAuth2Paths.CONSENT, authorize::consentPage);
        routes.post(OAuth2Paths.CONSENT, authorize::consentSubmit);
        routes.post(OAuth2Paths.PAR, par::handle);
        routes.get(OAuth2Paths.END_SESSION, endSession::handle);
        routes.post(OAuth2Paths.END_SESSION, endSession::handle);
        routes.post(OAuth2Paths.TOKEN, backChannel.token()::handle);
        routes.get(OAuth2Paths.USERINFO, backChannel.userInfo()::handle);
        routes.post(OAuth2Paths.USERINFO, backChannel.userInfo()::handle);
        routes.post(OAuth2Paths.REVOKE, backChannel.revocation()::handle);
        routes.post(OAuth2Paths.INTROSPECT, backChannel.introspection()::handle);
        routes.get(OAuth2Paths.REVOKED_TOKENS, backChannel.revokedTokens()::handle);

        // JSON API
        routes.post(RegistrationPaths.API, registration::api);
        routes.post(VerificationPaths.API, verification::api);
        routes.post(VerificationPaths.API_RESEND, verification::apiResend);
        routes.post(LoginPaths.API_SESSION, login::apiLogin);
        routes.delete(LoginPaths.API_SESSION, login::apiLogout);
        routes.get(AccountPaths.API_ME, account::apiMe);
        routes.get(AccountPaths.API_SESSIONS, account::apiSessions);
        routes.delete(AccountPaths.API_SESSIONS, account::apiRevokeOthers);
        routes.delete(AccountPaths.API_SESSION, account::apiRevokeSession);
        routes.post(AccountPaths.API_PASSWORD, account::apiChangePassword);
        routes.post(RecoveryPaths.API_REQUEST, recovery::apiRequest);
        routes.post(RecoveryPaths.API_CONFIRM, recovery::apiConfirm);

        // Authorization: the AuthZEN decision point (bearer token with doorman:authz) and the role-binding admin API
        routes.post(AccessPaths.EVALUATION, authZen::evaluation);
        routes.post(AccessPaths.EVALUATIONS, authZen::evaluations);
        routes.get(AccessPaths.ADMIN_BINDINGS, roleBindings::list);
        routes.post(AccessPaths.ADMIN_BINDINGS, roleBindings::bind);
        routes.delete(AccessPaths.ADMIN_BINDINGS, roleBindings::unbind);

        // Admin (admin role)
        routes.get(AuditPaths.API_LIST, audit::list);
        routes.get(AuditPaths.API_VERIFY, audit::verify);
        routes.get(AuditPaths.ADMIN_PAGE, securityPage::page);

        routes.post(MfaPaths.API_CHALLENGE, mfa::apiChallenge);
        routes.post(MfaPaths.API_STEP_UP, mfa::apiStepUp);
        routes.get(MfaPaths.API_FACTORS, mfa::apiFactors);
        routes.post(MfaPaths.API_TOTP, mfa::apiTotpStart);
        routes.delete(MfaPaths.API_TOTP, mfa::apiTotpRemove);
        routes.post(MfaPaths.API_TOTP_CONFIRM, mfa::apiTotpConfirm);
        routes.post(MfaPaths.API_RECOVERY_CODES, mfa::apiRecoveryCodes);
        routes.post(PasskeyEndpoint.API_OPTIONS, passkeys::options);
        routes.post(PasskeyEndpoint.API_REGISTER, passkeys::register);
        routes.post(PasskeyEndpoint.API_AUTHENTICATE, passkeys::authenticate);
        routes.get(PasskeyEndpoint.API_MINE, passkeys::apiList);
        routes.patch(PasskeyEndpoint.API_ONE, passkeys::apiRename);
        routes.delete(PasskeyEndpoint.API_ONE, passkeys::apiRemove);
    }
}
