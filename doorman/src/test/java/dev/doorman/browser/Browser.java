package dev.doorman.browser;

import dev.doorman.TestServer;
import dev.doorman.testkit.TestHttp;
import dev.doorman.testkit.TestMail;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A person at a browser: opens a page, reads the hidden {@code csrf} field from it, and submits the form with it.
 * Keeps cookies (through {@link TestHttp}) and never follows redirects, so every 303 is visible to the test.
 */
public final class Browser {
    private static final Pattern REVOKE_ACTION = Pattern.compile("action=\"(/account/sessions/([0-9a-f-]{36})/revoke)\"");

    public final TestHttp http;
    private final TestServer server;

    public Browser(TestServer server) {
        this(server, "Mozilla/5.0 (X11; Linux x86_64) DoormanBrowserTest/1.0");
    }

    public Browser(TestServer server, String userAgent) {
        this.server = server;
        this.http = server.client();
        http.setHeader("User-Agent", userAgent);
    }

    public TestHttp.Response get(String path) {
        return http.get(path);
    }

    /** Opens {@code page}, takes its CSRF token, and posts {@code fields} plus that token to {@code action}. */
    public TestHttp.Response submit(String page, String action, Map<String, String> fields) {
        var form = http.get(page);
        assertThat(form.status()).as("GET %s: %s", page, form).isEqualTo(200);
        return post(action, form.csrfField(), fields);
    }

    /** Posts a form with the given token (which may be stale or foreign, on purpose). */
    public TestHttp.Response post(String action, String csrf, Map<String, String> fields) {
        var body = new LinkedHashMap<String, String>();
        body.put("csrf", csrf);
        body.putAll(fields);
        return http.postForm(action, body);
    }

    /** Posts a form without any token. */
    public TestHttp.Response postWithoutToken(String action, Map<String, String> fields) {
        return http.postForm(action, new LinkedHashMap<>(fields));
    }

    public TestHttp.Response login(String email, String password) {
        return submit("/login", "/login", fields("email", email, "password", password));
    }

    /** Logs in and checks that it worked: 303 to /account with a session cookie. */
    public Browser loggedIn(String email, String password) {
        var response = login(email, password);
        assertThat(response.status()).as("login of %s: %s", email, response).isEqualTo(303);
        assertThat(response.location()).contains("/account");
        assertThat(sessionCookie()).as("session cookie after login").isPresent();
        return this;
    }

    /** Registers through the pages and confirms through the mailed link, like a person would. */
    public void registerAndVerify(String email, String password) {
        var registered = submit("/register", "/register", fields("email", email, "password", password));
        assertThat(registered.status()).as(registered.toString()).isEqualTo(200);
        String link = linkFromMail(server, email, "/verify-email");
        var page = http.get(link);
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        var confirmed = post("/verify-email", page.csrfField(), fields("token", TestMail.tokenFrom(link)));
        assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(200);
        assertThat(confirmed.body()).contains("E-mail address confirmed");
    }

    public Optional<String> sessionCookie() {
        return Optional.ofNullable(http.cookies().get(server.sessionCookieName()));
    }

    /** The public ids of the sessions the account page offers to log out (every session but the current one). */
    public static List<String> revocableSessionIds(TestHttp.Response accountPage) {
        Matcher m = REVOKE_ACTION.matcher(accountPage.body());
        var ids = new java.util.ArrayList<String>();
        while (m.find()) ids.add(m.group(2));
        return ids;
    }

    public static Map<String, String> fields(String... namesAndValues) {
        var map = new LinkedHashMap<String, String>();
        for (int i = 0; i < namesAndValues.length; i += 2) map.put(namesAndValues[i], namesAndValues[i + 1]);
        return map;
    }

    /** The newest mailed link to {@code pathPrefix} for this address, waiting for it to arrive. */
    public static String linkFromMail(TestServer server, String email, String pathPrefix) {
        return linksFromMail(server, email, pathPrefix, 1).getLast();
    }

    /** Waits until at least {@code count} mailed links to {@code pathPrefix} reached this address; oldest first. */
    public static List<String> linksFromMail(TestServer server, String email, String pathPrefix, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            List<String> links = server.mail.all().stream()
                    .filter(m -> m.to().equalsIgnoreCase(email))
                    .map(m -> TestMail.firstLink(m.text(), pathPrefix))
                    .flatMap(Optional::stream)
                    .toList();
            if (links.size() >= count) return links;
            if (System.nanoTime() > deadline)
                throw new AssertionError("expected " + count + " mailed " + pathPrefix + " link(s) for " + email + ", got " + links);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
