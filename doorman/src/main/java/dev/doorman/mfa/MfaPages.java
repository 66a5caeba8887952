package dev.doorman.mfa;

import dev.doorman.web.Pages;

import java.util.List;
import java.util.Optional;

/** The models of the second-factor pages (templates under src/main/jte/mfa-*.jte). */
public final class MfaPages {
    private MfaPages() {
    }

    /** The second step of a login; with {@code enrollment} when a role demands a factor the user does not have yet. */
    public record Challenge(Pages.Nav nav, String csrf, boolean totp, int recoveryCodes, int passkeys,
                            Optional<MfaService.TotpEnrollment> enrollment, Optional<String> error) { }

    /** Prove it again: a code for a user with a second factor, the password for one without. */
    public record StepUp(Pages.Nav nav, String csrf, boolean secondFactor, boolean passkeys, String returnTo, Optional<String> error) { }

    public record PasskeyRow(String id, String name, String createdAt, String lastUsedAt, boolean synced, boolean passwordless) { }

    public record Settings(Pages.Nav nav, String csrf, boolean totp, int recoveryCodes, List<PasskeyRow> passkeys, boolean passkeysEnabled,
                           Optional<String> notice, Optional<String> error) { }

    public record TotpSetup(Pages.Nav nav, String csrf, MfaService.TotpEnrollment enrollment, String action, Optional<String> error) { }

    /** Recovery codes, shown this once. */
    public record RecoveryCodesShown(Pages.Nav nav, List<String> codes, String continueTo) { }
}
