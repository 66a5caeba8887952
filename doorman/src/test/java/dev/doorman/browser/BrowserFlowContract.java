package dev.doorman.browser;

import dev.doorman.TestServer;
import dev.doorman.account.Email;
import dev.doorman.testkit.TestHttp;
import dev.doorman.testkit.TestMail;
import dev.doorman.web.SetCookie;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.doorman.browser.Browser.fields;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The self-service pages driven like a person would: forms with their CSRF tokens, cookies, 303s, mailed links.
 * Runs once per database (see the subclasses).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BrowserFlowContract {
    static final String PASSWORD = TestServer.PASSWORD;
    static final String NEW_PASSWORD = "violet tractor mirrors a quiet ocean";
    private static final Pattern URL_ATTRIBUTE = Pattern.compile("\\s(?:src|href|action|formaction|srcset|poster|data)\\s*=\\s*[\"']([^\"']*)[\"']",
            Pattern.CASE_INSENSITIVE);

    TestServer server;

    abstract TestServer.Store store();

    @BeforeAll
    void startServer() {
        server = TestServer.start(store());
    }

    @AfterAll
    void stopServer() {
        server.close();
    }

    private String email(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
    }

    private boolean verified(String email) {
        return server.doorman.users().findByEmail(Email.parse(email).orElseThrow()).orElseThrow().emailVerified();
    }

    private Browser loggedInUser(String name) {
        String email = email(name);
        server.registerVerified(email, PASSWORD);
        return new Browser(server).loggedIn(email, PASSWORD);
    }

    @Test
    void registerVerifyAndLoginWhenDoneThroughThePagesThenEachStepAnswersAsABrowserExpects() {
        String email = email("alice");
        var browser = new Browser(server);

        var registered = browser.submit("/register", "/register", fields("email", email, "name", "Alice", "password", PASSWORD));
        assertThat(registered.status()).isEqualTo(200);
        assertThat(registered.body()).contains("Check your inbox");

        // Opening the mailed link only shows a confirmation button; the GET itself proves nothing.
        String link = Browser.linkFromMail(server, email, "/verify-email");
        assertThat(link).startsWith(server.baseUrl + "/verify-email?token=");
        var confirmPage = browser.get(link);
        assertThat(confirmPage.status()).isEqualTo(200);
        assertThat(confirmPage.header("Referrer-Policy")).contains("no-referrer");
        assertThat(confirmPage.body()).contains("<form method=\"post\" action=\"/verify-email\"").contains("<button type=\"submit\">");
        assertThat(verified(email)).as("verified by the GET alone").isFalse();
        var tooEarly = browser.login(email, PASSWORD);
        assertThat(tooEarly.status()).isEqualTo(401);
        assertThat(tooEarly.body()).contains("confirm your e-mail address first");
        assertThat(browser.sessionCookie()).isEmpty();

        var confirmed = browser.post("/verify-email", confirmPage.csrfField(), fields("token", TestMail.tokenFrom(link)));
        assertThat(confirmed.status()).isEqualTo(200);
        assertThat(confirmed.body()).contains("E-mail address confirmed");
        assertThat(verified(email)).isTrue();

        var loginForm = browser.get("/login");
        assertThat(loginForm.status()).isEqualTo(200);
        var login = browser.post("/login", loginForm.csrfField(), fields("email", email, "password", PASSWORD));
        assertThat(login.status()).as("a 303, never 302/307/308 (OA-10)").isEqualTo(303);
        assertThat(login.location()).contains("/account");
        assertThat(login.header("Cache-Control")).contains("no-store");
        assertThat(SetCookie.named(login, server.sessionCookieName())).hasValueSatisfying(c -> assertThat(c.deletes()).isFalse());
        assertThat(browser.sessionCookie()).isPresent();

        var account = browser.get("/account");
        assertThat(account.status()).isEqualTo(200);
        assertThat(account.header("Cache-Control")).contains("no-store");
        assertThat(account.body())
                .contains(email)
                .contains("Alice")
                .contains("<table class=\"sessions\">")
                .contains("This session")
                .contains("DoormanBrowserTest/1.0");
    }

    @Test
    void changePasswordWhenCurrentPasswordWrongThen400PageWithMessageAndOldPasswordStillWorks() {
        String email = email("bob");
        server.registerVerified(email, PASSWORD);
        var browser = new Browser(server).loggedIn(email, PASSWORD);

        var rejected = browser.submit("/account", "/account/password",
                fields("currentPassword", "not my password at all, sorry", "newPassword", NEW_PASSWORD));

        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(rejected.body()).contains("The current password is incorrect.");
        assertThat(browser.get("/account").status()).as("still logged in").isEqualTo(200);
        assertThat(new Browser(server).login(email, NEW_PASSWORD).status()).isEqualTo(401);
        assertThat(new Browser(server).login(email, PASSWORD).status()).isEqualTo(303);
    }

    @Test
    void changePasswordWhenCurrentPasswordRightThen303ToAccountAndOtherSessionsEndAndNewPasswordWorks() {
        String email = email("carol");
        server.registerVerified(email, PASSWORD);
        var browser = new Browser(server).loggedIn(email, PASSWORD);
        var otherDevice = new Browser(server, "OtherDevice/2.0").loggedIn(email, PASSWORD);

        var changed = browser.submit("/account", "/account/password", fields("currentPassword", PASSWORD, "newPassword", NEW_PASSWORD));

        assertThat(changed.status()).isEqualTo(303);
        assertThat(changed.location()).contains("/account?done=password");
        var account = browser.get("/account?done=password");
        assertThat(account.status()).isEqualTo(200);
        assertThat(account.body()).contains("Your password was changed");
        assertThat(otherDevice.get("/account").status()).as("the other session ended").isEqualTo(303);
        assertThat(new Browser(server).login(email, PASSWORD).status()).isEqualTo(401);
        assertThat(new Browser(server).login(email, NEW_PASSWORD).status()).isEqualTo(303);
    }

    @Test
    void revokeSessionWhenAnotherSessionIsLoggedOutFromTheAccountPageThenOnlyThatCookieBecomesAnonymous() {
        String email = email("dave");
        server.registerVerified(email, PASSWORD);
        var laptop = new Browser(server, "Laptop/1.0").loggedIn(email, PASSWORD);
        var phone = new Browser(server, "Phone/1.0").loggedIn(email, PASSWORD);

        var page = laptop.get("/account");
        assertThat(page.body()).contains("Laptop/1.0").contains("Phone/1.0");
        List<String> others = Browser.revocableSessionIds(page);
        assertThat(others).hasSize(1);

        var revoked = laptop.post("/account/sessions/" + others.getFirst() + "/revoke", page.csrfField(), fields());

        assertThat(revoked.status()).isEqualTo(303);
        assertThat(revoked.location()).contains("/account?done=revoked");
        var phoneAccount = phone.get("/account");
        assertThat(phoneAccount.status()).isEqualTo(303);
        assertThat(phoneAccount.location()).hasValueSatisfying(l -> assertThat(l).startsWith("/login"));
        assertThat(laptop.get("/account").status()).isEqualTo(200);
        assertThat(Browser.revocableSessionIds(laptop.get("/account"))).isEmpty();
    }

    @Test
    void revokeSessionWhenIdBelongsToAnotherUserThen404AndThatSessionSurvives() {
        var mallory = loggedInUser("mallory");
        String victimEmail = email("victim");
        server.registerVerified(victimEmail, PASSWORD);
        var victimLaptop = new Browser(server, "Laptop/1.0").loggedIn(victimEmail, PASSWORD);
        var victimPhone = new Browser(server, "Phone/1.0").loggedIn(victimEmail, PASSWORD);
        String laptopSessionId = Browser.revocableSessionIds(victimPhone.get("/account")).getFirst();

        var page = mallory.get("/account");
        var attempt = mallory.post("/account/sessions/" + laptopSessionId + "/revoke", page.csrfField(), fields());

        assertThat(attempt.status()).isEqualTo(404);
        assertThat(victimLaptop.get("/account").status()).isEqualTo(200);
        assertThat(mallory.get("/account").status()).isEqualTo(200);
    }

    @Test
    void revokeOthersWhenPostedThenEveryOtherSessionIsAnonymousAndThisOneStays() {
        String email = email("erin");
        server.registerVerified(email, PASSWORD);
        var main = new Browser(server).loggedIn(email, PASSWORD);
        var second = new Browser(server, "Second/1.0").loggedIn(email, PASSWORD);
        var third = new Browser(server, "Third/1.0").loggedIn(email, PASSWORD);

        var done = main.submit("/account", "/account/sessions/revoke-others", fields());

        assertThat(done.status()).isEqualTo(303);
        assertThat(done.location()).contains("/account?done=others");
        assertThat(second.get("/account").status()).isEqualTo(303);
        assertThat(third.get("/account").status()).isEqualTo(303);
        assertThat(main.get("/account").status()).isEqualTo(200);
    }

    @Test
    void logoutWhenPostedThen303ToLoginAndTheReplayedOldCookieIsAnonymous() {
        String email = email("frank");
        server.registerVerified(email, PASSWORD);
        var browser = new Browser(server).loggedIn(email, PASSWORD);
        String oldCookie = browser.sessionCookie().orElseThrow();

        var logout = browser.submit("/account", "/logout", fields());

        assertThat(logout.status()).isEqualTo(303);
        assertThat(logout.location()).contains("/login?loggedOut=1");
        assertThat(SetCookie.named(logout, server.sessionCookieName())).hasValueSatisfying(c -> assertThat(c.deletes()).isTrue());
        assertThat(browser.sessionCookie()).isEmpty();

        var replay = new Browser(server);
        replay.http.setCookie(server.sessionCookieName(), oldCookie);
        var account = replay.get("/account");
        assertThat(account.status()).isEqualTo(303);
        assertThat(account.location()).hasValueSatisfying(l -> assertThat(l).startsWith("/login"));
        assertThat(replay.http.get("/api/v1/me").status()).isEqualTo(401);
    }

    @Test
    void resetPasswordWhenFollowingTheMailedLinkThenPasswordChangedWithoutASessionAndOldSessionsEnd() {
        String email = email("grace");
        server.registerVerified(email, PASSWORD);
        var oldSession = new Browser(server, "OldDevice/1.0").loggedIn(email, PASSWORD);
        var browser = new Browser(server);

        var requested = browser.submit("/forgot-password", "/forgot-password", fields("email", email));
        assertThat(requested.status()).isEqualTo(200);
        assertThat(requested.body()).contains("Check your inbox");
        assertThat(new Browser(server).login(email, PASSWORD).status()).as("asking changes nothing (PR-06)").isEqualTo(303);

        String link = Browser.linkFromMail(server, email, "/reset-password");
        assertThat(link).startsWith(server.baseUrl + "/reset-password?token=");
        var form = browser.get(link);
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.headers().allValues("Referrer-Policy")).containsExactly("no-referrer");
        assertOnlySameOriginUrls(form);

        var done = browser.post("/reset-password", form.csrfField(), fields("token", TestMail.tokenFrom(link), "password", NEW_PASSWORD));

        assertThat(done.status()).isEqualTo(200);
        assertThat(done.body()).contains("Password changed");
        assertThat(done.header("Referrer-Policy")).contains("no-referrer");
        assertThat(SetCookie.named(done, server.sessionCookieName())).as("no login by reset (PR-07)").isEmpty();
        assertThat(browser.sessionCookie()).isEmpty();
        assertThat(oldSession.get("/account").status()).as("old sessions end (PR-08)").isEqualTo(303);
        assertThat(new Browser(server).login(email, PASSWORD).status()).isEqualTo(401);
        new Browser(server).loggedIn(email, NEW_PASSWORD);
        var reused = browser.get(link);
        assertThat(reused.status()).as("the link works once").isEqualTo(400);
    }

    @Test
    void loginWhenReturnToIsLocalThen303ThereAndWhenForeignThen303ToAccount() {
        String email = email("heidi");
        server.registerVerified(email, PASSWORD);
        var soft = new SoftAssertions();
        for (String[] c : new String[][]{
                {"/account", "/account"},
                {"/account?done=others", "/account?done=others"},
                {"//evil.example", "/account"},
                {"//evil.example/account", "/account"},
                {"https://evil.example", "/account"},
                {"https://evil.example/account", "/account"},
                {"/\\evil.example", "/account"},
                {"\\\\evil.example", "/account"},
                {"/\t/evil.example", "/account"},
                {"javascript:alert(1)", "/account"},
                {"", "/account"}}) {
            var browser = new Browser(server);
            var response = browser.submit("/login", "/login", fields("email", email, "password", PASSWORD, "returnTo", c[0]));
            soft.assertThat(response.status()).as("returnTo %s", c[0]).isEqualTo(303);
            soft.assertThat(response.location()).as("returnTo %s", c[0]).contains(c[1]);
        }
        var form = new Browser(server).get("/login?returnTo=%2F%2Fevil.example");
        soft.assertThat(form.body()).contains("name=\"returnTo\" value=\"/account\"").doesNotContain("evil.example");
        soft.assertAll();
    }

    @Test
    void getWhenSentToEveryMutatingPathThenNothingChanges() {
        String email = email("ivan");
        var browser = new Browser(server);
        browser.submit("/register", "/register", fields("email", email, "password", PASSWORD));
        String token = TestMail.tokenFrom(Browser.linkFromMail(server, email, "/verify-email"));

        var soft = new SoftAssertions();
        soft.assertThat(browser.get("/verify-email?token=" + token).status()).isEqualTo(200);
        soft.assertThat(browser.get("/verify-email?token=" + token).status()).isEqualTo(200);
        soft.assertThat(verified(email)).as("GET /verify-email verified the address").isFalse();
        soft.assertThat(browser.http.send(browser.http.request("/verify-email?token=" + token)
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())).status()).isLessThan(500);
        soft.assertThat(verified(email)).as("HEAD /verify-email verified the address").isFalse();

        // Verify through the API so the account can log in, then try GET on every state-changing page route.
        assertThat(server.client().postJson("/api/v1/accounts/verify", "{\"token\":\"" + token + "\"}").status()).isEqualTo(204);
        var main = new Browser(server).loggedIn(email, PASSWORD);
        var other = new Browser(server, "Other/1.0").loggedIn(email, PASSWORD);
        String otherId = Browser.revocableSessionIds(main.get("/account")).getFirst();
        for (String path : List.of("/logout", "/account/password?currentPassword=" + PASSWORD.replace(' ', '+') + "&newPassword=x",
                "/account/sessions/revoke-others", "/account/sessions/" + otherId + "/revoke", "/forgot-password?email=" + email,
                "/reset-password?token=" + token + "&password=" + NEW_PASSWORD.replace(' ', '+'))) {
            var response = main.get(path);
            soft.assertThat(response.status()).as("GET %s", path).isIn(200, 400, 404, 405);
        }
        soft.assertThat(main.get("/account").status()).as("GET /logout ended the session").isEqualTo(200);
        soft.assertThat(other.get("/account").status()).as("GET revoke ended the other session").isEqualTo(200);
        pause(300);   // mail leaves on a background thread: give a wrongly sent reset mail time to arrive
        soft.assertThat(server.mail.all().stream().filter(m -> m.to().equalsIgnoreCase(email) && m.subject().contains("Reset")).count())
                .as("GET /forgot-password sent a reset mail").isZero();
        soft.assertAll();
        new Browser(server).loggedIn(email, PASSWORD);
    }

    @Test
    void accountPageWhenNameAndUserAgentCarryMarkupThenTheyAreShownEscaped() {
        String email = email("markup");
        String name = "<img src=x onerror=alert(1)>";
        String userAgent = "<script>alert('ua')</script>";
        var browser = new Browser(server, userAgent);
        assertThat(browser.submit("/register", "/register", fields("email", email, "name", name, "password", PASSWORD)).status()).isEqualTo(200);
        String token = server.tokenFromMail(email, "/verify-email");
        assertThat(server.client().postJson("/api/v1/accounts/verify", "{\"token\":\"" + token + "\"}").status()).isEqualTo(204);
        browser.loggedIn(email, PASSWORD);

        var page = browser.get("/account");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).doesNotContain(name).doesNotContain(userAgent).doesNotContainIgnoringCase("<script")
                .contains("&lt;img src=x onerror=alert(1)&gt;").contains("&lt;script&gt;");
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private void assertOnlySameOriginUrls(TestHttp.Response page) {
        Matcher m = URL_ATTRIBUTE.matcher(page.body());
        var urls = new java.util.ArrayList<String>();
        while (m.find()) urls.add(m.group(1));
        assertThat(urls).isNotEmpty().allSatisfy(url -> assertThat(
                (url.startsWith("/") && !url.startsWith("//") && !url.startsWith("/\\")) || url.startsWith(server.baseUrl + "/"))
                .as("same-origin URL: %s", url).isTrue());
        assertThat(page.body()).doesNotContainIgnoringCase("<iframe").doesNotContainIgnoringCase("<img").doesNotContainIgnoringCase("<script");
    }
}
