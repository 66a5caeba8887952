package dev.doorman.login;

import io.javalin.http.Context;

/** Where a login goes after the right password when a second factor must follow (the MFA feature answers). */
public interface SecondFactorHandoff {
    SecondFactorHandoff NONE = new SecondFactorHandoff() {
        @Override
        public void browser(Context ctx, LoginOutcome.NeedsSecondFactor pending, String returnTo) {
            throw new IllegalStateException("no second-factor feature is installed");
        }

        @Override
        public void api(Context ctx, LoginOutcome.NeedsSecondFactor pending) {
            throw new IllegalStateException("no second-factor feature is installed");
        }
    };

    /** Starts the challenge and sends the browser to its page. */
    void browser(Context ctx, LoginOutcome.NeedsSecondFactor pending, String returnTo);

    /** Starts the challenge and answers the JSON API's login with 202 and what may follow. */
    void api(Context ctx, LoginOutcome.NeedsSecondFactor pending);
}
