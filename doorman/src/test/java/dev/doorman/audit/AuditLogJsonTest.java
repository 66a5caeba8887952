package dev.doorman.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.doorman.account.UserId;
import dev.doorman.support.ClientInfo;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AU-03's log-forging case at the one place a record becomes a log line. Over HTTP a CR or LF cannot reach the
 * user agent (the HTTP layer refuses the request, see AuditTrailContract), so the encoding is checked here directly.
 */
class AuditLogJsonTest {
    private static final String FORGED = "bob\r\n2026-01-01T00:00:00Z LOGIN_OK admin";

    @Test
    void toJsonWhenUserAgentAndReasonCarryCrLfAndControlCharactersThenOneLineThatDecodesToTheOriginalValues() throws Exception {
        String userAgent = FORGED + "\u0000\u001b[31m\u0007\t\u2028end";
        var event = new AuditEvent(Instant.parse("2026-11-28T10:00:00Z"), AuditType.LOGIN_FAILED, AuditEvent.Outcome.FAILURE,
                Optional.of("wrong_password\nforged"), Optional.of(UserId.random()), Optional.empty(), new ClientInfo("127.0.0.1", userAgent));

        String line = AuditLog.toJson(event);

        assertThat(line).doesNotContain("\r").doesNotContain("\n").doesNotContain("\u0000").doesNotContain("\u001b").doesNotContain("\u0007");
        assertThat(line.lines()).hasSize(1);
        JsonNode node = new ObjectMapper().readTree(line);
        assertThat(node.get("user_agent").asText()).isEqualTo(userAgent);
        assertThat(node.get("reason").asText()).isEqualTo("wrong_password\nforged");
        assertThat(node.get("event").asText()).isEqualTo("login_failed");
        assertThat(node.get("outcome").asText()).isEqualTo("failure");
        assertThat(node.get("at").asText()).isEqualTo("2026-11-28T10:00:00Z");
        assertThat(node.get("ip").asText()).isEqualTo("127.0.0.1");
    }

    @Test
    void toJsonWhenUnknownAccountThenOnlyTheHintAndNoUser() throws Exception {
        var event = new AuditEvent(Instant.parse("2026-11-28T10:00:00Z"), AuditType.LOGIN_FAILED, AuditEvent.Outcome.FAILURE,
                Optional.of("unknown_account"), Optional.empty(), Optional.of("0123456789abcdef"), new ClientInfo("127.0.0.1", "UA"));

        JsonNode node = new ObjectMapper().readTree(AuditLog.toJson(event));

        assertThat(node.has("user")).isFalse();
        assertThat(node.get("subject_hint").asText()).isEqualTo("0123456789abcdef");
    }
}
