package dev.doorman.examples.payments;

import dev.doorman.testkit.TestHttp;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.doorman.examples.payments.PaymentsApiTest.LIMIT;
import static dev.doorman.examples.payments.PaymentsApiTest.PAYEE;
import static org.assertj.core.api.Assertions.assertThat;

/** The web app's page and forms: the same rules as the API, and a resubmitted form pays once. */
class PaymentsPageTest {
    static PaymentsApp app() {
        return PaymentsApiTest.app;
    }

    @Test
    void pageWhenSignedOutThenSendsToLogin() {
        PaymentsApiTest.start0();
        var signedOut = new TestHttp(PaymentsApiTest.base).get("/payments");
        assertThat(signedOut.status()).isEqualTo(303);
        assertThat(signedOut.location()).hasValue("/login?returnTo=/payments");
    }

    @Test
    void payFormWhenSubmittedTwiceThenOnePaymentAndWithoutItsTokenOrFromAnotherSiteThen403() {
        PaymentsApiTest.start0();
        var ada = PaymentsApiTest.payer("ada.page@example.org");
        var page = ada.http().get("/payments");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'none'"));
        assertThat(page.body()).doesNotContain("<script");
        String csrf = page.csrfField();
        String key = page.body().replaceAll("(?s).*name=\"idempotencyKey\" value=\"([^\"]+)\".*", "$1");
        assertThat(key).matches("[0-9a-f-]{36}");

        // A browser posting the form: the cookie, the form's fields, its own Origin; no X-CSRF-Token header.
        var browser = new TestHttp(PaymentsApiTest.base);
        ada.http().cookies().forEach(browser::setCookie);
        browser.setHeader("Origin", PaymentsApiTest.base);
        var form = new LinkedHashMap<String, String>();
        form.put("csrf", csrf);
        form.put("idempotencyKey", key);
        form.put("fromAccount", ada.account());
        form.put("payee", PAYEE);
        form.put("amount", "1250");
        form.put("currency", "EUR");
        form.put("reference", "<b>bold</b>");
        var paid = browser.postForm("/payments", form);
        assertThat(paid.status()).as(paid.body()).isEqualTo(303);
        assertThat(browser.postForm("/payments", form).status()).as("the same form again (double click)").isEqualTo(303);
        assertThat(app().store().paymentsOf(ada.id())).singleElement().satisfies(p -> assertThat(p.amount()).isEqualTo(1250));
        assertThat(ada.http().get("/payments").body()).contains("&lt;b&gt;bold&lt;/b&gt;").doesNotContain("<b>bold");

        var changed = new LinkedHashMap<>(form);
        changed.put("amount", "999");
        assertThat(browser.postForm("/payments", changed).status()).as("same key, other payment").isEqualTo(422);

        var noToken = new LinkedHashMap<>(form);
        noToken.remove("csrf");
        noToken.put("idempotencyKey", "another-key-1");
        assertThat(browser.postForm("/payments", noToken).status()).isEqualTo(403);
        var crossSite = new TestHttp(PaymentsApiTest.base);
        ada.http().cookies().forEach(crossSite::setCookie);
        crossSite.setHeader("Origin", "https://evil.example");
        form.put("idempotencyKey", "another-key-2");
        assertThat(crossSite.postForm("/payments", form).status()).isEqualTo(403);
        var overLimit = new LinkedHashMap<>(form);
        overLimit.put("idempotencyKey", "another-key-3");
        overLimit.put("amount", String.valueOf(LIMIT + 1));
        var refused = browser.postForm("/payments", overLimit);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("payments:approver");
        var badAmount = new LinkedHashMap<>(form);
        badAmount.put("idempotencyKey", "another-key-4");
        badAmount.put("amount", "12.50");
        assertThat(browser.postForm("/payments", badAmount).status()).isEqualTo(400);
        assertThat(app().store().paymentsOf(ada.id())).hasSize(1);

        var opened = browser.postForm("/accounts", Map.of("csrf", csrf, "name", "Savings"));
        assertThat(opened.status()).isEqualTo(303);
        assertThat(ada.http().get("/api/accounts").json()).hasSize(2);
    }
}
