package dev.doorman.mail;

import dev.doorman.account.Email;

import java.net.URI;
import java.time.Duration;

/** The text of every mail Doorman sends. Links are built from the configured base URL, never from the request. */
public final class Mails {
    private final URI baseUrl;

    public Mails(URI baseUrl) {
        this.baseUrl = baseUrl;
    }

    public Mail verifyEmail(Email to, String token, Duration ttl) {
        return new Mail(to, "Confirm your e-mail address", """
                Welcome! Confirm that this is your e-mail address by opening the link below:

                %s

                The link works once and expires in %s. If you did not create an account, ignore this mail.
                """.formatted(link("/verify-email", token), words(ttl)));
    }

    public Mail registrationAttempt(Email to) {
        return new Mail(to, "Someone tried to register with your address", """
                Someone tried to create an account with this e-mail address, which already has one.
                If it was you, log in at %s or reset your password at %s.
                If it was not you, you can ignore this mail: nothing has changed.
                """.formatted(baseUrl.resolve("/login"), baseUrl.resolve("/forgot-password")));
    }

    public Mail resetPassword(Email to, String token, Duration ttl) {
        return new Mail(to, "Reset your password", """
                Someone (hopefully you) asked to reset the password of your account. Choose a new one here:

                %s

                The link works once and expires in %s. If you did not ask, ignore this mail: your password stays as it is.
                """.formatted(link("/reset-password", token), words(ttl)));
    }

    public Mail passwordChanged(Email to) {
        return new Mail(to, "Your password was changed", """
                The password of your account was just changed, and every other session was logged out.
                If this was not you, reset your password now at %s.
                """.formatted(baseUrl.resolve("/forgot-password")));
    }

    /** Failed logins are piling up on the account: say so, and give the owner a way in that the attacker cannot use. */
    public Mail loginUnderAttack(Email to, String unlockToken, Duration ttl) {
        return new Mail(to, "Someone is trying to log in to your account", """
                There have been many failed attempts to log in to your account, so logins to it are being slowed down
                or refused from the places they came from. Your password has not been changed.

                If you cannot log in, open this link in the browser you use: it lets that browser log in as usual.

                %s

                The link works once and expires in %s. If the attempts were not yours, consider choosing a new, unique
                password at %s.
                """.formatted(link("/login/unlock", unlockToken), words(ttl), baseUrl.resolve("/forgot-password")));
    }

    private String link(String path, String token) {
        return baseUrl.resolve(path) + "?token=" + token;
    }

    private static String words(Duration ttl) {
        long minutes = ttl.toMinutes();
        return minutes % 60 == 0 ? (minutes / 60) + (minutes == 60 ? " hour" : " hours") : minutes + " minutes";
    }
}
