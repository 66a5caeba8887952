package dev.doorman.mfa;

import dev.doorman.account.Email;
import dev.doorman.mail.Mail;

import java.net.URI;

/** The notices second-factor changes send: each says what happened and what to do if it was not the owner. */
public final class MfaMails {
    private final URI baseUrl;

    public MfaMails(URI baseUrl) {
        this.baseUrl = baseUrl;
    }

    public Mail enrolled(Email to, String what) {
        return notice(to, "Two-factor authentication was turned on", what + " was added to your account as a second factor.");
    }

    public Mail removed(Email to, String what) {
        return notice(to, "A second factor was removed from your account",
                what + " was removed from your account, and every other session was logged out.");
    }

    public Mail recoveryCodeUsed(Email to, int left) {
        return notice(to, "A recovery code was used", "One of your recovery codes was just used to log in. " + left
                + " unused codes are left; you can make new ones on your account page.");
    }

    public Mail recoveryCodesRegenerated(Email to) {
        return notice(to, "New recovery codes were made", "New recovery codes were made for your account; the old ones no longer work.");
    }

    public Mail secondFactorFailed(Email to) {
        return notice(to, "A login to your account failed at the second factor", """
                Someone entered your password correctly but did not pass the second factor, too many times. \
                If this was not you, your password is known to someone else: change it now.""");
    }

    public Mail passkeyRegistered(Email to, String name) {
        return notice(to, "A passkey was added to your account", "The passkey \"" + name + "\" was added to your account.");
    }

    private Mail notice(Email to, String subject, String what) {
        return new Mail(to, subject, """
                %s

                If this was not you, reset your password at %s and review your account at %s.
                """.formatted(what, baseUrl.resolve("/forgot-password"), baseUrl.resolve("/account")));
    }
}
