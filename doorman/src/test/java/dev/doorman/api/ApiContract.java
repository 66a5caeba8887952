package dev.doorman.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.doorman.TestServer;
import dev.doorman.account.Email;
import dev.doorman.account.UserId;
import dev.doorman.support.ClientInfo;
import dev.doorman.testkit.TestHttp;
import dev.doorman.testkit.TestMail;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The base of every JSON API contract: one real server per test class (on the store the concrete subclass names),
 * and the few flows every suite needs, driven over HTTP exactly as an API client would drive them.
 * Each test uses its own e-mail addresses, so tests in one class never see each other's accounts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ApiContract {
    static final String ACCOUNTS = "/api/v1/accounts";
    static final String VERIFY = "/api/v1/accounts/verify";
    static final String VERIFY_RESEND = "/api/v1/accounts/verify/resend";
    static final String SESSION = "/api/v1/session";
    static final String ME = "/api/v1/me";
    static final String MY_SESSIONS = "/api/v1/me/sessions";
    static final String MY_PASSWORD = "/api/v1/me/password";
    static final String RESET = "/api/v1/password-reset";
    static final String RESET_CONFIRM = "/api/v1/password-reset/confirm";

    static final String VERIFY_LINK = "/verify-email";
    static final String RESET_LINK = "/reset-password";

    static final String PASSWORD = TestServer.PASSWORD;
    /** A second policy-conforming password, for changes and resets. */
    static final String NEW_PASSWORD = "violet kettle under amber snow";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAIL_WAIT = Duration.ofSeconds(10);
    private final AtomicInteger addresses = new AtomicInteger();

    protected TestServer server;

    abstract TestServer.Store store();

    @BeforeAll
    final void startServer() {
        server = TestServer.start(store());
    }

    @AfterAll
    final void stopServer() {
        if (server != null) server.close();
    }

    // ---- request bodies -------------------------------------------------------------------------------------

    /** A JSON object of string fields, properly escaped: {@code json("email", e, "password", p)}. */
    static String json(String... namesAndValues) {
        ObjectNode node = JSON.createObjectNode();
        for (int i = 0; i < namesAndValues.length; i += 2) node.put(namesAndValues[i], namesAndValues[i + 1]);
        return node.toString();
    }

    private static final String PROSE = "lanterns drift over quiet harbours while seven copper kites argue with a patient heron "
            + "about tides and maps of forgotten islands near the violet reef where otters collect smooth glass beads and hum "
            + "to the moon in low voices until morning fog rolls across the bay and the fishers wake to find their nets full of "
            + "silver leaves that smell faintly of cinnamon and rain from a country nobody on the pier has ever visited before";

    /** A policy-conforming password of exactly {@code length} characters (at most 400), no two alike. */
    static String phrase(int length) {
        if (length > PROSE.length()) throw new IllegalArgumentException("at most " + PROSE.length());
        String phrase = PROSE.substring(0, length);
        return phrase.endsWith(" ") ? phrase.substring(0, length - 1) + "x" : phrase;
    }

    /** A new address for this server, readable in failure messages: {@code tag.N@example.org}. */
    String fresh(String tag) {
        return tag + "." + addresses.incrementAndGet() + "@example.org";
    }

    // ---- flows ----------------------------------------------------------------------------------------------

    TestHttp.Response register(String email, String password) {
        return server.client().postJson(ACCOUNTS, json("email", email, "password", password));
    }

    /** Registers and follows the verification mail: an account that can log in. */
    String registerVerified(String tag) {
        return registerVerified(tag, PASSWORD);
    }

    String registerVerified(String tag, String password) {
        String email = fresh(tag);
        TestHttp.Response registered = register(email, password);
        assertThat(registered.status()).as(registered.toString()).isEqualTo(202);
        TestHttp.Response verified = server.client().postJson(VERIFY, json("token", awaitNewToken(email, VERIFY_LINK)));
        assertThat(verified.status()).as(verified.toString()).isEqualTo(204);
        return email;
    }

    TestHttp.Response login(String email, String password) {
        return login(server.client(), email, password);
    }

    TestHttp.Response login(TestHttp http, String email, String password) {
        return http.postJson(SESSION, json("email", email, "password", password));
    }

    /** A fresh client logged in as {@code email}, sending its CSRF token on every request. */
    TestHttp loggedIn(String email, String password) {
        return server.apiLogin(email, password);
    }

    TestHttp loggedIn(String email) {
        return loggedIn(email, PASSWORD);
    }

    /** The value of the session cookie in the client's jar. */
    String sessionCookie(TestHttp http) {
        String value = http.cookies().get(server.sessionCookieName());
        assertThat(value).as("session cookie in the jar").isNotBlank();
        return value;
    }

    /** A fresh client that presents only {@code cookieValue} as its session cookie (a replayed or stolen cookie). */
    TestHttp withSessionCookie(String cookieValue) {
        TestHttp http = server.client();
        http.setCookie(server.sessionCookieName(), cookieValue);
        return http;
    }

    /** Whether {@code GET /api/v1/me} with this cookie is answered 200 (alive) or 401 (dead); anything else fails. */
    boolean alive(String cookieValue) {
        int status = withSessionCookie(cookieValue).get(ME).status();
        assertThat(status).as("GET /api/v1/me status").isIn(200, 401);
        return status == 200;
    }

    UserId userId(String email) {
        return server.doorman.users().findByEmail(new Email(email)).orElseThrow().id();
    }

    void disable(String email) {
        assertThat(server.doorman.accounts().disable(userId(email), ClientInfo.unknown())).isTrue();
    }

    /**
     * Nothing was left behind for this address by earlier (refused) requests: no login works, and registering now is a
     * first registration, with its own verification link and no "someone tried to register" notice.
     */
    void assertAddressIsStillFree(String email) {
        TestHttp.Response before = login(email, PASSWORD);
        assertThat(before.status()).as(before.toString()).isEqualTo(401);
        assertThat(before.json().path("code").asText()).isEqualTo("login.invalid_credentials");
        assertThat(register(email, PASSWORD).status()).isEqualTo(202);
        String token = awaitNewToken(email, VERIFY_LINK);
        assertThat(server.client().postJson(VERIFY, json("token", token)).status()).isEqualTo(204);
        assertThat(login(email, PASSWORD).status()).isEqualTo(200);
        assertThat(tokensMailedTo(email, VERIFY_LINK)).hasSize(1);
        assertThat(mailsTo(email)).extracting(TestMail.ReceivedMail::subject).doesNotContain("Someone tried to register with your address");
    }

    /**
     * Runs {@code action} (a password reset, change or disable) while six attackers keep logging in as {@code email}
     * with {@link #PASSWORD}, from before it starts until shortly after it ends; returns the session cookie of every
     * login that succeeded. Logins in flight when the action commits are the interesting ones.
     */
    List<String> attackWithOldPasswordWhile(String email, Runnable action) throws Exception {
        var stop = new AtomicBoolean();
        var cookies = new ConcurrentLinkedQueue<String>();
        var attackers = new ArrayList<Future<?>>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 6; i++) {
                attackers.add(pool.submit(() -> {
                    TestHttp attacker = server.client();
                    while (!stop.get()) {
                        attacker.clearCookies();
                        if (login(attacker, email, PASSWORD).status() == 200) cookies.add(sessionCookie(attacker));
                    }
                    return null;
                }));
            }
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (cookies.isEmpty()) {   // the attack is under way once one login got through
                    if (System.nanoTime() > deadline) throw new AssertionError("no login as " + email + " succeeded within 10 s");
                    pause(Duration.ofMillis(5));
                }
                action.run();
                pause(Duration.ofMillis(300));                      // let the logins in flight finish
            } finally {
                stop.set(true);                                     // also when the action failed: the pool must end
            }
            for (var attacker : attackers) attacker.get();
        }
        return List.copyOf(cookies);
    }

    // ---- mail -----------------------------------------------------------------------------------------------

    List<TestMail.ReceivedMail> mailsTo(String email) {
        return allMail().stream().filter(m -> m.to().equalsIgnoreCase(email)).toList();
    }

    /**
     * {@link TestMail#all()}, retried: it walks GreenMail's user list, which GreenMail changes (without a lock) when a
     * mail arrives for a new address, so a read that overlaps such a delivery can throw.
     */
    private List<TestMail.ReceivedMail> allMail() {
        for (int attempt = 1; ; attempt++) {
            try {
                return server.mail.all();
            } catch (ConcurrentModificationException e) {
                if (attempt == 20) throw e;
                pause(Duration.ofMillis(10));
            }
        }
    }

    /** Every token of a {@code pathPrefix} link mailed to the address so far, oldest first. */
    List<String> tokensMailedTo(String email, String pathPrefix) {
        return mailsTo(email).stream()
                .map(m -> TestMail.firstLink(m.text(), pathPrefix))
                .flatMap(Optional::stream)
                .map(TestMail::tokenFrom)
                .toList();
    }

    /** Waits for a {@code pathPrefix} link to the address whose token is not one of {@code known}, and returns that token. */
    String awaitNewToken(String email, String pathPrefix, Collection<String> known) {
        long deadline = System.nanoTime() + MAIL_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> fresh = tokensMailedTo(email, pathPrefix).stream().filter(t -> !known.contains(t)).reduce((a, b) -> b);
            if (fresh.isPresent()) return fresh.get();
            pause(Duration.ofMillis(20));
        }
        throw new AssertionError("no new " + pathPrefix + " link reached " + email + "; mails: " + mailsTo(email));
    }

    String awaitNewToken(String email, String pathPrefix) {
        return awaitNewToken(email, pathPrefix, List.of());
    }

    /** Waits until at least {@code count} mails have reached the address, and returns them all. */
    List<TestMail.ReceivedMail> awaitMails(String email, int count) {
        long deadline = System.nanoTime() + MAIL_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<TestMail.ReceivedMail> mails = mailsTo(email);
            if (mails.size() >= count) return mails;
            pause(Duration.ofMillis(20));
        }
        throw new AssertionError(count + " mails did not reach " + email + "; mails: " + mailsTo(email));
    }

    /** Waits for a mail with this subject to the address. */
    TestMail.ReceivedMail awaitMail(String email, String subject) {
        long deadline = System.nanoTime() + MAIL_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<TestMail.ReceivedMail> found = mailsTo(email).stream().filter(m -> subject.equals(m.subject())).findFirst();
            if (found.isPresent()) return found.get();
            pause(Duration.ofMillis(20));
        }
        throw new AssertionError("no mail \"" + subject + "\" reached " + email + "; mails: " + mailsTo(email));
    }

    /**
     * For "no mail went there" assertions: call after a mail caused by a later request has arrived, so that the
     * mailer (which sends in parallel) has had its chance; then give stragglers a little more time.
     */
    static void graceForStrayMail() {
        pause(Duration.ofMillis(300));
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
