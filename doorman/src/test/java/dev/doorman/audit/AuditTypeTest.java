package dev.doorman.audit;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Audit type names are stored, queried, alerted on and graphed: released names never change or disappear. */
class AuditTypeTest {
    private static final List<String> RELEASED = List.of(
            "account_registered", "registration_for_existing_email", "email_verified", "email_verification_failed", "verification_resent",
            "login_succeeded", "login_failed", "logged_out", "session_revoked", "session_expired", "password_changed",
            "password_change_failed", "password_reset_requested", "password_reset_completed", "password_reset_failed", "csrf_rejected",
            "user_created", "user_disabled", "user_imported", "mail_failed", "signing_key_rotated", "client_created", "client_imported",
            "client_secret_rotated", "client_deleted", "client_authentication_failed", "token_issued", "token_refused",
            "refresh_token_rotated", "refresh_token_reused", "authorization_code_replayed", "token_revoked", "consent_withdrawn",
            "audit_pruned", "access_denied", "password_breach_detected");

    @Test
    void wireNamesWhenComparedWithTheReleasedOnesThenEveryReleasedNameStillExists() {
        var current = Arrays.stream(AuditType.values()).map(AuditType::wireName).toList();

        assertThat(current).containsAll(RELEASED);
    }

    @Test
    void wireNamesWhenListedThenLowerSnakeCaseAndShortEnoughForTheColumn() {
        assertThat(Arrays.stream(AuditType.values()).map(AuditType::wireName))
                .allSatisfy(n -> assertThat(n).matches("[a-z][a-z0-9_]{0,63}"));
    }
}
