package dev.doorman.keys;

import dev.doorman.db.DbSettings;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class SigningKeysSqliteTest extends SigningKeysContract {
    @TempDir
    Path dir;

    @Override
    DbSettings newDatabase() {
        return DbSettings.embedded(dir);
    }
}
