package dev.doorman.keys;

import com.nimbusds.jose.JWSAlgorithm;
import dev.doorman.db.DbSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class KeyRotationScheduleTest {
    @TempDir
    Path dir;

    private static long retired(SigningKeys keys) {
        return keys.list().stream().filter(k -> k.state() == KeyState.RETIRED).count();
    }

    @Test
    void startWhenTheActiveKeyIsDueThenTheBackgroundCheckRotatesItAndAfterCloseNothingRuns() throws Exception {
        try (var harness = new KeysHarness(DbSettings.embedded(dir))) {
            var keys = harness.node(KeysHarness.settings(JWSAlgorithm.ES256).withKeyRotation(Duration.ofHours(1)));
            KeyId first = keys.activeKeyId();
            harness.clock.advance(Duration.ofHours(1));

            try (var schedule = KeyRotationSchedule.start(keys, Duration.ofMillis(20))) {
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (retired(keys) == 0 && System.nanoTime() < deadline) Thread.sleep(10);
            }
            long retiredAtClose = retired(keys);
            harness.clock.advance(Duration.ofHours(2));
            Thread.sleep(200);

            assertThat(retiredAtClose).as("one rotation: the new key was not due yet").isEqualTo(1);
            assertThat(keys.list()).filteredOn(k -> k.state() == KeyState.RETIRED).singleElement()
                    .extracting(SigningKey::kid).isEqualTo(first);
            assertThat(retired(keys)).as("nothing runs after close").isEqualTo(1);
        }
    }
}
