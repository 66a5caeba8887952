package dev.doorman.login;

import dev.doorman.session.SessionService;

public sealed interface LoginOutcome {
    record Authenticated(SessionService.Established session) implements LoginOutcome { }

    record Rejected(LoginRejection why) implements LoginOutcome { }
}
