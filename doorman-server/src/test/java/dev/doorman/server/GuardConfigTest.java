package dev.doorman.server;

import dev.doorman.guard.GuardSettings;
import dev.doorman.guard.Limit;
import dev.doorman.guard.LimitSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GuardConfigTest {
    @TempDir
    Path dir;

    static boolean isGuardVariable(String name) {
        return name.startsWith("DOORMAN_LIMIT_") || List.of("DOORMAN_TRUSTED_PROXIES", "DOORMAN_RATE_LIMIT_STORE", "DOORMAN_REDIS_URL").contains(name);
    }

    private ServerConfig load(String yaml, Map<String, String> env) throws IOException {
        Path file = dir.resolve("doorman.yml");
        Files.writeString(file, yaml);
        return ServerConfig.load(Optional.of(file), env);
    }

    @Test
    void loadWhenNothingGivenThenSafeDefaultsNoTrustedProxyAndTheStoreFollowsTheDatabase() {
        var guard = ServerConfig.load(Optional.empty(), Map.of()).doorman().guard();
        assertThat(guard.trustedProxies()).isEmpty();
        assertThat(guard.store()).isEqualTo(GuardSettings.Store.AUTO);
        assertThat(guard.spec(Limit.LOGIN_SOURCE)).isEqualTo(Limit.LOGIN_SOURCE.defaultSpec());
        assertThat(guard.spec(Limit.LOGIN_ACCOUNT)).isEqualTo(LimitSpec.parse("100/1d"));
    }

    @Test
    void loadWhenFileAndEnvironmentSetTheGuardThenEachIsReadAndTheEnvironmentWins() throws IOException {
        var config = load("""
                guard:
                  trustedProxies: [10.0.0.0/8, "fd00::/8"]
                  store: redis
                  redisUrl: redis://cache:6379
                  hashQueue: 3
                  powBits: 18
                  powBitsHard: 22
                  limits: { loginSource: "5/1m, 50/1h", tokenClient: 100/1s }
                """, Map.of("DOORMAN_LIMIT_LOGIN_SOURCE", "7/1m", "DOORMAN_TRUSTED_PROXIES", "192.0.2.1, 192.0.2.2"));
        var guard = config.doorman().guard();
        assertThat(guard.trustedProxies()).containsExactly("192.0.2.1", "192.0.2.2");
        assertThat(guard.store()).isEqualTo(GuardSettings.Store.REDIS);
        assertThat(guard.redisUrl()).contains("redis://cache:6379");
        assertThat(guard.hashQueue()).isEqualTo(3);
        assertThat(guard.escalation().powBits()).isEqualTo(18);
        assertThat(guard.escalation().powBitsHard()).isEqualTo(22);
        assertThat(guard.spec(Limit.LOGIN_SOURCE)).isEqualTo(LimitSpec.parse("7/1m"));
        assertThat(guard.spec(Limit.TOKEN_CLIENT)).isEqualTo(LimitSpec.parse("100/1s"));
    }

    @Test
    void loadWhenGuardValuesAreWrongThenEveryProblemNamesItsKeyAndTheRedisUrlIsNeverShown() {
        assertThatThrownBy(() -> load("""
                guard:
                  trustedProxies: [proxy.internal]
                  limits: { loginSource: lots, registerSorce: 1/1m }
                """, Map.of("DOORMAN_RATE_LIMIT_STORE", "redis")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("guard.limits.loginSource")
                .hasMessageContaining("guard.limits.registerSorce: unknown key")
                .hasMessageContaining("DOORMAN_REDIS_URL");
        assertThatThrownBy(() -> load("guard: { redisUrl: \"http://user:s3cret@cache\" }\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("guard.redisUrl")
                .hasMessageNotContaining("s3cret");
    }
}
